"""The sandbox clock (sandbox mode only)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.core.clock import SandboxClock
from skyorder.core.errors import ValidationFailed
from skyorder.schemas.tenants import ClockAdvance, ClockOut

router = APIRouter(prefix="/v1/sandbox", tags=["sandbox"])
MAX_ADVANCE = timedelta(days=3653)


def _clock(runtime: RuntimeDep) -> SandboxClock:
    clock = runtime.clock
    assert isinstance(clock, SandboxClock)
    return clock


@router.get("/clock", response_model=ClockOut)
def get_clock(runtime: RuntimeDep, principal: PrincipalDep) -> ClockOut:
    """The sandbox time, and how far it runs ahead of the wall clock."""
    clock = _clock(runtime)
    return ClockOut(now=clock.now(), sandbox=True, offset_seconds=clock.offset.total_seconds())


@router.post("/clock/advance", response_model=ClockOut)
def advance_clock(body: ClockAdvance, runtime: RuntimeDep, principal: PrincipalDep) -> ClockOut:
    """Move sandbox time forward by ``seconds`` or to ``to`` (RFC 3339).

    Returns once every piece of work due up to the new time has run, each at
    its own due time, so what follows sees a consistent world.
    """
    if (body.seconds is None) == (body.to is None):
        raise ValidationFailed.on("body", "give exactly one of 'seconds' or 'to'")
    if body.to is not None and body.to.tzinfo is None:
        raise ValidationFailed.on("to", "must carry a time zone, e.g. 2026-01-01T00:00:00Z")
    clock = _clock(runtime)
    target = body.to or clock.now() + timedelta(seconds=body.seconds or 0)
    if target > clock.now() + MAX_ADVANCE:
        raise ValidationFailed.on("to", "may be at most 10 years after the current sandbox time")
    now, ran = runtime.agenda.advance(clock, target)
    return ClockOut(
        now=now, sandbox=True, offset_seconds=clock.offset.total_seconds(), steps_run=ran
    )
