"""Catalogue writes: create, replace, merge-patch and delete collections and items, by owners.

Every front end that writes the catalogue (the STAC Transactions routes, the
``skyorder catalog ingest`` command) calls these, so the rules of
``core.catalog_writes`` hold everywhere: only a collection's owner writes it
and its items, a create never replaces, a delete keeps what orders rely on, and
each write is an event of the owner organisation, saved in the same transaction.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from skyorder.core.catalog import CatalogItem, Collection, validate_collection, validate_item
from skyorder.core.catalog import validate_items as validate_features
from skyorder.core.catalog_writes import (
    CATALOG_ITEM_CREATED,
    CATALOG_ITEM_DELETED,
    CATALOG_ITEM_UPDATED,
    COLLECTION_CREATED,
    COLLECTION_DELETED,
    COLLECTION_UPDATED,
    CatalogWriter,
    catalog_event,
    changed_fields,
    check_collection_deletable,
    check_item_deletable,
    check_patch,
    collection_document,
    collection_exists,
    item_document,
    items_exist,
    merge_patch,
    patched_item,
    with_path_ids,
)
from skyorder.core.clock import Clock
from skyorder.core.errors import NotFound
from skyorder.core.events import Event
from skyorder.services.catalog import get_collection, get_item, widen_extents, with_prices
from skyorder.store.uow import UnitOfWork

T = TypeVar("T")


def operator(uow: UnitOfWork, owner: str | None = None) -> CatalogWriter:
    """The operator as a writer; the collections it creates go to organisation ``owner``.

    Raises:
        NotFound: when ``owner`` names no organisation.
    """
    if owner is not None and uow.tenants.get_organisation(owner) is None:
        raise NotFound(
            f"organisation {owner} does not exist (`skyorder admin create-org` prints the id "
            "of the organisation it creates)"
        )
    return CatalogWriter.as_operator(owner)


def create_collection(
    uow: UnitOfWork, clock: Clock, writer: CatalogWriter, data: Any, *, replacing: bool = False
) -> Collection:
    """Create a collection owned by the writer's organisation.

    With ``replacing`` (the command line's ``--replace``) an existing one is
    replaced instead, as ``replace_collection`` does.

    Raises:
        ValidationFailed: naming the broken field.
        AlreadyExists: when the id is taken (and not ``replacing``).
        PermissionDenied: replacing another organisation's collection.
    """
    collection = replace(validate_collection(data), owner=writer.organisation_id)
    existing = uow.catalog.collection(collection.id)
    if existing is not None and replacing:
        return _update_collection(uow, clock, writer, existing, data)
    now = clock.now()
    if existing is not None or not uow.catalog.add_collection(collection, now):
        raise collection_exists(collection.id)
    if collection.owner is not None:
        event = catalog_event(collection.owner, writer, COLLECTION_CREATED, now, collection.id)
        uow.events.add([event])
    return collection


def replace_collection(
    uow: UnitOfWork, clock: Clock, writer: CatalogWriter, collection_id: str, data: Any
) -> Collection:
    """Replace a collection's description (its extent follows its items and stays).

    Raises:
        NotFound, PermissionDenied, ValidationFailed.
    """
    current = get_collection(uow, collection_id)
    writer.check(current)
    return _update_collection(uow, clock, writer, current, data)


def patch_collection(
    uow: UnitOfWork, clock: Clock, writer: CatalogWriter, collection_id: str, patch: Any
) -> Collection:
    """Change part of a collection with a JSON merge patch (RFC 7396).

    Raises:
        NotFound, PermissionDenied, ValidationFailed.
    """
    current = get_collection(uow, collection_id)
    writer.check(current)
    document = merge_patch(collection_document(current), check_patch(patch))
    return _update_collection(uow, clock, writer, current, document)


def _update_collection(
    uow: UnitOfWork, clock: Clock, writer: CatalogWriter, current: Collection, data: Any
) -> Collection:
    writer.check(current)
    updated = validate_collection(with_path_ids(data, {"id": current.id}))
    fields = dict(updated.fields)
    if "extent" in current.fields:
        fields["extent"] = current.fields["extent"]
    updated = replace(updated, fields=fields, owner=current.owner)
    now = clock.now()
    uow.catalog.upsert_collection(updated, now)
    if current.owner is not None:
        changed = changed_fields(collection_document(current), collection_document(updated))
        event = catalog_event(
            current.owner, writer, COLLECTION_UPDATED, now, current.id, changed=changed
        )
        uow.events.add([event])
    return updated


def create_items(
    uow: UnitOfWork,
    clock: Clock,
    writer: CatalogWriter,
    data: Any,
    collection_id: str | None = None,
    *,
    replacing: bool = False,
) -> list[CatalogItem]:
    """Validate a STAC item or FeatureCollection, price it and add it to its collection.

    All or nothing: one invalid item, one collection the writer may not write,
    or one id that exists (unless ``replacing``) refuses the whole request.

    Raises:
        NotFound: when a collection does not exist.
        PermissionDenied: when the writer does not own a collection.
        ValidationFailed: naming the first broken field of each invalid item.
        AlreadyExists: naming the ids that exist.
    """
    if collection_id is not None:
        writer.check(get_collection(uow, collection_id))
    items = validate_features(data, collection_id)
    by_collection: dict[str, list[CatalogItem]] = {}
    for item in items:
        by_collection.setdefault(item.collection, []).append(item)
    owners: dict[str, str | None] = {}
    existing: set[tuple[str, str]] = set()
    for cid, members in by_collection.items():
        collection = get_collection(uow, cid)
        writer.check(collection)
        owners[cid] = collection.owner
        taken = uow.catalog.existing_item_ids(cid, [i.id for i in members])
        if taken and not replacing:
            raise items_exist(cid, taken)
        existing.update((cid, i) for i in taken)
    priced = with_prices(uow, items)
    now = clock.now()
    widen_extents(uow, priced, now)
    if replacing:
        uow.catalog.upsert_items(priced, now)
    else:
        for cid in by_collection:
            members = [i for i in priced if i.collection == cid]
            if uow.catalog.insert_items(members, now) < len(members):  # created meanwhile
                raise items_exist(cid, [i.id for i in members])
    events: list[Event] = []
    for item in priced:
        owner = owners[item.collection]
        if owner is not None:
            kind = (
                CATALOG_ITEM_UPDATED
                if (item.collection, item.id) in existing
                else CATALOG_ITEM_CREATED
            )
            events.append(catalog_event(owner, writer, kind, now, item.collection, item.id))
    uow.events.add(events)
    return priced


def replace_item(
    uow: UnitOfWork,
    clock: Clock,
    writer: CatalogWriter,
    collection_id: str,
    item_id: str,
    data: Any,
) -> CatalogItem:
    """Replace an item with a new STAC document (same id and collection).

    Raises:
        NotFound, PermissionDenied, ValidationFailed.
    """
    collection = get_collection(uow, collection_id)
    writer.check(collection)
    current = get_item(uow, collection_id, item_id)
    return _update_item(uow, clock, writer, collection, current, data)


def patch_item(
    uow: UnitOfWork,
    clock: Clock,
    writer: CatalogWriter,
    collection_id: str,
    item_id: str,
    patch: Any,
) -> CatalogItem:
    """Change part of an item with a JSON merge patch (RFC 7396).

    A new footprint gets its price properties worked out again (unless the patch sets them).

    Raises:
        NotFound, PermissionDenied, ValidationFailed.
    """
    collection = get_collection(uow, collection_id)
    writer.check(collection)
    current = get_item(uow, collection_id, item_id)
    document = patched_item(current, check_patch(patch))
    return _update_item(uow, clock, writer, collection, current, document)


def _update_item(
    uow: UnitOfWork,
    clock: Clock,
    writer: CatalogWriter,
    collection: Collection,
    current: CatalogItem,
    data: Any,
) -> CatalogItem:
    item = validate_item(with_path_ids(data, {"id": current.id}), collection.id)
    [priced] = with_prices(uow, [item])
    now = clock.now()
    widen_extents(uow, [priced], now)
    uow.catalog.upsert_items([priced], now)
    if collection.owner is not None:
        changed = changed_fields(item_document(current), item_document(priced))
        event = catalog_event(
            collection.owner, writer, CATALOG_ITEM_UPDATED, now, collection.id, current.id, changed
        )
        uow.events.add([event])
    return priced


def delete_item(
    uow: UnitOfWork, clock: Clock, writer: CatalogWriter, collection_id: str, item_id: str
) -> None:
    """Remove an item from its collection (the collection's extent stays as it was).

    Raises:
        NotFound: when the collection or the item does not exist.
        PermissionDenied: when the writer does not own the collection.
        Conflict: when an order buys the scene.
    """
    collection = get_collection(uow, collection_id)
    writer.check(collection)
    get_item(uow, collection_id, item_id)
    check_item_deletable(collection_id, item_id, uow.catalog.scene_orders(collection_id, item_id))
    if not uow.catalog.delete_item(collection_id, item_id):  # deleted meanwhile
        raise NotFound(f"item {item_id!r} is not in collection {collection_id!r}")
    if collection.owner is not None:
        event = catalog_event(
            collection.owner, writer, CATALOG_ITEM_DELETED, clock.now(), collection_id, item_id
        )
        uow.events.add([event])


def delete_collection(
    uow: UnitOfWork, clock: Clock, writer: CatalogWriter, collection_id: str
) -> None:
    """Remove an empty collection.

    Raises:
        NotFound: when the collection does not exist.
        PermissionDenied: when the writer does not own it.
        Conflict: when it still holds items.
    """
    collection = get_collection(uow, collection_id)
    writer.check(collection)
    check_collection_deletable(collection_id, uow.catalog.count(collection_id))
    if not uow.catalog.delete_collection(collection_id):  # deleted meanwhile
        raise NotFound(f"collection {collection_id!r} does not exist")
    if collection.owner is not None:
        event = catalog_event(
            collection.owner, writer, COLLECTION_DELETED, clock.now(), collection_id
        )
        uow.events.add([event])
