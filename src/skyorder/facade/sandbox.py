"""The sandbox clock: read it, move it forward and run what falls due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from skyorder.core.clock import SandboxClock
from skyorder.core.errors import FeatureUnavailable, ValidationFailed
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource

MAX_ADVANCE = timedelta(days=3653)
"""How far one advance may move the clock."""


@dataclass(frozen=True)
class ClockState:
    """Sandbox time, its distance from real time, and how many steps an advance ran."""

    now: datetime
    offset: timedelta
    steps_run: int = 0


class Sandbox(Resource):
    """Sandbox time."""

    def _clock(self) -> SandboxClock:
        clock = self._rt.clock
        if not isinstance(clock, SandboxClock):
            raise FeatureUnavailable("this server runs on real time: it has no sandbox clock")
        return clock

    def clock(self, principal: Principal) -> ClockState:
        """The current sandbox time."""
        del principal  # authenticated; the clock is the server's
        clock = self._clock()
        return ClockState(clock.now(), clock.offset)

    def advance(
        self, principal: Principal, *, seconds: float | None = None, to: datetime | None = None
    ) -> ClockState:
        """Move sandbox time forward by ``seconds`` or to ``to``, running every step due.

        Returns once every piece of work due up to the new time has run, each at its
        own due time.

        Raises:
            ValidationFailed: neither or both given, a naive ``to``, or more than 10 years.
        """
        del principal
        if (seconds is None) == (to is None):
            raise ValidationFailed.on("body", "give exactly one of 'seconds' or 'to'")
        if to is not None and to.tzinfo is None:
            raise ValidationFailed.on("to", "must carry a time zone, e.g. 2026-01-01T00:00:00Z")
        clock = self._clock()
        target = to or clock.now() + timedelta(seconds=seconds or 0)
        if target > clock.now() + MAX_ADVANCE:
            raise ValidationFailed.on(
                "to", "may be at most 10 years after the current sandbox time"
            )
        now, ran = self._rt.agenda.advance(clock, target)
        return ClockState(now, clock.offset, ran)
