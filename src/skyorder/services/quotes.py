"""Quotes: priced, expiring offers that an order can cite to get exactly that price."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from skyorder.core.clock import Clock
from skyorder.core.errors import NotFound, ValidationFailed
from skyorder.core.geometry import DEFAULT_MAX_VERTICES
from skyorder.core.ids import new_id
from skyorder.core.order_requests import (
    ArchiveItemRequest,
    OrderingContext,
    OrderRequest,
    bare_fields,
    build_item,
    draft_order,
)
from skyorder.core.pricing import LinePrice, line_to_json
from skyorder.core.quoting import Quote, price_request
from skyorder.core.tenants import AccountRef, Contract, Principal
from skyorder.services.archive import Archive, read_footprints, resolve_scenes
from skyorder.services.orders import caller_contract
from skyorder.services.tenants import reading_contract, resolve_account
from skyorder.store.uow import UnitOfWork, UnitOfWorkFactory


def create_quote(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    archive: Archive,
    principal: Principal,
    request: OrderRequest,
    items_json: list[dict[str, Any]],
    ttl: timedelta,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> Quote:
    """Validate the items exactly as an order would be, price them and keep the offer.

    Everything but keeping the quote happens before the write transaction opens.
    """
    request = resolve_scenes(archive, request)
    footprint_of = read_footprints(archive, request.items)
    with new_uow(readonly=True) as uow:
        contract = caller_contract(uow, principal)
        products = uow.products.all()
    now = clock.now()
    ctx = OrderingContext(contract, products, now, principal.actor, max_vertices)
    draft_order(request, ctx)  # the same validation as placing it
    priced = price_request(request.items, contract, products, footprint_of)
    quote = Quote(
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
    with new_uow() as uow:
        uow.quotes.add(quote)
        uow.commit()
    return quote


def get_quote(uow: UnitOfWork, principal: Principal, quote_id: str) -> Quote:
    """One of the caller's quotes."""
    quote = uow.quotes.get(principal, quote_id)
    if quote is None:
        raise NotFound(f"quote {quote_id} not found")
    return quote


@dataclass(frozen=True)
class ItemPrice:
    """What one archive scene costs the caller, under the contract it would be ordered under."""

    contract: Contract
    sku: str
    line: LinePrice

    @property
    def currency(self) -> str:
        """The contract's currency (or ``CREDITS``)."""
        return self.contract.currency


def price_item(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    archive: Archive,
    principal: Principal,
    req: ArchiveItemRequest,
    account: AccountRef,
) -> ItemPrice:
    """Price one archive scene exactly as ordering it would (nothing is kept).

    Errors name the item's own fields (``collection``, ``item_id``, ``processing_level``).
    """
    footprint_of = read_footprints(archive, (req,))
    with new_uow(readonly=True) as uow:
        principal = resolve_account(uow, principal, account)
        contract = reading_contract(uow, principal)
        products = uow.products.all()
    ctx = OrderingContext(contract, products, clock.now(), principal.actor)
    build_item(req, ctx)
    try:
        priced = price_request((req,), contract, products, footprint_of)
    except ValidationFailed as exc:
        raise ValidationFailed.of(bare_fields(exc.errors, "items[0]")) from None
    [line] = priced.items
    return ItemPrice(contract, line.sku, line.price)
