"""Tasking: the satellites, when they can image an AOI, and how feasible a request is."""

from __future__ import annotations

from fastapi import APIRouter

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.runtime import Runtime
from skyorder.schemas.tasking import (
    FeasibilityIn,
    FeasibilityOut,
    OpportunityList,
    OpportunityOut,
    OpportunitySearchIn,
    SatelliteList,
    SatelliteOut,
)
from skyorder.services import tasking as service

router = APIRouter(prefix="/v1", tags=["tasking"])


def _orbits(runtime: Runtime) -> service.Orbits:
    return service.Orbits(runtime.constellation, runtime.ephemeris, runtime.cloud)


@router.get("/satellites", response_model=SatelliteList)
def list_satellites(runtime: RuntimeDep, principal: PrincipalDep) -> SatelliteList:
    """List the constellation's satellites with their TLEs, orbits, sensors and status."""
    del principal  # authenticated; the constellation is the same for every tenant
    sats = [SatelliteOut.of(s) for s in runtime.constellation.satellites]
    return SatelliteList(constellation=runtime.constellation.name, count=len(sats), results=sats)


@router.get("/satellites/{satellite_id}", response_model=SatelliteOut)
def get_satellite(satellite_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> SatelliteOut:
    """Get one satellite by its name (e.g. ``MICRO-01``) or its NORAD catalogue number."""
    del principal
    return SatelliteOut.of(service.get_satellite(runtime.constellation, satellite_id))


@router.post("/opportunities", response_model=OpportunityList)
def search_opportunities(
    body: OpportunitySearchIn, runtime: RuntimeDep, principal: PrincipalDep
) -> OpportunityList:
    """Every time a satellite can image the AOI in the window (at most 60 days).

    Each window gives the satellite, start and end, the off-nadir range over the AOI,
    incidence angle, Sun elevation, pass direction, ground track (altitude in metres as
    the third coordinate), the strip it would image, and the cloud cover expected then.
    Only operational satellites are searched; each sensor's own off-nadir and Sun limits
    always apply. ``product`` applies a tasking product's sensor and off-nadir limit.
    """
    del principal
    with runtime.uow(readonly=True) as uow:
        products = uow.products.all()
    found = service.find_opportunities(
        _orbits(runtime),
        products,
        body.to_request(),
        runtime.clock.now(),
        runtime.settings.max_aoi_vertices,
    )
    return OpportunityList(count=len(found), results=[OpportunityOut.of(o) for o in found])


@router.post("/feasibility", response_model=FeasibilityOut)
def check_feasibility(
    body: FeasibilityIn, runtime: RuntimeDep, principal: PrincipalDep
) -> FeasibilityOut:
    """Judge how feasible a tasking item is, without ordering it.

    The body is a tasking item as ``POST /v1/orders`` takes it, validated the same way.
    The verdict is ``SUCCESS``, ``WEAK_SUCCESS`` or ``FAILED`` with a reason, from the
    passes of the product's sensor over the AOI from now (or the window's start) for at
    most 60 days, the item's off-nadir limit and the chance of cloud within its limit.
    """
    checked = service.check_request(
        runtime.uow,
        runtime.clock,
        _orbits(runtime),
        principal,
        body.to_request(),
        runtime.settings.max_aoi_vertices,
    )
    return FeasibilityOut.of(checked)


@router.post("/orders/{order_ref}/items/{item_id}/feasibility", response_model=FeasibilityOut)
def recheck_item(
    order_ref: str, item_id: str, runtime: RuntimeDep, principal: PrincipalDep
) -> FeasibilityOut:
    """Judge an open tasking item's feasibility again and stamp it on the item.

    The item's ``feasibility_status`` and ``last_feasibility_check`` show the verdict,
    and an ``OrderItemFeasibilityChecked`` event records it with its reason.
    """
    order, checked = service.recheck_item(
        runtime.uow, runtime.clock, _orbits(runtime), principal, order_ref, item_id
    )
    return FeasibilityOut.of(checked, order.id, item_id)
