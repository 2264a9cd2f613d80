"""The sandbox clock (sandbox mode only)."""

from __future__ import annotations

from fastapi import APIRouter

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.facade.sandbox import ClockState
from skyorder.schemas.tenants import ClockAdvance, ClockOut

router = APIRouter(prefix="/v1/sandbox", tags=["sandbox"])


def _out(state: ClockState, steps_run: int | None = None) -> ClockOut:
    return ClockOut(
        now=state.now,
        sandbox=True,
        offset_seconds=state.offset.total_seconds(),
        steps_run=steps_run,
    )


@router.get("/clock", response_model=ClockOut)
def get_clock(facade: FacadeDep, principal: PrincipalDep) -> ClockOut:
    """Your organisation's sandbox time, and how far it runs ahead of the wall clock.

    Each organisation has its own clock: advancing it moves only your orders, quotes,
    captures and deliveries. Access tokens and download links age on real time.
    """
    return _out(facade.sandbox.clock(principal))


@router.post("/clock/advance", response_model=ClockOut)
def advance_clock(body: ClockAdvance, facade: FacadeDep, principal: PrincipalDep) -> ClockOut:
    """Move your organisation's sandbox time forward by ``seconds`` or to ``to`` (RFC 3339).

    Returns once every piece of your organisation's work due up to the new time has
    run, each at its own due time, so what follows sees a consistent world;
    ``steps_run`` counts it. Other organisations' time and work are untouched.
    """
    state = facade.sandbox.advance(principal, seconds=body.seconds, to=body.to)
    return _out(state, state.steps_run)


@router.post("/clock/reset", response_model=ClockOut)
def reset_clock(facade: FacadeDep, principal: PrincipalDep) -> ClockOut:
    """Put your organisation's sandbox clock back on the server's time (admins only).

    Work scheduled for your organisation's later time waits until then again.
    """
    return _out(facade.sandbox.reset(principal))
