"""The sandbox clock: read it, move it forward and run what falls due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from skyorder.core.clock import SandboxClock, advance_target
from skyorder.core.errors import FeatureUnavailable
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource


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
            Conflict: ``to`` is in the past.
        """
        del principal
        clock = self._clock()
        target = advance_target(clock.now(), seconds=seconds, to=to)
        now, ran = self._rt.agenda.advance(clock, target)
        return ClockState(now, clock.offset, ran)
