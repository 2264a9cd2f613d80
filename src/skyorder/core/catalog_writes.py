"""Who writes the catalogue and how: owners, explicit updates, and the events they leave.

The catalogue is shared: every caller reads all of it. Writing is not: each
collection belongs to one provider organisation (its owner), and only the
owner's provider clients write the collection and its items. The operator
(the command line) writes any collection. A create never replaces: an id that
exists is refused, and a change is asked for explicitly, as a replacement or a
JSON merge patch (RFC 7396), as the STAC Transactions extension specifies.
A delete keeps what others rely on: a scene any order buys stays (its
deliverables are made from it, now or later), and a collection goes only once
it is empty. Each write becomes an event of the owner organisation, so providers see in
their event log (and webhooks) who changed their archive and what.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skyorder.core.catalog import PRICE_PROPERTIES, CatalogItem, Collection
from skyorder.core.errors import AlreadyExists, Conflict, PermissionDenied, ValidationFailed
from skyorder.core.events import EntityType, Event, make_event
from skyorder.core.tenants import Principal, Role

MAX_PATCH_DEPTH = 32
OPERATOR = "operator"

COLLECTION_CREATED = "CollectionCreated"
COLLECTION_UPDATED = "CollectionUpdated"
CATALOG_ITEM_CREATED = "CatalogItemCreated"
CATALOG_ITEM_UPDATED = "CatalogItemUpdated"
COLLECTION_DELETED = "CollectionDeleted"
CATALOG_ITEM_DELETED = "CatalogItemDeleted"


@dataclass(frozen=True)
class CatalogWriter:
    """Who writes: a provider organisation's API client, or the operator.

    ``organisation_id`` is the writing organisation; for the operator it is the
    organisation new collections are given to (None: they stay the operator's).
    """

    organisation_id: str | None
    actor: str
    operator: bool = False

    @classmethod
    def provider(cls, principal: Principal) -> CatalogWriter:
        """The caller as a catalogue writer (PermissionDenied without the provider role)."""
        principal.require(Role.PROVIDER, "writing the catalog")
        return cls(principal.organisation_id, principal.client_id)

    @classmethod
    def as_operator(cls, owner: str | None = None) -> CatalogWriter:
        """The operator: writes every collection; the ones it creates go to ``owner``."""
        return cls(owner, OPERATOR, operator=True)

    def check(self, collection: Collection) -> None:
        """Refuse (PermissionDenied) unless this writer may write ``collection``."""
        if self.operator or (
            collection.owner is not None and collection.owner == self.organisation_id
        ):
            return
        if collection.owner is None:
            raise PermissionDenied(
                f"collection {collection.id} has no owner organisation, so only the operator "
                "writes it (`skyorder catalog ingest --replace`); reading it stays open"
            )
        raise PermissionDenied(
            f"collection {collection.id} belongs to another provider organisation; only that "
            "organisation's provider clients write it and its items (reading it stays open)"
        )


def collection_exists(collection_id: str) -> AlreadyExists:
    """The error for creating a collection whose id is taken."""
    subject = f"collection {collection_id!r}"
    return AlreadyExists(
        f"{subject} already exists; to change it, replace it with PUT or change part of it "
        "with PATCH (JSON merge patch) instead of creating it again",
        subject=subject,
    )


def items_exist(collection_id: str, item_ids: Sequence[str]) -> AlreadyExists:
    """The error for creating items whose ids are taken in their collection (nothing written)."""
    shown = ", ".join(repr(i) for i in item_ids[:5])
    more = f" (and {len(item_ids) - 5} more)" if len(item_ids) > 5 else ""
    noun = "item" if len(item_ids) == 1 else "items"
    subject = f"{noun} {shown}{more} of collection {collection_id!r}"
    return AlreadyExists(
        f"{subject} already exist{'s' if len(item_ids) == 1 else ''}; nothing was written. To "
        "change an item, replace it with PUT or change part of it with PATCH (JSON merge "
        "patch) instead of creating it again",
        subject=subject,
    )


def check_item_deletable(collection_id: str, item_id: str, orders: int) -> None:
    """Refuse (Conflict) to delete a scene that ``orders`` order items buy.

    An order keeps naming its scene after delivery, and deliverables are made from
    the scene (again, on a reprocessing or a re-download), so the scene stays.
    """
    if orders:
        noun = "order item buys" if orders == 1 else "order items buy"
        raise Conflict(
            f"item {item_id!r} of collection {collection_id!r} cannot be deleted: {orders} "
            f"{noun} it, and a scene that orders buy stays in the catalog because their "
            "deliverables are made from it. Change it with PUT or PATCH instead"
        )


def check_collection_deletable(collection_id: str, items: int) -> None:
    """Refuse (Conflict) to delete a collection that still holds ``items`` items."""
    if items:
        noun = "item" if items == 1 else "items"
        raise Conflict(
            f"collection {collection_id!r} still holds {items} {noun}; delete its items first "
            "(DELETE each item; a scene that orders buy cannot be deleted, nor then its "
            "collection)"
        )


def check_patch(patch: Any) -> dict[str, Any]:
    """A JSON merge patch body: an object nested at most ``MAX_PATCH_DEPTH`` deep.

    Raises:
        ValidationFailed: when it is not an object (a JSON Patch array, say) or too deep.
    """
    if not isinstance(patch, dict):
        raise ValidationFailed.on(
            "body",
            "must be a JSON merge patch (RFC 7396): an object with the members to change, "
            "null for those to remove",
        )
    stack: list[tuple[Any, int]] = [(patch, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_PATCH_DEPTH:
            raise ValidationFailed.on("body", f"is nested deeper than {MAX_PATCH_DEPTH} levels")
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            stack.extend((child, depth + 1) for child in children)
    return patch


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON merge patch (RFC 7396): objects merge, null removes, the rest replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def collection_document(collection: Collection) -> dict[str, Any]:
    """The STAC document of a collection as it is ingested (no links, no owner)."""
    return {
        "type": "Collection",
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "license": collection.license,
        **collection.fields,
    }


def item_document(item: CatalogItem) -> dict[str, Any]:
    """The STAC document of an item as it is ingested (no links)."""
    return {
        "type": "Feature",
        "id": item.id,
        "collection": item.collection,
        "geometry": item.geometry,
        "bbox": item.bbox.as_list(),
        "properties": item.properties,
        "assets": item.assets,
        "stac_extensions": list(item.stac_extensions),
    }


def patched_item(item: CatalogItem, patch: dict[str, Any]) -> dict[str, Any]:
    """The item's document with ``patch`` merged in.

    A new footprint drops the price properties derived from the old one (unless
    the patch sets them), so that they are worked out again from the new area.
    """
    document: dict[str, Any] = merge_patch(item_document(item), patch)
    props = patch.get("properties")
    sets_price = isinstance(props, dict) and any(k in props for k in PRICE_PROPERTIES)
    if "geometry" in patch and not sets_price and isinstance(document.get("properties"), dict):
        document["properties"] = {
            k: v for k, v in document["properties"].items() if k not in PRICE_PROPERTIES
        }
    return document


def with_path_ids(data: Any, ids: Mapping[str, str]) -> Any:
    """A replacement document with the ids the path names filled in where it omits them.

    Raises:
        ValidationFailed: when the document names another id (an id cannot change).
    """
    if not isinstance(data, dict):
        return data
    filled = dict(data)
    for key, value in ids.items():
        named = filled.setdefault(key, value)
        if named != value:
            raise ValidationFailed.on(
                key,
                f"is {named!r} but the path names {value!r}; an id cannot change "
                "(create a new one with POST instead)",
            )
    return filled


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The members that differ, ``properties.<name>`` for an item's properties."""
    changed: list[str] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "properties" and isinstance(old, dict) and isinstance(new, dict):
            changed += [f"properties.{name}" for name in changed_fields(old, new)]
        else:
            changed.append(key)
    return changed


def catalog_event(
    owner: str,
    writer: CatalogWriter,
    type_: str,
    at: datetime,
    collection_id: str,
    item_id: str | None = None,
    changed: Sequence[str] = (),
) -> Event:
    """An event of the owner organisation about one of its collections or items."""
    details: dict[str, Any] = {"collection": collection_id, "by": writer.actor}
    if item_id is None:
        entity_type, entity_id = EntityType.COLLECTION, collection_id
    else:
        entity_type, entity_id = EntityType.CATALOG_ITEM, f"{collection_id}/{item_id}"
        details["item"] = item_id
    if changed:
        details["changed"] = list(changed)
    return make_event(
        organisation_id=owner,
        entity_type=entity_type,
        entity_id=entity_id,
        order_id=None,
        order_number=None,
        type=type_,
        at=at,
        details=details,
    )
