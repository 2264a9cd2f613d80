"""The Clock port: the only place the platform reads the time.

``SystemClock`` follows the wall clock. ``SandboxClock`` follows the wall clock
plus an offset that only grows: advancing it moves "now" forward so that a
30-day tasking window can play out in seconds, deterministically.

Business time (windows, quotes, captures, deliveries, events) follows the sandbox
clock; security (access tokens, signed links) never does: it ages on
:func:`wall_clock`, so a token minted before an advance still works after it.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

from skyorder.core.errors import Conflict, ValidationFailed

MAX_ADVANCE = timedelta(days=3653)
"""How far one advance may move a sandbox clock."""


class Clock(Protocol):
    """Tells the current time (always timezone-aware, UTC)."""

    def now(self) -> datetime:
        """Return the current time."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the wall-clock time in UTC."""
        return datetime.now(UTC)


class SandboxClock:
    """Wall-clock time shifted by an offset that can be advanced on demand."""

    sandbox = True

    def __init__(self, offset: timedelta = timedelta(0), base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset = offset
        self._lock = threading.Lock()

    @property
    def wall(self) -> Clock:
        """The wall clock this sandbox time runs ahead of."""
        return self._base

    @property
    def offset(self) -> timedelta:
        """How far the sandbox time runs ahead of the wall clock."""
        return self._offset

    def now(self) -> datetime:
        """Return the sandbox time."""
        return self._base.now() + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward by ``delta`` and return the new now."""
        if delta < timedelta(0):
            raise Conflict("the sandbox clock only moves forward; seconds must be >= 0")
        with self._lock:
            self._offset += delta
        return self.now()

    def advance_to(self, moment: datetime) -> datetime:
        """Move time forward to ``moment`` (which may not be in the past)."""
        if moment.tzinfo is None:
            raise Conflict("the target time must carry a time zone, e.g. 2026-01-01T00:00:00Z")
        current = self.now()
        if moment < current:
            raise Conflict(
                f"the sandbox clock only moves forward; {moment.isoformat()} is before "
                f"the current sandbox time {current.isoformat()}"
            )
        return self.advance(moment - current)


def advance_target(now: datetime, *, seconds: float | None, to: datetime | None) -> datetime:
    """Where an advance by ``seconds`` or to ``to`` from ``now`` leads, if it may go there.

    Raises:
        ValidationFailed: neither or both given, a naive ``to``, or more than 10 years on.
        Conflict: ``to`` is before ``now`` (the clock only moves forward).
    """
    if (seconds is None) == (to is None):
        raise ValidationFailed.on("body", "give exactly one of 'seconds' or 'to'")
    if to is not None and to.tzinfo is None:
        raise ValidationFailed.on("to", "must carry a time zone, e.g. 2026-01-01T00:00:00Z")
    target = to or now + timedelta(seconds=seconds or 0)
    if target > now + MAX_ADVANCE:
        raise ValidationFailed.on("to", "may be at most 10 years after the current sandbox time")
    if target < now:
        raise Conflict(
            f"the sandbox clock only moves forward; {target.isoformat()} is before "
            f"the current sandbox time {now.isoformat()}"
        )
    return target


class FixedClock:
    """A clock that stands still until moved; for tests."""

    sandbox = True

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        """Return the fixed time."""
        return self._at

    def set(self, at: datetime) -> None:
        """Move the clock to ``at``."""
        self._at = at


def wall_clock(clock: Clock) -> Clock:
    """The real time under ``clock``: what security (tokens, signed links) ages on."""
    return clock.wall if isinstance(clock, SandboxClock) else clock
