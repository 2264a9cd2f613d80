"""Tasking: the satellites, when they can image an AOI, and how feasible a request is."""

from __future__ import annotations

from skyorder.client.session import Session
from skyorder.schemas.tasking import (
    FeasibilityIn,
    FeasibilityOut,
    OpportunityList,
    OpportunitySearchIn,
    SatelliteList,
    SatelliteOut,
)


class TaskingClient:
    """``/v1/opportunities``, ``/v1/feasibility`` and ``/v1/satellites``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def opportunities(self, search: OpportunitySearchIn) -> OpportunityList:
        """Every access window of the constellation over an AOI in a window (≤ 60 days), in
        time order: satellite, start, end, off-nadir range, Sun elevation, expected cloud."""
        return await self._s.post("/v1/opportunities", OpportunityList, search)

    async def feasibility(self, item: FeasibilityIn) -> FeasibilityOut:
        """The verdict (SUCCESS, WEAK_SUCCESS or FAILED, with its reason and the passes it
        considered) on a tasking item as it would be ordered; nothing is ordered."""
        return await self._s.post("/v1/feasibility", FeasibilityOut, item)

    async def recheck(self, order: str, item_id: str) -> FeasibilityOut:
        """Judge an open tasking item of an order again and stamp the verdict on it."""
        url = f"/v1/orders/{order}/items/{item_id}/feasibility"
        return await self._s.post(url, FeasibilityOut)

    async def satellites(self) -> SatelliteList:
        """The constellation's satellites with their sensors, orbits and status."""
        return await self._s.get("/v1/satellites", SatelliteList)

    async def satellite(self, satellite: str) -> SatelliteOut:
        """One satellite, by its name (``MICRO-01``) or NORAD number."""
        return await self._s.get(f"/v1/satellites/{satellite}", SatelliteOut)
