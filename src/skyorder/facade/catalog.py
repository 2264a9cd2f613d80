"""The archive catalogue: search, collections, items, their files, and writing them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from skyorder.core.catalog import CatalogItem, Collection
from skyorder.core.catalog_search import SearchRequest
from skyorder.core.catalog_writes import CatalogWriter
from skyorder.core.resolutions import Resolution
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.services import catalog as service
from skyorder.services import catalog_writes as writes
from skyorder.services.scene_assets import SceneFile, asset_source, make_asset
from skyorder.store.repositories.catalog import SearchPage
from skyorder.store.uow import UnitOfWork

T = TypeVar("T")

__all__ = ["Catalog", "SceneFile", "SearchPage"]


class Catalog(Resource):
    """The archive every caller searches; providers write it."""

    def search(
        self,
        request: SearchRequest,
        collection_id: str | None = None,
        principal: Principal | None = None,
    ) -> SearchPage:
        """One page of the items matching a search, across collections or in one.

        With ``principal``, prices are the caller's (``services.catalog.priced_for``).
        """
        with self._rt.uow(readonly=True, autocommit=True) as uow:
            if collection_id is None:
                page = service.search(uow, request)
            else:
                page = service.collection_items(uow, collection_id, request)
            if principal is None:
                return page
            return replace(page, items=service.priced_for(uow, principal, page.items))

    def collections(self) -> list[Collection]:
        """Every collection."""
        with self._rt.uow(readonly=True) as uow:
            return list(uow.catalog.collections())

    def collection(self, collection_id: str) -> Collection:
        """One collection, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            return service.get_collection(uow, collection_id)

    def item(
        self, collection_id: str, item_id: str, principal: Principal | None = None
    ) -> CatalogItem:
        """One item, or NotFound (with ``principal``, priced for the caller)."""
        with self._rt.uow(readonly=True) as uow:
            item = service.get_item(uow, collection_id, item_id)
            if principal is None:
                return item
            [priced] = service.priced_for(uow, principal, [item])
            return priced

    def asset_file(
        self,
        principal: Principal,
        collection_id: str,
        item_id: str,
        key: str,
        resolution: Resolution = Resolution.SANDBOX,
    ) -> SceneFile:
        """The file of one asset of an item, made (that asset only) on its first request.

        Where the settings say so (``archive_assets``), a data asset is only for the
        collection's owner and for organisations that bought the whole scene.
        The item is read first and the transaction closed: no transaction waits for rasters.
        """
        ordered = principal if self._rt.settings.archive_assets_ordered() else None
        with self._rt.uow(readonly=True) as uow:
            source = asset_source(uow, collection_id, item_id, key, ordered)
        return make_asset(self._rt.imagery, source, resolution)

    def _write(self, principal: Principal, write: Callable[[UnitOfWork, CatalogWriter], T]) -> T:
        writer = CatalogWriter.provider(principal)  # refuses callers without the provider role
        with self._rt.uow() as uow:
            result = write(uow, writer)
            uow.commit()
        return result

    def create_collection(self, principal: Principal, document: Any) -> Collection:
        """Create a collection owned by the caller's organisation (409 if the id exists)."""
        clock = self._clock(principal)
        return self._write(
            principal, lambda uow, w: writes.create_collection(uow, clock, w, document)
        )

    def replace_collection(
        self, principal: Principal, collection_id: str, document: Any
    ) -> Collection:
        """Replace a collection's description (its owner only)."""
        clock = self._clock(principal)
        return self._write(
            principal,
            lambda uow, w: writes.replace_collection(uow, clock, w, collection_id, document),
        )

    def patch_collection(self, principal: Principal, collection_id: str, patch: Any) -> Collection:
        """Change part of a collection with a JSON merge patch (its owner only)."""
        clock = self._clock(principal)
        return self._write(
            principal,
            lambda uow, w: writes.patch_collection(uow, clock, w, collection_id, patch),
        )

    def create_items(
        self, principal: Principal, document: Any, collection_id: str
    ) -> Sequence[CatalogItem]:
        """Add items (a Feature or a FeatureCollection); 409 and nothing written if one exists."""
        clock = self._clock(principal)
        return self._write(
            principal, lambda uow, w: writes.create_items(uow, clock, w, document, collection_id)
        )

    def replace_item(
        self, principal: Principal, collection_id: str, item_id: str, document: Any
    ) -> CatalogItem:
        """Replace an item (the collection's owner only)."""
        clock = self._clock(principal)
        return self._write(
            principal,
            lambda uow, w: writes.replace_item(uow, clock, w, collection_id, item_id, document),
        )

    def patch_item(
        self, principal: Principal, collection_id: str, item_id: str, patch: Any
    ) -> CatalogItem:
        """Change part of an item with a JSON merge patch (the collection's owner only)."""
        clock = self._clock(principal)
        return self._write(
            principal,
            lambda uow, w: writes.patch_item(uow, clock, w, collection_id, item_id, patch),
        )

    def delete_item(self, principal: Principal, collection_id: str, item_id: str) -> None:
        """Delete an item (the collection's owner only; 409 while an order buys it)."""
        clock = self._clock(principal)
        self._write(
            principal, lambda uow, w: writes.delete_item(uow, clock, w, collection_id, item_id)
        )

    def delete_collection(self, principal: Principal, collection_id: str) -> None:
        """Delete an empty collection (its owner only; 409 while it holds items)."""
        clock = self._clock(principal)
        self._write(
            principal, lambda uow, w: writes.delete_collection(uow, clock, w, collection_id)
        )
