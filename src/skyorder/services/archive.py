"""The archive port: where the scenes an archive item names are looked up.

``services.catalog.CatalogArchive`` reads the platform's own catalog (what the demo generator
and STAC Transactions fill); ``StaticArchive`` is the in-memory fake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from skyorder.core.order_requests import ArchiveItemRequest, ItemRequest
from skyorder.core.quoting import FootprintLookup


class Archive(Protocol):
    """Finds the footprint of an archive scene."""

    def footprint(self, collection: str, item_id: str) -> Mapping[str, Any] | None:
        """The scene's footprint as GeoJSON, or None when there is no such scene."""
        ...


class StaticArchive:
    """An in-memory archive: footprints by (collection, item id), or one for every scene."""

    def __init__(
        self,
        scenes: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
        default: Mapping[str, Any] | None = None,
    ) -> None:
        self._scenes = dict(scenes or {})
        self._default = default

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
