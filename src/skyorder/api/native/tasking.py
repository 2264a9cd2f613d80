"""Tasking: the satellites, when they can image an AOI, and how feasible a request is."""

from __future__ import annotations

from fastapi import APIRouter

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.schemas.tasking import (
    FeasibilityIn,
    FeasibilityOut,
    OpportunityList,
    OpportunityOut,
    OpportunitySearchIn,
    SatelliteList,
    SatelliteOut,
)

router = APIRouter(prefix="/v1", tags=["tasking"])


@router.get("/satellites", response_model=SatelliteList)
def list_satellites(facade: FacadeDep, principal: PrincipalDep) -> SatelliteList:
    """List the constellation's satellites with their TLEs, orbits, sensors and status."""
    del principal  # authenticated; the constellation is the same for every tenant
    constellation = facade.tasking.constellation
    sats = [SatelliteOut.of(s, facade.tasking.elements(s)) for s in constellation.satellites]
    return SatelliteList(constellation=constellation.name, count=len(sats), results=sats)


@router.get("/satellites/{satellite_id}", response_model=SatelliteOut)
def get_satellite(satellite_id: str, facade: FacadeDep, principal: PrincipalDep) -> SatelliteOut:
    """Get one satellite by its name (e.g. ``MICRO-01``) or its NORAD catalogue number."""
    del principal
    satellite = facade.tasking.satellite(satellite_id)
    return SatelliteOut.of(satellite, facade.tasking.elements(satellite))


@router.post("/opportunities", response_model=OpportunityList)
def search_opportunities(
    body: OpportunitySearchIn, facade: FacadeDep, principal: PrincipalDep
) -> OpportunityList:
    """Every time a satellite can image the AOI in the window (at most 60 days).

    Each window gives the satellite, start and end, the off-nadir range over the AOI,
    incidence angle, Sun elevation, pass direction, ground track (altitude in metres as
    the third coordinate), the strip it would image, and the cloud cover expected then.
    Only operational satellites are searched; each sensor's own off-nadir and Sun limits
    always apply. ``product`` applies a tasking product's sensor and off-nadir limit.
    """
    found = facade.tasking.opportunities(principal, body.to_request())
    return OpportunityList(count=len(found), results=[OpportunityOut.of(o) for o in found])


@router.post("/feasibility", response_model=FeasibilityOut)
def check_feasibility(
    body: FeasibilityIn, facade: FacadeDep, principal: PrincipalDep
) -> FeasibilityOut:
    """Judge how feasible a tasking item is, without ordering it.

    The body is a tasking item as ``POST /v1/orders`` takes it, validated the same way.
    The verdict is ``SUCCESS``, ``WEAK_SUCCESS`` or ``FAILED`` with a reason, from the
    passes of the product's sensor over the AOI from now (or the window's start) for at
    most 60 days, the item's off-nadir limit and the chance of cloud within its limit.
    """
    checked = facade.tasking.check(principal, body.to_request())
    return FeasibilityOut.of(checked)


@router.post("/orders/{order_ref}/items/{item_id}/feasibility", response_model=FeasibilityOut)
def recheck_item(
    order_ref: str, item_id: str, facade: FacadeDep, principal: PrincipalDep
) -> FeasibilityOut:
    """Judge an open tasking item's feasibility again and stamp it on the item.

    The item's ``feasibility_status`` and ``last_feasibility_check`` show the verdict,
    and an ``OrderItemFeasibilityChecked`` event records it with its reason.
    """
    order, checked = facade.tasking.recheck(principal, order_ref, item_id)
    return FeasibilityOut.of(checked, order.id, item_id)
