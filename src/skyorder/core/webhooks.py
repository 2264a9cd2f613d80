"""Webhooks: subscriptions, deliveries, Standard Webhooks signing and the retry schedule.

A subscription asks for an organisation's events (all of them, or the listed
types) to be POSTed to a URL. Each matching event becomes one delivery, tried
until the receiver answers 2xx or the retry schedule runs out. Requests follow
the Standard Webhooks specification (https://www.standardwebhooks.com/):
``webhook-id`` (the delivery id, the same on every retry), ``webhook-timestamp``
(Unix seconds) and ``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 of
``{id}.{timestamp}.{body}`` keyed with the secret's decoded bytes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.events import Event

DELIVER_STEP = "webhook.deliver"  # the agenda step that sends one delivery
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
ALL_EVENTS = "*"
TEST_EVENT = "WebhookTest"
MAX_EVENT_TYPES = 100
MAX_URL_LENGTH = 2000
_EVENT_TYPE = re.compile(r"^[A-Z][A-Za-z0-9]{0,59}$")

# Delay before each retry (Standard Webhooks' suggested schedule); 8 attempts over ~27.6 h.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.1  # each delay moves by up to ±10 %, the same for the same delivery and attempt


class DeliveryStatus(StrEnum):
    """pending → delivered | failed."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class SubscriptionSpec:
    """What a caller sets when subscribing."""

    url: str
    event_types: Sequence[str] | None = None  # None or ["*"]: every event
    description: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class SubscriptionChanges:
    """A partial update: None leaves a field as it is; ``all_events`` clears the type filter."""

    url: str | None = None
    event_types: Sequence[str] | None = None
    all_events: bool = False
    description: str | None = None
    enabled: bool | None = None


@dataclass
class Subscription:
    """An organisation's request to receive its events at a URL."""

    id: str
    organisation_id: str
    url: str
    event_types: list[str] | None  # None: every event
    description: str
    enabled: bool
    secret: str
    created_at: datetime
    updated_at: datetime

    def wants(self, event_type: str) -> bool:
        """Whether events of ``event_type`` go to this subscription."""
        return self.event_types is None or event_type in self.event_types


@dataclass(frozen=True)
class Attempt:
    """One try at delivering: when, what came back (status or error), how long it took."""

    number: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        """Whether the receiver answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300

    def to_json(self) -> dict[str, Any]:
        """The attempt as stored in the delivery's attempt log."""
        return {
            "number": self.number,
            "at": self.at.isoformat(),
            "status_code": self.status_code,
            "error": self.error,
            "duration_ms": self.duration_ms,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attempt:
        """The inverse of ``to_json``."""
        return cls(
            number=int(data["number"]),
            at=datetime.fromisoformat(data["at"]),
            status_code=data.get("status_code"),
            error=data.get("error"),
            duration_ms=int(data.get("duration_ms", 0)),
        )


@dataclass
class Delivery:
    """One event on its way to one subscription."""

    id: str
    organisation_id: str
    subscription_id: str
    event_id: str
    event_type: str
    body: str  # the exact JSON sent (and signed) on every attempt
    status: DeliveryStatus
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: list[Attempt] = field(default_factory=list)
    delivered_at: datetime | None = None

    def record(self, attempt: Attempt, delay: timedelta | None) -> None:
        """Log an attempt; delivered on 2xx, else retried after ``delay`` or failed."""
        self.attempts.append(attempt)
        if attempt.succeeded:
            self.status = DeliveryStatus.DELIVERED
            self.delivered_at = attempt.at
            self.next_attempt_at = None
        elif delay is None:
            self.status = DeliveryStatus.FAILED
            self.next_attempt_at = None
        else:
            self.next_attempt_at = attempt.at + delay

    def give_up(self, at: datetime, reason: str) -> None:
        """End a pending delivery as failed without another attempt."""
        self.attempts.append(Attempt(len(self.attempts) + 1, at, None, reason, 0))
        self.status = DeliveryStatus.FAILED
        self.next_attempt_at = None


def new_secret() -> str:
    """A signing secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(raw + "=" * (-len(raw) % 4))


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The ``webhook-signature`` header value: ``v1,<base64 HMAC-SHA256>``."""
    content = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, message_id: str, at: datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers of a request sent at ``at``."""
    timestamp = int(at.timestamp())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
        "content-type": "application/json",
    }


def retry_delay(delivery_id: str, attempts_made: int) -> timedelta | None:
    """How long to wait after the ``attempts_made``-th failure; None once attempts run out.

    The jitter is derived from the delivery id and attempt, so it spreads retries of
    many deliveries apart yet is the same every time for one of them (stable tests).
    """
    if attempts_made >= MAX_ATTEMPTS:
        return None
    base = RETRY_DELAYS[attempts_made - 1]
    digest = hashlib.sha256(f"{delivery_id}:{attempts_made}".encode()).digest()
    unit = int.from_bytes(digest[:8], "big") / 2**64  # [0, 1)
    factor = 1 + JITTER * (2 * unit - 1)
    return timedelta(seconds=round(base.total_seconds() * factor, 3))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def event_body(event: Event) -> str:
    """The JSON a delivery of ``event`` sends: ``{"type", "timestamp", "data"}``."""
    payload = {
        "type": event.type,
        "timestamp": _iso(event.timestamp),
        "data": {
            "id": event.id,
            "type": event.type,
            "entity_type": event.entity_type.value,
            "entity_id": event.entity_id,
            "order_id": event.order_id,
            "organisation_id": event.organisation_id,
            "message": event.message,
            "details": event.details,
            "timestamp": _iso(event.timestamp),
        },
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)


def probe_body(subscription: Subscription, event_id: str, at: datetime) -> str:
    """The JSON of a ``WebhookTest`` event sent to one subscription."""
    payload = {
        "type": TEST_EVENT,
        "timestamp": _iso(at),
        "data": {
            "id": event_id,
            "type": TEST_EVENT,
            "entity_type": "webhook",
            "entity_id": subscription.id,
            "order_id": None,
            "organisation_id": subscription.organisation_id,
            "message": f"{TEST_EVENT} event occurred for webhook {subscription.id}",
            "details": {"url": subscription.url},
            "timestamp": _iso(at),
        },
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def check_url(url: str, field_name: str = "url") -> str:
    """Accept an absolute http(s) URL with a host; refuse anything else naming the field."""
    text = url.strip()
    if not text:
        raise ValidationFailed.on(field_name, "must not be empty")
    if len(text) > MAX_URL_LENGTH:
        raise ValidationFailed.on(field_name, f"must be at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValidationFailed.on(field_name, f"is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationFailed.on(
            field_name, f"must be an http:// or https:// URL, not {parts.scheme or 'relative'!r}"
        )
    if not parts.hostname:
        raise ValidationFailed.on(field_name, "must name a host, e.g. https://example.com/hooks")
    if parts.username is not None or parts.password is not None:
        raise ValidationFailed.on(field_name, "must not carry credentials (user:password@)")
    if port == 0:
        raise ValidationFailed.on(field_name, "port 0 is not a port a receiver listens on")
    if any(c.isspace() for c in text):
        raise ValidationFailed.on(field_name, "must not contain spaces")
    return text


def check_event_types(
    types: Sequence[str] | None, field_name: str = "event_types"
) -> list[str] | None:
    """Normalise a subscription's event types: None (or ``*``) means every event."""
    if types is None:
        return None
    if len(types) > MAX_EVENT_TYPES:
        raise ValidationFailed.on(field_name, f"at most {MAX_EVENT_TYPES} event types")
    errors = [
        FieldError(
            f"{field_name}[{i}]",
            f"{t!r} is not an event type such as OrderAccepted or DeliverableDelivered "
            "(or * for every event)",
        )
        for i, t in enumerate(types)
        if t != ALL_EVENTS and not _EVENT_TYPE.match(t)
    ]
    if errors:
        raise ValidationFailed.of(errors)
    if not types:
        raise ValidationFailed.on(
            field_name, "must list at least one type; omit it or use * for all"
        )
    if ALL_EVENTS in types:
        return None
    return list(dict.fromkeys(types))


def matching(subscriptions: Iterable[Subscription], event: Event) -> list[Subscription]:
    """The enabled subscriptions of the event's organisation that want it."""
    return [
        s
        for s in subscriptions
        if s.enabled and s.organisation_id == event.organisation_id and s.wants(event.type)
    ]
