"""The archive port: where the scenes an archive item names are looked up.

``services.catalog.CatalogArchive`` reads the platform's own catalog (what the demo generator
and STAC Transactions fill); ``StaticArchive`` is the in-memory fake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


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
