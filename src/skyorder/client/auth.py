"""How the SDK proves who it is: an API key, or OAuth2 client credentials.

A client-credentials token is fetched on first use and fetched again a margin before it
expires, so a long run (a wait of hours, a large download) never sends an expired token.
Token lifetimes follow the wall clock (``time.monotonic``), never the sandbox clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from skyorder.client.errors import ConnectionFailed, error_for
from skyorder.schemas.auth import TokenOut


class Auth:
    """Credentials: headers for each request, refreshed when they expire."""

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        """The headers that authenticate one request."""
        raise NotImplementedError

    def expire(self) -> None:
        """Forget a cached token (after a 401), so the next request fetches a fresh one."""


@dataclass
class ApiKey(Auth):
    """An organisation's API key, sent as ``X-API-Key``."""

    key: str

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        """The key header."""
        return {"X-API-Key": self.key}


@dataclass
class ClientCredentials(Auth):
    """An API client's id and secret, exchanged at ``/oauth/token`` for a Bearer token."""

    client_id: str
    client_secret: str
    refresh_margin: float = 60.0
    """Seconds before expiry at which the token is renewed."""
    clock: Callable[[], float] = time.monotonic
    _token: str | None = field(default=None, init=False, repr=False)
    _expires: float = field(default=0.0, init=False, repr=False)
    _lock: asyncio.Lock | None = field(default=None, init=False, repr=False)

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        """A Bearer header with a token valid for at least ``refresh_margin`` seconds."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # concurrent requests share one refresh
            if self._token is None or self.clock() >= self._expires - self.refresh_margin:
                await self._fetch(http)
        return {"Authorization": f"Bearer {self._token}"}

    def expire(self) -> None:
        """Forget the token."""
        self._token = None

    async def _fetch(self, http: httpx.AsyncClient) -> None:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        try:
            answer = await http.post("/oauth/token", data=form)
        except httpx.TransportError as exc:
            raise ConnectionFailed(f"cannot reach {http.base_url}: {exc}") from exc
        if answer.status_code != 200:
            raise error_for(answer.status_code, answer.content)
        token = TokenOut.model_validate_json(answer.content)
        self._token = token.access_token
        self._expires = self.clock() + token.expires_in
