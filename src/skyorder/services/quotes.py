"""Quotes: priced, expiring offers that an order can cite to get exactly that price."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from skyorder.core.clock import Clock
from skyorder.core.errors import NotFound
from skyorder.core.geometry import DEFAULT_MAX_VERTICES
from skyorder.core.ids import new_id
from skyorder.core.order_requests import OrderingContext, OrderRequest, build_order
from skyorder.core.pricing import line_to_json
from skyorder.core.quoting import price_request
from skyorder.core.tenants import Principal
from skyorder.services.archive import Archive
from skyorder.store.repositories.billing import StoredQuote
from skyorder.store.uow import UnitOfWork


def create_quote(
    new_uow: Callable[[], UnitOfWork],
    clock: Clock,
    archive: Archive,
    principal: Principal,
    request: OrderRequest,
    items_json: list[dict[str, Any]],
    ttl: timedelta,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> StoredQuote:
    """Validate the items exactly as an order would be, price them and keep the offer."""
    with new_uow() as uow:
        contract = uow.tenants.get_contract(principal, principal.contract_for_write())
        if contract is None:
            raise NotFound("your contract was not found; GET /v1/contracts lists yours")
        products = uow.products.all()
        now = clock.now()
        ctx = OrderingContext(contract, products, now, principal.client_id, max_vertices)
        build_order(request, ctx, sequence=0)  # the same validation as placing it
        priced = price_request(request.items, contract, products, archive.footprint)
        quote = StoredQuote(
            id=new_id(),
            organisation_id=principal.organisation_id,
            contract_id=contract.id,
            created_by=principal.client_id,
            currency=contract.currency,
            total=priced.total,
            request={"items": items_json},
            lines=[{"sku": p.sku, **line_to_json(p.price)} for p in priced.items],
            created_at=now,
            expires_at=now + ttl,
            order_id=None,
        )
        uow.quotes.add(quote)
        uow.commit()
        return quote


def get_quote(uow: UnitOfWork, principal: Principal, quote_id: str) -> StoredQuote:
    """One of the caller's quotes."""
    quote = uow.quotes.get(principal, quote_id)
    if quote is None:
        raise NotFound(f"quote {quote_id} not found")
    return quote
