"""Password-guessing protection for the console's sign-in: failed attempts, then a pause.

After ``per_email`` failed sign-ins for one email within ``window``, that email is
refused for ``cooling`` (even with the right password); separately, after
``per_client`` failures from one client address, that address is refused too, so
one guesser cannot try a password against many emails. A successful sign-in clears
the email's count but not the address's: an attacker signing in to an account of
their own between guesses gains nothing. Time is the wall clock (a sandbox advance
ends no pause).

Counts live in this process's memory (docs/decisions.md): a server running N
processes lets up to N times the limit through, and a restart forgets them.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from skyorder.core.errors import TooManyAttempts

SWEEP_AT = 10_000
"""Past this many tracked keys, keys with no recent failure and no pause are dropped."""


@dataclass(frozen=True)
class AttemptLimits:
    """How many failures are allowed, within which window, and how long the pause lasts."""

    per_email: int = 5
    per_client: int = 20
    window: timedelta = timedelta(minutes=15)
    cooling: timedelta = timedelta(minutes=15)


@dataclass
class _Failures:
    times: deque[datetime] = field(default_factory=deque)
    paused_until: datetime | None = None

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def idle(self, now: datetime, window: timedelta) -> bool:
        return not self.paused(now) and not any(t > now - window for t in self.times)


def _wait(until: datetime, now: datetime) -> str:
    minutes = math.ceil((until - now).total_seconds() / 60)
    span = "a minute" if minutes <= 1 else f"{minutes} minutes"
    return f"in {span} (at {until:%H:%M} UTC)"


class SignInAttempts:
    """Thread-safe counts of failed sign-ins, by email and by client address."""

    def __init__(self, limits: AttemptLimits | None = None) -> None:
        self.limits = limits or AttemptLimits()
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, str], _Failures] = {}

    def check(self, email: str, client: str, now: datetime) -> None:
        """Refuse (TooManyAttempts) an attempt for a paused email or from a paused client."""
        with self._lock:
            for key, what in (
                (("email", _normal(email)), "this email"),
                (("client", client), "your address"),
            ):
                found = self._keys.get(key)
                if found is not None and found.paused(now):
                    assert found.paused_until is not None
                    seconds = math.ceil((found.paused_until - now).total_seconds())
                    raise TooManyAttempts(
                        f"too many failed sign-ins for {what}: try again "
                        f"{_wait(found.paused_until, now)}",
                        retry_after=max(seconds, 1),
                    )

    def failed(self, email: str, client: str, now: datetime) -> None:
        """Count a failed sign-in; the limit-th failure within the window starts a pause."""
        with self._lock:
            if len(self._keys) > SWEEP_AT:
                self._sweep(now)
            self._count(("email", _normal(email)), self.limits.per_email, now)
            self._count(("client", client), self.limits.per_client, now)

    def succeeded(self, email: str) -> None:
        """Forget an email's failures (the client's stay counted)."""
        with self._lock:
            self._keys.pop(("email", _normal(email)), None)

    def _count(self, key: tuple[str, str], limit: int, now: datetime) -> None:
        found = self._keys.setdefault(key, _Failures())
        while found.times and found.times[0] <= now - self.limits.window:
            found.times.popleft()
        found.times.append(now)
        if len(found.times) >= limit:
            found.paused_until = now + self.limits.cooling
            found.times.clear()

    def _sweep(self, now: datetime) -> None:
        for key in [k for k, v in self._keys.items() if v.idle(now, self.limits.window)]:
            del self._keys[key]


def _normal(email: str) -> str:
    return email.strip().lower()
