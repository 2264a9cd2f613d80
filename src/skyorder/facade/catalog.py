"""The archive catalogue: search, collections, items, their files, and writing them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skyorder.core.catalog import CatalogItem, Collection
from skyorder.core.catalog_search import SearchRequest
from skyorder.core.tenants import Principal, Role
from skyorder.facade.base import Resource
from skyorder.services import catalog as service
from skyorder.services.scene_assets import SceneFile, scene_asset
from skyorder.store.repositories.catalog import SearchPage

__all__ = ["Catalog", "SceneFile", "SearchPage"]


class Catalog(Resource):
    """The archive every caller searches; providers write it."""

    def search(self, request: SearchRequest, collection_id: str | None = None) -> SearchPage:
        """One page of the items matching a search, across collections or in one."""
        with self._rt.uow(readonly=True, autocommit=True) as uow:
            if collection_id is None:
                return service.search(uow, request)
            return service.collection_items(uow, collection_id, request)

    def collections(self) -> list[Collection]:
        """Every collection."""
        with self._rt.uow(readonly=True) as uow:
            return list(uow.catalog.collections())

    def collection(self, collection_id: str) -> Collection:
        """One collection, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            return service.get_collection(uow, collection_id)

    def item(self, collection_id: str, item_id: str) -> CatalogItem:
        """One item, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            return service.get_item(uow, collection_id, item_id)

    def asset_file(self, collection_id: str, item_id: str, key: str) -> SceneFile:
        """The file of one asset of an item (its scene is made on first request)."""
        with self._rt.uow(readonly=True) as uow:
            return scene_asset(uow, self._rt.imagery, collection_id, item_id, key)

    def add_collection(self, principal: Principal, document: Any) -> Collection:
        """Create or replace a collection from its STAC document (providers only)."""
        principal.require(Role.PROVIDER, "writing the catalog")
        with self._rt.uow() as uow:
            created = service.ingest_collection(uow, self._rt.clock, document)
            uow.commit()
        return created

    def add_items(
        self, principal: Principal, document: Any, collection_id: str
    ) -> Sequence[CatalogItem]:
        """Add items (one Feature or a FeatureCollection) to a collection (providers only)."""
        principal.require(Role.PROVIDER, "writing the catalog")
        with self._rt.uow() as uow:
            added = service.ingest_items(uow, self._rt.clock, document, collection_id)
            uow.commit()
        return added
