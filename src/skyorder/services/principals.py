"""A short-lived cache of authenticated callers, so a request costs no extra round trip.

Looking up an API client and its organisation's contracts takes a connection and
two queries on every request. Callers are cached for at most a second by what
identifies them (the API key's hash, or the token's client and secret
fingerprint), never by a token itself: a bearer token is still verified
(signature and expiry) on every request. A disabled client, a rotated key or
secret, or a new contract is seen within ``ttl`` seconds by every process, and
at once by the process that made the change (:meth:`PrincipalCache.forget`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from skyorder.core.tenants import Principal


class PrincipalCache:
    """A small, thread-safe LRU with expiry (monotonic time: durations only)."""

    def __init__(self, ttl_seconds: float = 1.0, size: int = 4096) -> None:
        self._ttl = ttl_seconds
        self._size = size
        self._entries: OrderedDict[tuple[str, ...], tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[tuple[str, ...], threading.Lock] = {}

    def cached(self, key: tuple[str, ...]) -> Principal | None:
        """The principal cached for ``key`` and not expired, if any."""
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                self._entries.move_to_end(key)
                return hit[1]
        return None

    def get(self, key: tuple[str, ...], load: Callable[[], Principal]) -> Principal:
        """The cached principal for ``key``, or ``load()``'s (cached when ttl > 0).

        When an entry expires under concurrent requests of one caller, one of them
        loads it and the others wait for that load instead of each reading the
        database (with a one-second lifetime, that herd came every second).
        """
        hit = self.cached(key)
        if hit is not None:
            return hit
        with self._lock:
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            hit = self.cached(key)
            if hit is not None:
                return hit
            now = time.monotonic()
            try:
                principal = load()
                if self._ttl > 0:
                    with self._lock:
                        self._entries[key] = (now + self._ttl, principal)
                        self._entries.move_to_end(key)
                        while len(self._entries) > self._size:
                            self._entries.popitem(last=False)
            finally:
                with self._lock:
                    self._loading.pop(key, None)
            return principal

    def forget(self, client_id: str) -> None:
        """Drop every cached caller of one API client (after its credentials changed)."""
        with self._lock:
            for key in [k for k, (_, p) in self._entries.items() if p.client_id == client_id]:
                del self._entries[key]
