"""Orders and quotes: place, list, read, cancel, follow; price without ordering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from skyorder.core.events import Event
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.names import Named
from skyorder.core.order_requests import ArchiveItemRequest, OrderRequest
from skyorder.core.orders import Order
from skyorder.core.quoting import Quote
from skyorder.core.tenants import AccountRef, Principal
from skyorder.facade.base import Resource
from skyorder.services import orders as service
from skyorder.services import quotes
from skyorder.services.orders import IdempotencyKey, Placed, Placement
from skyorder.services.queries import list_events, names_for
from skyorder.services.quotes import ItemPrice

__all__ = [
    "AccountRef",
    "IdempotencyKey",
    "ItemPrice",
    "OrderView",
    "Orders",
    "Placed",
    "Placement",
    "Quotes",
]


@dataclass(frozen=True)
class OrderView:
    """An order and, while it awaits payment, the address of its checkout.

    The account numbers are those of the order's organisation and contract.
    """

    order: Order
    checkout_url: str | None
    organisation_number: int | None = None
    contract_number: int | None = None


class Orders(Resource):
    """The caller's orders."""

    def place(
        self,
        principal: Principal,
        request: OrderRequest,
        items_json: list[dict[str, Any]],
        *,
        quote_id: str | None = None,
        idempotency: IdempotencyKey | None = None,
        dry_run: bool = False,
        account: AccountRef | None = None,
    ) -> Placed:
        """Validate, price, pay for and place an order (``POST /v1/orders``).

        ``account`` names the organisation and contract by number (403 when not the caller's).
        """
        rt = self._rt
        how = Placement(
            account=account or AccountRef(),
            items_json=items_json,
            quote_id=quote_id,
            idempotency=idempotency,
            dry_run=dry_run,
            base_url=rt.settings.base_url(),
            max_vertices=rt.settings.max_aoi_vertices,
            outbound=rt.outbound,
        )
        return service.place_order(
            rt.uow, self._clock(principal), rt.archive, principal, request, how
        )

    def list(self, principal: Principal, query: ListQuery) -> PageResult[Order]:
        """One page of the caller's orders, newest first (``GET /v1/orders``)."""
        with self._rt.uow(readonly=True, autocommit=True) as uow:
            return uow.orders.list(principal, query)

    def list_named(self, principal: Principal, query: ListQuery) -> Named[PageResult[Order]]:
        """One page of orders with their contracts', projects' and products' names."""
        with self._rt.uow(readonly=True) as uow:
            page = uow.orders.list(principal, query)
            return Named(page, names_for(uow, principal))

    def get_named(self, principal: Principal, ref: str) -> Named[Order]:
        """One order (by id, number or task id) with its contract's, project's, products' names."""
        with self._rt.uow(readonly=True) as uow:
            return Named(service.get_order(uow, principal, ref), names_for(uow, principal))

    def get(self, principal: Principal, ref: str) -> OrderView:
        """One order by id or number (``GET /v1/orders/{ref}``)."""
        with self._rt.uow(readonly=True) as uow:
            order = service.get_order(uow, principal, ref)
            url = service.pending_checkout_url(uow, order, self._rt.settings.base_url())
            org = uow.tenants.get_organisation(order.organisation_id)
            contract = uow.tenants.get_contract(principal.without_contract(), order.contract_id)
        return OrderView(
            order, url, org.number if org else None, contract.number if contract else None
        )

    def cancel(self, principal: Principal, ref: str) -> Order:
        """Cancel an order and its open items (``POST /v1/orders/{ref}/cancel``)."""
        return service.cancel_order(self._rt.uow, self._clock(principal), principal, ref)

    def events(
        self, principal: Principal, query: ListQuery, ref: str | None = None
    ) -> PageResult[Event]:
        """The event log, or one order's (``GET /v1/events``, ``/v1/orders/{ref}/events``)."""
        with self._rt.uow(readonly=True) as uow:
            return list_events(uow, principal, query, ref)


class Quotes(Resource):
    """Priced, expiring offers."""

    def create(
        self, principal: Principal, request: OrderRequest, items_json: list[dict[str, Any]]
    ) -> Quote:
        """Price items as an order would be priced, and keep the offer (``POST /v1/quotes``)."""
        rt = self._rt
        return quotes.create_quote(
            rt.uow,
            self._clock(principal),
            rt.archive,
            principal,
            request,
            items_json,
            timedelta(seconds=rt.settings.quote_ttl_seconds),
            rt.settings.max_aoi_vertices,
        )

    def get(self, principal: Principal, quote_id: str) -> Quote:
        """One of the caller's quotes (``GET /v1/quotes/{id}``)."""
        with self._rt.uow(readonly=True) as uow:
            return quotes.get_quote(uow, principal, quote_id)

    def price_item(
        self, principal: Principal, item: ArchiveItemRequest, account: AccountRef | None = None
    ) -> ItemPrice:
        """Price one archive scene as ordering it would, keeping nothing.

        Under the contract ``account`` names by number, else the caller's chosen, only
        or oldest contract.
        """
        rt = self._rt
        return quotes.price_item(
            rt.uow, self._clock(principal), rt.archive, principal, item, account or AccountRef()
        )
