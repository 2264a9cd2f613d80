"""Catalog use cases: seed collections and scenes, read and search the archive.

A provider's writes (create, replace, patch, with their owner rule and events)
live in ``services.catalog_writes``.

``generate_items`` (the demo archive generator) lives in ``services.scenes``
and is re-exported here with the rest of the catalog's use cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from shapely.geometry import shape

from skyorder.core.catalog import (
    CatalogItem,
    Collection,
    archive_product,
    format_datetime,
    list_price_properties,
)
from skyorder.core.catalog_search import SearchRequest
from skyorder.core.clock import Clock
from skyorder.core.errors import NotFound, ValidationFailed
from skyorder.core.order_requests import ArchiveItemRequest
from skyorder.core.pricing import geodesic_area_km2
from skyorder.core.quoting import price_request
from skyorder.core.tenants import Principal
from skyorder.services.demo_archive import demo_collections
from skyorder.services.scenes import DEFAULT_SEED, example_items, generate_items
from skyorder.store.repositories.catalog import SearchPage
from skyorder.store.uow import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "DEFAULT_SEED",
    "demo_collections",
    "ensure_demo_catalog",
    "example_items",
    "generate_items",
    "get_collection",
    "get_item",
    "install_collections",
    "search",
    "store_items",
    "widen_extents",
    "with_prices",
]

DEMO_ITEMS = 2000
GENERATE_BATCH = 5000


def install_collections(
    uow: UnitOfWork, clock: Clock, collections: Iterable[Collection], owner: str | None = None
) -> None:
    """Insert or update collections (idempotent): the operator's seeding, not a provider's write.

    An existing collection keeps the extent its items made and its owner; one
    without an owner goes to ``owner``.
    """
    for collection in collections:
        existing = uow.catalog.collection(collection.id)
        fields = dict(collection.fields)
        if existing is not None and "extent" in existing.fields:
            fields["extent"] = existing.fields["extent"]
        keeper = existing.owner if existing is not None and existing.owner else owner
        uow.catalog.upsert_collection(replace(collection, fields=fields, owner=keeper), clock.now())


def with_prices(uow: UnitOfWork, items: Sequence[CatalogItem]) -> list[CatalogItem]:
    """Items lacking price properties get them from their collection's archive product."""
    products = uow.products.all()
    out = []
    for item in items:
        product = archive_product(products, item.collection)
        if product is None or "opencosmos:price" in item.properties:
            out.append(item)
            continue
        area = geodesic_area_km2(shape(item.geometry))
        properties = {**list_price_properties(area, product), **item.properties}
        out.append(replace(item, properties=properties))
    return out


def _same(footprint: dict[str, Any], _collection: str, _item_id: str) -> dict[str, Any]:
    return footprint


def priced_for(
    uow: UnitOfWork, principal: Principal, items: Sequence[CatalogItem]
) -> list[CatalogItem]:
    """Items whose price properties say what ordering them would cost the caller.

    ``opencosmos:price`` becomes the price of the whole scene at the product's first
    level under the caller's chosen, only or oldest contract (its discount applied), and
    ``opencosmos:price_currency`` / ``skyorder:price_currency`` that contract's currency:
    the amount and currency an order of the scene charges. Items whose scene cannot be
    priced keep the catalogue's list price.
    """
    contract_id = principal.contract_for_reading()
    contract = uow.tenants.get_contract(principal, contract_id) if contract_id else None
    if contract is None or not items:
        return list(items)
    products = uow.products.all()
    out = []
    for item in items:
        product = archive_product(products, item.collection)
        if product is None or product.pricing is None or not product.processing_levels:
            out.append(item)
            continue
        scene = ArchiveItemRequest(item.collection, item.id, product.processing_levels[0])
        try:
            priced = price_request((scene,), contract, products, partial(_same, item.geometry))
        except ValidationFailed:
            out.append(item)
            continue
        currency = contract.currency
        properties = {
            **item.properties,
            "opencosmos:price": priced.total,
            "opencosmos:price_currency": currency,
            "skyorder:price_currency": currency,
        }
        out.append(replace(item, properties=properties))
    return out


def _widen(extent: Any, items: Sequence[CatalogItem]) -> dict[str, Any]:
    west = min(i.bbox.west for i in items)
    south = min(i.bbox.south for i in items)
    east = max(i.bbox.east for i in items)
    north = max(i.bbox.north for i in items)
    start = min(i.datetime for i in items)
    end = max(i.datetime for i in items)
    bbox = extent.get("spatial", {}).get("bbox", [[]])[0] if isinstance(extent, dict) else []
    interval = (
        extent.get("temporal", {}).get("interval", [[None, None]])[0]
        if isinstance(extent, dict)
        else [None, None]
    )
    if len(bbox) == 4 and bbox != [-180.0, -90.0, 180.0, 90.0]:
        west, south = min(west, bbox[0]), min(south, bbox[1])
        east, north = max(east, bbox[2]), max(north, bbox[3])
    if interval and interval[0]:
        start = min(start, datetime.fromisoformat(interval[0].replace("Z", "+00:00")))
    if interval and len(interval) > 1 and interval[1]:
        end = max(end, datetime.fromisoformat(interval[1].replace("Z", "+00:00")))
    return {
        "spatial": {"bbox": [[west, south, east, north]]},
        "temporal": {"interval": [[format_datetime(start), format_datetime(end)]]},
    }


def widen_extents(uow: UnitOfWork, items: Sequence[CatalogItem], now: datetime) -> None:
    """Grow the extents of the items' collections to cover them.

    Raises:
        NotFound: when a collection does not exist.
    """
    by_collection: dict[str, list[CatalogItem]] = {}
    for item in items:
        by_collection.setdefault(item.collection, []).append(item)
    for collection_id, members in by_collection.items():
        collection = uow.catalog.collection(collection_id)
        if collection is None:
            raise NotFound(f"collection {collection_id!r} does not exist; create it first")
        fields = dict(collection.fields)
        fields["extent"] = _widen(fields.get("extent"), members)
        uow.catalog.upsert_collection(replace(collection, fields=fields), now)


def store_items(uow: UnitOfWork, clock: Clock, items: Sequence[CatalogItem]) -> int:
    """Upsert already-validated items and widen their collections' extents (seeding)."""
    now = clock.now()
    widen_extents(uow, items, now)
    return uow.catalog.upsert_items(items, now)


def get_collection(uow: UnitOfWork, collection_id: str) -> Collection:
    """One collection, or NotFound."""
    collection = uow.catalog.collection(collection_id)
    if collection is None:
        raise NotFound(f"collection {collection_id!r} does not exist")
    return collection


def get_item(uow: UnitOfWork, collection_id: str, item_id: str) -> CatalogItem:
    """One item of a collection, or NotFound."""
    get_collection(uow, collection_id)
    item = uow.catalog.item(collection_id, item_id)
    if item is None:
        raise NotFound(f"item {item_id!r} is not in collection {collection_id!r}")
    return item


def search(uow: UnitOfWork, request: SearchRequest) -> SearchPage:
    """One page of the items matching a search."""
    return uow.catalog.search(request)


def collection_items(uow: UnitOfWork, collection_id: str, request: SearchRequest) -> SearchPage:
    """One page of a collection's items (the collection must exist)."""
    get_collection(uow, collection_id)
    if request.collections and request.collections != (collection_id,):
        raise ValidationFailed.on("collections", "is fixed by the path on this endpoint")
    return uow.catalog.search(replace(request, collections=(collection_id,)))


def generate_into(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    count: int,
    seed: int = DEFAULT_SEED,
    owner: str | None = None,
) -> int:
    """Generate ``count`` demo scenes and store them in batches; return how many.

    The demo collections go to ``owner`` unless they have an owner already.
    """
    with new_uow() as uow:
        install_collections(uow, clock, demo_collections(), owner)
        products = uow.products.all()
        uow.commit()
    done = 0
    while done < count:
        size = min(GENERATE_BATCH, count - done)
        batch = generate_items(size, seed, products, start=done)
        with new_uow() as uow:
            store_items(uow, clock, batch)
            uow.commit()
        done += size
    return done


def ensure_demo_catalog(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    count: int = DEMO_ITEMS,
    seed: int = DEFAULT_SEED,
    owner: str | None = None,
) -> int:
    """Seed the demo archive once: only when the catalog holds no items. Returns items added.

    The demo collections belong to ``owner`` (the demo organisation); ones seeded
    earlier without an owner are given to it.
    """
    with new_uow(readonly=True) as uow:
        seeded = uow.catalog.count() > 0
    if not seeded:
        return generate_into(new_uow, clock, count, seed, owner)
    with new_uow() as uow:
        if owner is not None:
            uow.catalog.claim_collections([c.id for c in demo_collections()], owner)
        added = add_missing_examples(uow, clock, owner)
        uow.commit()
    return added


def add_missing_examples(uow: UnitOfWork, clock: Clock, owner: str | None = None) -> int:
    """Bring a demo archive seeded by an earlier version up to date: new collections, the
    documents' example scenes it lacks, and the catalogue UUIDs the documents give them.

    Scenes already there are left as they are (a provider may have changed them).
    """
    install_collections(uow, clock, demo_collections(), owner)
    examples = example_items(uow.products.all())
    now = clock.now()
    added = [e for e in examples if e.id not in uow.catalog.existing_item_ids(e.collection, [e.id])]
    if added:
        widen_extents(uow, added, now)
        uow.catalog.insert_items(added, now)
    for example in examples:
        if example.uuid is not None:
            uow.catalog.set_uuid(example.collection, example.id, example.uuid)
    return len(added)


class CatalogArchive:
    """The archive port on the platform's own catalog: footprints of catalog items."""

    def __init__(self, new_uow: UnitOfWorkFactory) -> None:
        self._new_uow = new_uow

    def footprint(self, collection: str, item_id: str) -> dict[str, Any] | None:
        """The item's footprint as GeoJSON, or None when the catalog has no such item.

        One statement, read on its own (no BEGIN and COMMIT round trips on PostgreSQL):
        every archive order and quote reads it.
        """
        with self._new_uow(readonly=True, autocommit=True) as uow:
            return uow.catalog.footprint(collection, item_id)

    def scene_named(self, scene_uuid: str) -> tuple[str, str] | None:
        """The collection and id of the catalog item with this UUID, or None."""
        with self._new_uow(readonly=True) as uow:
            item = uow.catalog.item_by_uuid(scene_uuid)
        return (item.collection, item.id) if item is not None else None
