"""Sending webhook deliveries: the ``webhook.deliver`` agenda job and its HTTP sender.

A delivery is sent in three phases (see :class:`skyorder.services.agenda.Job`):
``prepare`` reads the delivery in the claiming transaction, checks it is still
pending and due, and signs the request; the HTTP POST runs outside any
transaction (on SQLite no write lock is held while a slow receiver answers);
``record`` logs the attempt in a second transaction and, unless the receiver
answered 2xx, schedules the next attempt per ``WEBHOOK_RETRIES``, or gives up.
A delivered delivery is never sent again; a worker that dies mid-send only
causes a resend with the same ``webhook-id``, which receivers de-duplicate on.
``webhook-timestamp`` is wall-clock time even in the sandbox (see the job).
Every request is vetted by the outbound policy and sent to the vetted address
(:mod:`skyorder.delivery.pinning`); a refused address ends the delivery as
failed at once, with the rule that applied as the attempt's error.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from skyorder import __version__
from skyorder.core.clock import Clock
from skyorder.core.webhooks import WEBHOOK_RETRIES, Attempt, DeliveryStatus, signed_headers
from skyorder.delivery.outbound import OutboundPolicy, OutboundRefused
from skyorder.delivery.pinning import pinned_send
from skyorder.services.agenda import Job
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork

USER_AGENT = f"skyorder-webhooks/{__version__}"


@dataclass(frozen=True)
class Outgoing:
    """A signed request, ready to send."""

    delivery_id: str
    attempts_before: int
    url: str
    body: str
    headers: dict[str, str]
    at: datetime


@dataclass(frozen=True)
class Outcome:
    """What one request got back: a status code, or the error that stopped it.

    ``final``: retrying cannot help (the outbound policy refused the address).
    """

    status_code: int | None
    error: str | None
    duration_ms: int
    final: bool = False


Sender = Callable[[Outgoing], Outcome]


class HttpSender:
    """POSTs a request with httpx to the vetted address, a short timeout and no redirects.

    Never raises: every failure, a refusal by the outbound policy included, is an Outcome.
    """

    def __init__(self, timeout_seconds: float, outbound: OutboundPolicy) -> None:
        self._timeout = httpx.Timeout(timeout_seconds)
        self._outbound = outbound
        self._ssl: ssl.SSLContext | None = None
        self._lock = threading.Lock()

    def _ssl_context(self) -> ssl.SSLContext:
        # Building the CA store takes ~0.2 s: once per sender, not once per request.
        with self._lock:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            return self._ssl

    def __call__(self, request: Outgoing) -> Outcome:
        """Send one request; the response body is not read."""
        started = time.perf_counter()
        headers = {**request.headers, "user-agent": USER_AGENT}
        try:
            with httpx.Client(
                timeout=self._timeout, follow_redirects=False, verify=self._ssl_context()
            ) as client:
                response = pinned_send(
                    client, self._outbound, "POST", request.url, headers, request.body.encode()
                )
                response.close()
                status = response.status_code
        except OutboundRefused as exc:
            return Outcome(None, f"refused: {exc}"[:500], _ms(started), final=True)
        except OSError as exc:
            return Outcome(None, f"could not resolve the host: {exc}"[:500], _ms(started))
        except httpx.TimeoutException:
            return Outcome(None, "timed out", _ms(started))
        except httpx.HTTPError as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
        error = None if 200 <= status < 300 else f"HTTP {status}"
        return Outcome(status, error, _ms(started))


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


class WebhookDeliveryJob(Job):
    """The ``webhook.deliver`` step: one attempt at one delivery."""

    lease = timedelta(minutes=2)

    def __init__(self, send: Sender, signing_clock: Clock) -> None:
        """``signing_clock`` stamps ``webhook-timestamp``: the wall clock in production.

        Receivers check that timestamp against their own clock (the Standard Webhooks
        libraries allow 5 minutes), so it must not follow an advanced sandbox clock;
        every other time (attempt log, retry schedule) is the platform's Clock.
        """
        self._send = send
        self._signing_clock = signing_clock

    def prepare(self, uow: UnitOfWork, step: Step, now: datetime) -> Outgoing | None:
        """Sign the request if the delivery is still pending and due (else nothing to do)."""
        found = uow.webhooks.for_work(step.entity_id)
        if found is None:
            return None  # the subscription was deleted with its deliveries
        delivery, subscription = found
        if delivery.status is not DeliveryStatus.PENDING:
            return None
        if delivery.next_attempt_at is None or delivery.next_attempt_at > now:
            return None  # a stale step; the one due at next_attempt_at sends it
        if not subscription.enabled:
            delivery.give_up(now, "the webhook was disabled")
            uow.webhooks.save_delivery(delivery, now)
            return None
        return Outgoing(
            delivery_id=delivery.id,
            attempts_before=len(delivery.attempts),
            url=subscription.url,
            body=delivery.body,
            headers=signed_headers(
                subscription.secret, delivery.id, self._signing_clock.now(), delivery.body
            ),
            at=now,
        )

    def perform(self, prepared: Outgoing) -> Outcome:
        """POST the request."""
        return self._send(prepared)

    def record(
        self, uow: UnitOfWork, step: Step, prepared: Outgoing, result: Outcome, now: datetime
    ) -> None:
        """Log the attempt; delivered on 2xx, else schedule the next attempt or fail."""
        found = uow.webhooks.for_work(prepared.delivery_id)
        if found is None:
            return
        delivery, _ = found
        if (
            delivery.status is not DeliveryStatus.PENDING
            or len(delivery.attempts) != prepared.attempts_before
        ):
            return  # recorded already
        attempt = Attempt(
            number=prepared.attempts_before + 1,
            at=prepared.at,
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
        )
        retry = not attempt.succeeded and not result.final
        delay = WEBHOOK_RETRIES.next_delay(attempt.number, delivery.id) if retry else None
        delivery.record(attempt, delay)
        uow.webhooks.save_delivery(delivery, now)

    def failed(self, uow: UnitOfWork, step: Step, error: str, now: datetime) -> None:
        """The step itself kept failing (not the receiver): end the delivery as failed."""
        found = uow.webhooks.for_work(step.entity_id)
        if found is None or found[0].status is not DeliveryStatus.PENDING:
            return
        delivery = found[0]
        delivery.give_up(now, f"internal error: {error}"[:500])
        uow.webhooks.save_delivery(delivery, now)
