"""Draft orders: save with validation errors, edit, submit."""

from __future__ import annotations

from skyorder.core.licences import LicenceAcceptance
from skyorder.core.order_requests import OrderRequest
from skyorder.core.orders import Order
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.services import drafts
from skyorder.services.orders import Placed, Placement


class Drafts(Resource):
    """The caller's draft orders."""

    def save(self, principal: Principal, request: OrderRequest) -> Order:
        """Keep an order as a draft (``POST /v1/orders`` with ``draft: true``)."""
        rt = self._rt
        return drafts.save_draft(
            rt.uow, self._clock(principal), principal, request, rt.settings.max_aoi_vertices
        )

    def edit(self, principal: Principal, ref: str, request: OrderRequest) -> Order:
        """Replace a draft's content (``PUT /v1/orders/{ref}``)."""
        rt = self._rt
        return drafts.edit_draft(
            rt.uow, self._clock(principal), principal, ref, request, rt.settings.max_aoi_vertices
        )

    def submit(
        self, principal: Principal, ref: str, licences: tuple[LicenceAcceptance, ...] = ()
    ) -> Placed:
        """Place a draft as an order (``POST /v1/orders/{ref}/submit``).

        The licences kept with the draft count, and ``licences`` accepted now.
        """
        rt = self._rt
        how = Placement(
            items_json=[],
            base_url=rt.settings.base_url(),
            max_vertices=rt.settings.max_aoi_vertices,
            outbound=rt.outbound,
        )
        return drafts.submit_draft(
            rt.uow, self._clock(principal), rt.archive, principal, ref, how, licences
        )
