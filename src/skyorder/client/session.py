"""One authenticated HTTP session: retries, error mapping and paging, for every resource.

Retried: connection failures, 429 (waiting what ``Retry-After`` says) and 502/503/504,
with exponential backoff and full jitter, up to ``RetryPolicy.attempts`` tries. A request
that may not be repeated safely (a POST without an ``Idempotency-Key``) is retried only
when it surely did not reach the server: a refused connection or a 429.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from skyorder.client.auth import Auth
from skyorder.client.errors import ConnectionFailed, error_for
from skyorder.core.clock import Clock, SystemClock
from skyorder.schemas.common import Page

M = TypeVar("M", bound=BaseModel)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""Answers worth asking again."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry."""

    attempts: int = 5
    """Tries in all, the first included."""
    base_delay: float = 0.5
    max_delay: float = 30.0
    """The cap on one wait, ``Retry-After`` included."""
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = field(default=random.random)

    def backoff(self, attempt: int) -> float:
        """The wait before try ``attempt + 1``: full jitter over an exponential ceiling."""
        ceiling: float = min(self.max_delay, self.base_delay * 2.0**attempt)
        return ceiling * self.jitter()


_WALL = SystemClock()
"""An HTTP date in ``Retry-After`` is the server's wall time."""


def retry_after(value: str | None, clock: Clock = _WALL) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds, or an HTTP date on ``clock``)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - clock.now()).total_seconds())


class Session:
    """An httpx client bound to a server, its credentials and a retry policy."""

    def __init__(
        self,
        base_url: str,
        auth: Auth,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        contract_id: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"X-Contract-Id": contract_id} if contract_id else {}
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers={"User-Agent": "skyorder-sdk", **headers},
            transport=transport,
            follow_redirects=True,
        )
        self.auth = auth
        self.retry = retry or RetryPolicy()

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()

    async def send(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send a request (retrying what may be retried); raise the mapped error on failure.

        ``timeout`` (seconds) replaces the client's for a request known to take long.
        """
        safe = method in SAFE_METHODS or "Idempotency-Key" in (headers or {})
        refreshed = False
        attempt = 0
        while True:
            try:
                auth = await self.auth.headers(self.http)
                answer = await self.http.request(
                    method,
                    url,
                    json=json,
                    params=params,
                    headers={**auth, **(headers or {})},
                    timeout=self.http.timeout if timeout is None else httpx.Timeout(timeout),
                )
            except (httpx.TransportError, ConnectionFailed) as exc:
                unsent = isinstance(exc, httpx.ConnectError | ConnectionFailed)
                if (safe or unsent) and attempt + 1 < self.retry.attempts:
                    await self.retry.sleep(self.retry.backoff(attempt))
                    attempt += 1
                    continue
                raise ConnectionFailed(
                    f"cannot reach {self.http.base_url}: {str(exc) or type(exc).__name__}"
                ) from exc
            if answer.status_code == 401 and not refreshed:
                self.auth.expire()  # a token revoked or expired early: fetch one once more
                refreshed = True
                continue
            if answer.status_code < 400:
                return answer
            wait = retry_after(answer.headers.get("Retry-After"))
            retryable = answer.status_code in RETRY_STATUSES and (safe or answer.status_code == 429)
            if retryable and attempt + 1 < self.retry.attempts:
                delay = self.retry.backoff(attempt) if wait is None else wait
                await self.retry.sleep(min(delay, self.retry.max_delay))
                attempt += 1
                continue
            raise error_for(answer.status_code, answer.content, wait)

    async def get(self, url: str, model: type[M], params: Mapping[str, Any] | None = None) -> M:
        """GET one resource as its wire model."""
        answer = await self.send("GET", url, params=_query(params))
        return model.model_validate_json(answer.content)

    async def post(
        self,
        url: str,
        model: type[M],
        body: BaseModel | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> M:
        """POST a wire model, answer the wire model the server returns."""
        data = None if body is None else body.model_dump(mode="json", exclude_unset=True)
        answer = await self.send("POST", url, json=data, headers=headers, timeout=timeout)
        return model.model_validate_json(answer.content)

    async def pages(
        self, url: str, model: type[M], params: Mapping[str, Any] | None = None
    ) -> AsyncIterator[M]:
        """Every result of a paged list, page after page (following ``next``)."""
        page_model = Page[model]  # type: ignore[valid-type]
        next_url: str | None = url
        query = _query(params)
        while next_url is not None:
            answer = await self.send("GET", next_url, params=query)
            page = page_model.model_validate_json(answer.content)
            for result in page.results:
                yield result
            next_url, query = page.next, None  # the next link keeps the filters


def _query(params: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Query parameters without the ones left unset; lists as comma lists."""
    if not params:
        return None
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            value = ",".join(str(v) for v in value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = str(value)
    return out or None
