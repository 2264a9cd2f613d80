"""Orders in detail: with their scenes, deliverables and payments; prices kept nowhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skyorder.core.errors import NotFound
from skyorder.core.ledger import Entry, OrderRejected
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.order_requests import OrderRequest
from skyorder.core.orders import OrderItem
from skyorder.core.tenants import Principal
from skyorder.delivery.signing import SignedLink
from skyorder.facade.base import Resource
from skyorder.services import order_views as service
from skyorder.services import orders, queries
from skyorder.services.order_views import Drawing, OrderDetail, Pricing

__all__ = ["OrderDetail", "OrderViews", "Pricing"]

PRODUCT_ASSETS = ("analytic", "analytic_ms", "analytic_pan", "delivery")
"""The file that is "the product" of a deliverable, in order of preference."""


class OrderViews(Resource):
    """The caller's orders with what a product-per-scene client shows beside them."""

    def get(self, principal: Principal, ref: str) -> OrderDetail:
        """One order, its scenes and deliverables (``GET /api/v1/orders/{id}``)."""
        with self._rt.uow(readonly=True) as uow:
            return service.order_detail(uow, principal, ref)

    def list(self, principal: Principal, query: ListQuery) -> PageResult[OrderDetail]:
        """One page of orders in detail, newest first (``GET /api/v1/orders``)."""
        with self._rt.uow(readonly=True) as uow:
            return service.list_details(uow, principal, query)

    def item(self, principal: Principal, item_id: str) -> tuple[OrderDetail, OrderItem]:
        """The order of one order item, and the item (``GET /api/v1/deliveries/{id}``)."""
        with self._rt.uow(readonly=True) as uow:
            return service.item_detail(uow, principal, item_id)

    def drawing(self, principal: Principal, ref: str) -> Drawing:
        """What orders draw from (``GET /api/v1/subscriptions/{id}``): a km² subscription,
        or a contract's balance."""
        with self._rt.uow(readonly=True) as uow:
            return service.drawing(uow, principal, ref, self._clock(principal).now())

    def payments(self, principal: Principal, ref: str) -> Sequence[Entry]:
        """The ledger entries of one order (``GET /api/v1/orders/{id}/payments``)."""
        with self._rt.uow(readonly=True) as uow:
            return service.order_payments(uow, principal, ref)

    def price(self, principal: Principal, request: OrderRequest) -> Pricing:
        """Price a request as an order would be, keeping nothing (``POST /api/v1/prices``)."""
        rt = self._rt
        return service.price(
            rt.uow,
            self._clock(principal),
            rt.archive,
            principal,
            request,
            rt.settings.max_aoi_vertices,
        )

    def place(
        self, principal: Principal, request: OrderRequest, items_json: Sequence[dict[str, Any]]
    ) -> OrderDetail:
        """Place an order and show it in detail (``POST /api/v1/orders``).

        An order the balance cannot cover is kept as rejected and shown as such.
        """
        try:
            placed = self._rt.facade.orders.place(principal, request, list(items_json))
            order_id = placed.order.id
        except OrderRejected as rejected:
            order_id = rejected.order_id
        return self.get(principal, order_id)

    def cancel(self, principal: Principal, ref: str) -> OrderDetail:
        """Cancel an order and show it in detail (``POST /api/v1/orders/{id}/cancel``)."""
        order = orders.cancel_order(self._rt.uow, self._clock(principal), principal, ref)
        return self.get(principal, order.id)

    def download(self, principal: Principal, deliverable_id: str) -> SignedLink:
        """A signed link to a deliverable's product file (its analytic image, else its bundle)."""
        with self._rt.uow(readonly=True) as uow:
            deliverable = queries.get_deliverable(uow, principal, deliverable_id)
        key = next((k for k in PRODUCT_ASSETS if k in deliverable.assets), None)
        if key is None:
            raise NotFound(f"item {deliverable_id} has no product file yet")
        return self._rt.links.sign(deliverable.assets[key].path)
