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
from collections.abc import Mapping
from dataclasses import dataclass
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

    def catch_up(self, offset: timedelta) -> None:
        """Run ``offset`` ahead of the base clock if that is later than now (another
        process's advance); never back."""
        with self._lock:
            if offset > self._offset:
                self._offset = offset

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


@dataclass(frozen=True)
class SharedTime:
    """Sandbox time as the processes sharing a database saved it, for one organisation."""

    server: timedelta
    """How far the server's clock runs ahead of the wall clock."""
    organisation: timedelta
    """How far the organisation's runs ahead of the server's (0: it has no clock of its own)."""
    resets: int
    """How many times the organisation's clock was put back on the server's time."""


class OrganisationClocks:
    """Each organisation's business time: the server's clock, shifted by its own offset.

    In the sandbox an organisation advances only its own clock (Stripe's test clocks): its
    orders, quotes, captures and due work follow it, other organisations' do not. On real
    time (``server`` is no :class:`SandboxClock`) every organisation reads ``server``.
    """

    def __init__(self, server: Clock, offsets: Mapping[str, timedelta] | None = None) -> None:
        self.server = server
        self._clocks: dict[str, SandboxClock] = {}
        self._resets: dict[str, int] = {}  # as last seen in the database (catch_up)
        self._lock = threading.Lock()
        for organisation_id, offset in (offsets or {}).items():
            self.follow(organisation_id, offset)

    @property
    def sandbox(self) -> bool:
        """Whether organisations have clocks of their own (the server's runs on sandbox time)."""
        return isinstance(self.server, SandboxClock)

    def of(self, organisation_id: str | None) -> Clock:
        """The clock ``organisation_id`` reads (the server's for None or on real time)."""
        if organisation_id is None or not self.sandbox:
            return self.server
        return self.own(organisation_id)

    def own(self, organisation_id: str) -> SandboxClock:
        """The organisation's own sandbox clock (made, at the server's time, on first use)."""
        with self._lock:
            clock = self._clocks.get(organisation_id)
            if clock is None:
                clock = self._clocks[organisation_id] = SandboxClock(base=self.server)
            return clock

    def ahead(self) -> dict[str, timedelta]:
        """The organisations whose time runs ahead of the server's, and by how much."""
        with self._lock:
            return {k: c.offset for k, c in self._clocks.items() if c.offset > timedelta(0)}

    def follow(self, organisation_id: str, offset: timedelta) -> None:
        """Set an organisation's clock to ``offset`` (as another process saved it)."""
        clock = self.own(organisation_id)
        if offset > clock.offset:
            clock.catch_up(offset)
        elif offset < clock.offset:  # an admin put it back
            with self._lock:
                self._clocks[organisation_id] = SandboxClock(offset, base=self.server)

    def reset(self, organisation_id: str, resets: int | None = None) -> SandboxClock:
        """Put an organisation's clock back on the server's time (``resets``: the count the
        database now holds, so that following it does not reset the clock again)."""
        with self._lock:
            clock = self._clocks[organisation_id] = SandboxClock(base=self.server)
            if resets is not None:
                self._resets[organisation_id] = resets
            return clock

    def catch_up(self, organisation_id: str, shared: SharedTime) -> None:
        """Move this process's clocks up to what other processes saved: the server's and
        the organisation's forward only (an advance of this process not saved yet is kept),
        the organisation's back only when it was reset since this process last looked."""
        if isinstance(self.server, SandboxClock):
            self.server.catch_up(shared.server)
        with self._lock:
            if shared.resets > self._resets.get(organisation_id, 0):
                self._resets[organisation_id] = shared.resets
                self._clocks[organisation_id] = SandboxClock(shared.organisation, base=self.server)
                return
        self.own(organisation_id).catch_up(shared.organisation)


def wall_clock(clock: Clock) -> Clock:
    """The real time under ``clock``: what security (tokens, signed links) ages on."""
    return clock.wall if isinstance(clock, SandboxClock) else clock
