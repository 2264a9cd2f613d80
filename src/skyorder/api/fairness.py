"""A fair share of the server for every caller: at most N of one caller's requests run at once.

The server runs request handlers on a bounded thread pool. Without a share, one
customer sending hundreds of requests at once takes every thread, and everyone
else's request waits behind the whole burst (a read of another organisation
waited 8.5 s behind 500 concurrent archive orders). Here a caller's requests
beyond ``per_caller`` wait their turn without holding a thread, so a burst
slows the caller who sends it, not the others.

A caller is known by the credentials it sends (the headers any front end reads
them from, else the console's session cookie, as authentication reads them):
this runs before authentication, so it costs no database read. Requests without
credentials (health checks, signed downloads, the token endpoint, the sign-in
form) are not limited here.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass
class _Share:
    running: asyncio.Semaphore
    users: int = field(default=0)


def _session(scope: Scope, cookies: frozenset[str]) -> list[bytes]:
    """The values of the credential ``cookies`` a request carries, each with its name."""
    found: list[bytes] = []
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for key, text in cookie_parser(value.decode("latin-1")).items():
                if key in cookies and text:
                    found.append(f"cookie:{key}={text}".encode("latin-1", "replace"))
    return found


def caller_key(
    scope: Scope, headers: frozenset[bytes], cookies: frozenset[str] = frozenset()
) -> bytes | None:
    """A digest of the credentials a request carries, or None without any.

    Credential ``headers`` come first; the credential ``cookies`` (the console's
    session) count only without them, as authentication reads them.
    """
    found = [value for name, value in scope.get("headers", []) if name in headers]
    if not found and cookies:
        found = _session(scope, cookies)
    if not found:
        return None
    return hashlib.blake2b(b"\n".join(sorted(found)), digest_size=16).digest()


class FairShare:
    """ASGI middleware: at most ``per_caller`` requests of one caller in the app at once."""

    def __init__(
        self,
        app: ASGIApp,
        per_caller: int,
        credential_headers: Iterable[str],
        credential_cookies: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.per_caller = per_caller
        self.headers = frozenset(h.lower().encode("latin-1") for h in credential_headers)
        self.cookies = frozenset(credential_cookies)
        self._shares: dict[bytes, _Share] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on once the caller has a free slot."""
        key = caller_key(scope, self.headers, self.cookies) if scope["type"] == "http" else None
        if key is None:
            await self.app(scope, receive, send)
            return
        share = self._shares.get(key)
        if share is None:
            share = self._shares[key] = _Share(asyncio.Semaphore(self.per_caller))
        share.users += 1
        try:
            async with share.running:
                await self.app(scope, receive, send)
        finally:
            share.users -= 1
            if share.users == 0:
                del self._shares[key]  # callers come and go: keep only the active ones
