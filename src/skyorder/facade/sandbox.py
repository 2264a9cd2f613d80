"""Sandbox clocks: each organisation reads its own, moves it forward and runs what falls due.

An organisation's advance moves only its own business time and runs only its own due work
(its orders, quotes, captures, deliveries); other organisations' clocks and work are
untouched. Nobody can move another organisation's clock: every call acts on the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from skyorder.core.clock import SandboxClock, advance_target
from skyorder.core.errors import FeatureUnavailable
from skyorder.core.tenants import Principal, Role
from skyorder.facade.base import Resource


@dataclass(frozen=True)
class ClockState:
    """Sandbox time, its distance from real time, and how many steps an advance ran."""

    now: datetime
    offset: timedelta
    steps_run: int = 0


class Sandbox(Resource):
    """Sandbox time, one clock per organisation."""

    def _own(self, principal: Principal) -> SandboxClock:
        clocks = self._rt.clocks
        if not clocks.sandbox:
            raise FeatureUnavailable("this server runs on real time: it has no sandbox clock")
        self._clock(principal)  # caught up with other processes' advances
        return clocks.own(principal.organisation_id)

    def _state(self, clock: SandboxClock, steps_run: int = 0) -> ClockState:
        server = self._rt.clocks.server
        # How far the organisation's time runs ahead of the wall clock.
        lead = clock.offset + (server.offset if isinstance(server, SandboxClock) else timedelta(0))
        return ClockState(clock.now(), lead, steps_run)

    def clock(self, principal: Principal) -> ClockState:
        """The caller's organisation's sandbox time."""
        return self._state(self._own(principal))

    def advance(
        self, principal: Principal, *, seconds: float | None = None, to: datetime | None = None
    ) -> ClockState:
        """Move the organisation's time forward by ``seconds`` or to ``to``, running its work.

        Returns once every piece of the organisation's work due up to the new time has
        run, each at its own due time.

        Raises:
            ValidationFailed: neither or both given, a naive ``to``, or more than 10 years.
            Conflict: ``to`` is in the past.
        """
        clock = self._own(principal)
        target = advance_target(clock.now(), seconds=seconds, to=to)
        _, ran = self._rt.agenda.advance(clock, target, principal.organisation_id)
        return self._state(clock, ran)

    def reset(self, principal: Principal) -> ClockState:
        """Put the organisation's clock back on the server's time (its admins only).

        Work the organisation scheduled for its later time waits until then again.
        """
        self._own(principal)
        principal.require(Role.ADMIN, "reset the organisation's sandbox clock")
        with self._rt.uow() as uow:
            resets = uow.clock.reset_organisation(principal.organisation_id)
            uow.commit()
        return self._state(self._rt.clocks.reset(principal.organisation_id, resets))
