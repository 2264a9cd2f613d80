"""The archive port: where the scenes an archive item names are looked up.

``services.catalog.CatalogArchive`` reads the platform's own catalog (what the demo generator
and STAC Transactions fill); ``StaticArchive`` is the in-memory fake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Protocol

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.order_requests import ArchiveItemRequest, ItemRequest, OrderRequest
from skyorder.core.quoting import FootprintLookup


class Archive(Protocol):
    """Finds the footprint of an archive scene."""

    def footprint(self, collection: str, item_id: str) -> Mapping[str, Any] | None:
        """The scene's footprint as GeoJSON, or None when there is no such scene."""
        ...

    def scene_named(self, scene_uuid: str) -> tuple[str, str] | None:
        """The collection and id of the scene with this catalogue UUID, or None."""
        ...


class StaticArchive:
    """An in-memory archive: footprints by (collection, item id), or one for every scene."""

    def __init__(
        self,
        scenes: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
        default: Mapping[str, Any] | None = None,
        uuids: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self._scenes = dict(scenes or {})
        self._default = default
        self._uuids = dict(uuids or {})

    def scene_named(self, scene_uuid: str) -> tuple[str, str] | None:
        """The scene given for this UUID, or None."""
        return self._uuids.get(scene_uuid.lower())

    def footprint(self, collection: str, item_id: str) -> Mapping[str, Any] | None:
        """The stored footprint, else the default one (None when there is none)."""
        return self._scenes.get((collection, item_id), self._default)


def read_footprints(archive: Archive, items: tuple[ItemRequest, ...]) -> FootprintLookup:
    """The footprints of every scene ``items`` name, read now, as a lookup.

    Called before a write transaction opens: a lookup inside one would take a
    second database connection while the first holds SQLite's write lock (and,
    at a pool's worth of concurrent orders, wait for a connection forever).
    """
    scenes = {
        (item.collection, image.item_id)
        for item in items
        if isinstance(item, ArchiveItemRequest)
        for image in item.images
    }
    found = {scene: archive.footprint(*scene) for scene in sorted(scenes)}
    return lambda collection, item_id: found.get((collection, item_id))


def resolve_scenes(archive: Archive, request: OrderRequest) -> OrderRequest:
    """The request with each archive item named only by catalogue UUID (no collection) resolved.

    Such an item gets its scene's collection and source id; the rest are left as they are.

    Raises:
        ValidationFailed: naming every item whose UUID names no scene.
    """
    errors: list[FieldError] = []
    items: list[ItemRequest] = []
    for i, item in enumerate(request.items):
        if not isinstance(item, ArchiveItemRequest) or item.collection:
            items.append(item)
            continue
        found = archive.scene_named(item.item_id)
        if found is None:
            errors.append(
                FieldError(
                    f"items[{i}].item_id",
                    f"no scene has the catalogue UUID {item.item_id!r}; name a scene of the "
                    "catalogue (or its collection and source id)",
                )
            )
            items.append(item)
            continue
        items.append(replace(item, collection=found[0], item_id=found[1]))
    if errors:
        raise ValidationFailed.of(errors)
    return replace(request, items=tuple(items))
