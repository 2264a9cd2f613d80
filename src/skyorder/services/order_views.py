"""Orders as clients that show a product per scene read them: with scenes, deliverables, money.

A OneAtlas-style client sees each archive item as a "delivery" of a catalogue scene: it
shows the scene's source id, sensor and footprint beside the item, the item's
deliverables once made, and the ledger entries of the order as its payments. These
reads gather that for one order, one page of orders or the order of one item; pricing
a request without keeping a quote answers the scenes the items resolved to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from skyorder.core.catalog import CatalogItem
from skyorder.core.clock import Clock
from skyorder.core.deliverables import Deliverable
from skyorder.core.errors import NotFound
from skyorder.core.geometry import DEFAULT_MAX_VERTICES
from skyorder.core.ledger import Balances, Entry, Transaction
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.order_requests import ArchiveItemRequest, OrderingContext, OrderRequest
from skyorder.core.order_requests import draft_order as check_request
from skyorder.core.orders import Order, OrderItem
from skyorder.core.products import Product
from skyorder.core.quoting import PricedRequest, price_request
from skyorder.core.subscriptions import Consumption
from skyorder.core.tenants import Contract, Principal
from skyorder.services.archive import Archive, read_footprints, resolve_scenes
from skyorder.services.orders import caller_contract, get_order
from skyorder.services.subscriptions import covering
from skyorder.store.uow import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class OrderDetail:
    """An order with the scene each archive item buys and each item's deliverables."""

    order: Order
    scenes: Mapping[str, CatalogItem]
    """By order item id (archive items whose scene is still in the catalogue)."""
    deliverables: Mapping[str, tuple[Deliverable, ...]]
    """By order item id, oldest first."""
    products: Mapping[str, Product]
    subscription_id: str | None = None
    """The km² subscription the order drew from (None: it was paid otherwise)."""
    charges: Mapping[str, tuple[Transaction, ...]] = field(default_factory=dict)
    """By order item id, the ledger's charges for the item, oldest first."""

    def payment(self, item_id: str, deliverable_id: str | None = None) -> Transaction | None:
        """The charge that paid for an item: the one for ``deliverable_id`` if there is one,
        else the item's latest (None: nothing charged, e.g. still held or a subscription's)."""
        charges = self.charges.get(item_id, ())
        mine = [c for c in charges if deliverable_id and c.deliverable_id == deliverable_id]
        chosen = mine or list(charges)
        return chosen[-1] if chosen else None


@dataclass(frozen=True)
class Pricing:
    """A request priced as an order would be, without keeping a quote.

    ``request`` is the request with every scene resolved (collection and source id).
    """

    request: OrderRequest
    priced: PricedRequest
    contract: Contract
    products: Mapping[str, Product]
    covered_by: Consumption | None = None
    """The km² subscription that would cover the order (None: it would be paid)."""


def detail(uow: UnitOfWork, principal: Principal, order: Order) -> OrderDetail:
    """The order's scenes and deliverables, read in the caller's unit of work."""
    scenes: dict[str, CatalogItem] = {}
    made: dict[str, tuple[Deliverable, ...]] = {}
    for item in order.items:
        if item.archive is not None:
            scene = uow.catalog.item(item.archive.collection, item.archive.item_id)
            if scene is not None:
                scenes[item.id] = scene
        made[item.id] = tuple(uow.deliverables.of_item(principal, item.id))
    drawn = uow.subscriptions.drawn_by(order.id)
    charges = {k: tuple(v) for k, v in uow.ledger.charges(principal, order.id).items()}
    return OrderDetail(order, scenes, made, uow.products.all(), drawn, charges)


def order_detail(uow: UnitOfWork, principal: Principal, ref: str) -> OrderDetail:
    """One of the caller's orders in detail, or NotFound."""
    return detail(uow, principal, get_order(uow, principal, ref))


def list_details(
    uow: UnitOfWork, principal: Principal, query: ListQuery
) -> PageResult[OrderDetail]:
    """One page of the caller's orders in detail, newest first."""
    page = uow.orders.list(principal, query)
    return page.with_items([detail(uow, principal, o) for o in page.items])


def item_detail(
    uow: UnitOfWork, principal: Principal, item_id: str
) -> tuple[OrderDetail, OrderItem]:
    """The order of one of the caller's order items, and the item; NotFound otherwise."""
    owner = uow.orders.item_owner(item_id)
    order = uow.orders.get(principal, owner[1]) if owner is not None else None
    item = order.item(item_id) if order is not None else None
    if order is None or item is None:
        raise NotFound(f"delivery {item_id} not found")
    return detail(uow, principal, order), item


@dataclass(frozen=True)
class Drawing:
    """What an order's ``subscription`` link shows: a km² subscription, or the contract's
    balance when the order was paid from it."""

    contract: Contract
    balances: Balances
    consumption: Consumption | None


def drawing(uow: UnitOfWork, principal: Principal, ref: str, now: datetime) -> Drawing:
    """A subscription by id (with its contract), else a contract by id; NotFound otherwise."""
    found = uow.subscriptions.get(principal.without_contract(), ref)
    contract = uow.tenants.get_contract(
        principal.without_contract(), found.contract_id if found else ref
    )
    if contract is None:
        raise NotFound(f"subscription {ref} not found")
    used = uow.subscriptions.consumption(found, now) if found else None
    return Drawing(contract, uow.ledger.balances(contract.id), used)


def order_payments(uow: UnitOfWork, principal: Principal, ref: str) -> list[Entry]:
    """The ledger entries of one of the caller's orders (holds, charges, refunds)."""
    order = get_order(uow, principal, ref)
    return uow.ledger.order_entries(principal, order.id)


def price(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    archive: Archive,
    principal: Principal,
    request: OrderRequest,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> Pricing:
    """Validate and price a request exactly as placing it would, keeping nothing."""
    request = resolve_scenes(archive, request)
    footprint_of = read_footprints(archive, request.items)
    with new_uow(readonly=True) as uow:
        contract = caller_contract(uow, principal)
        products = uow.products.all()
    now = clock.now()
    ctx = OrderingContext(contract, products, now, principal.actor, max_vertices)
    draft = check_request(request, ctx)
    priced = price_request(request.items, contract, products, footprint_of)
    km2 = round(sum(p.price.areas.billable_km2 for p in priced.items), 6)
    with new_uow(readonly=True) as uow:
        skus = [i.product for i in draft.items]
        covered = covering(uow, principal, contract, products, skus, km2, now)
    return Pricing(request, priced, contract, products, covered)


def scene_of(request: OrderRequest, index: int) -> ArchiveItemRequest | None:
    """The archive item at ``index`` of a request, if it is one."""
    item = request.items[index]
    return item if isinstance(item, ArchiveItemRequest) else None
