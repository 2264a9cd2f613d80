"""Satellites, access opportunities and feasibility: what tasking can promise."""

from __future__ import annotations

from typing import Any

from skyorder.core.errors import NotFound
from skyorder.core.feasibility import Checked
from skyorder.core.ids import new_id
from skyorder.core.opportunities import Opportunity, OpportunityRequest
from skyorder.core.order_requests import TaskingItemRequest
from skyorder.core.orders import Order
from skyorder.core.satellites import MeanElements, Satellite
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.orbits import Constellation
from skyorder.orbits.tle import mean_elements
from skyorder.services import tasking as service
from skyorder.store.repositories.opportunity_searches import SearchRecord

__all__ = ["Checked", "Opportunity", "SearchRecord", "Tasking"]

MAX_SEARCH_RECORDS = 100


class Tasking(Resource):
    """The constellation and what it can image, for any caller."""

    def _orbits(self) -> service.Orbits:
        rt = self._rt
        return service.Orbits(rt.constellation, rt.ephemeris, rt.cloud)

    @property
    def constellation(self) -> Constellation:
        """The satellites the platform tasks (the same for every tenant)."""
        return self._rt.constellation

    def satellite(self, ref: str) -> Satellite:
        """One satellite by id, name or NORAD id, or NotFound."""
        return service.get_satellite(self._rt.constellation, ref)

    def elements(self, satellite: Satellite) -> MeanElements:
        """The mean orbit a satellite's TLE describes, as SGP4 reads it (for listings)."""
        return mean_elements(satellite.tle_line1, satellite.tle_line2)

    def opportunities(self, principal: Principal, request: OpportunityRequest) -> list[Opportunity]:
        """Every access window of a search, with its expected cloud, in time order.

        "Now" is the caller's organisation's time (its own clock in the sandbox).
        """
        rt = self._rt
        with rt.uow(readonly=True) as uow:
            products = uow.products.all()
        return service.find_opportunities(
            self._orbits(),
            products,
            request,
            self._clock(principal).now(),
            rt.settings.max_aoi_vertices,
        )

    def check(self, principal: Principal, request: TaskingItemRequest) -> Checked:
        """Validate a tasking item as an order would and judge its feasibility."""
        rt = self._rt
        return service.check_request(
            rt.uow,
            self._clock(principal),
            self._orbits(),
            principal,
            request,
            rt.settings.max_aoi_vertices,
        )

    def recheck(self, principal: Principal, order_ref: str, item_id: str) -> tuple[Order, Checked]:
        """Judge an order item's feasibility again and stamp the verdict on it."""
        rt = self._rt
        return service.recheck_item(
            rt.uow, self._clock(principal), self._orbits(), principal, order_ref, item_id
        )

    def keep_search(
        self,
        principal: Principal,
        product_id: str,
        request: dict[str, Any],
        result: list[dict[str, Any]],
    ) -> SearchRecord:
        """Keep a finished opportunity search, for callers that read its result later."""
        now = self._clock(principal).now()
        record = SearchRecord(
            new_id(), principal.organisation_id, product_id, request, "completed", None,
            result, now, now,
        )  # fmt: skip
        with self._rt.uow() as uow:
            uow.opportunity_searches.add(record)
            uow.commit()
        return record

    def search(self, principal: Principal, search_id: str) -> SearchRecord:
        """One kept opportunity search of the caller's, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            record = uow.opportunity_searches.get(principal, search_id)
        if record is None:
            raise NotFound(f"opportunity search {search_id} not found")
        return record

    def searches(self, principal: Principal) -> list[SearchRecord]:
        """The caller's latest kept opportunity searches, newest first."""
        with self._rt.uow(readonly=True) as uow:
            return uow.opportunity_searches.list(principal, MAX_SEARCH_RECORDS)
