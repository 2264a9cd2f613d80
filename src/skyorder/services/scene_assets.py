"""The files behind an archive item's STAC assets, each made from its scene when first asked for.

``pan`` / ``ms`` / ``analytic`` are the scene's own COGs; ``visual``, ``thumbnail``
and ``metadata`` are files of a whole-scene display product (the same raster pipeline
as deliverables, default options), each made alone on its first download and kept
beside the scene (``overview_VISUAL.tif``, ``overview_thumbnail.png``,
``overview_metadata.json``): a thumbnail does not wait for the visual COG to be written,
nor any asset for the others.

Reading the item (:func:`asset_source`, in a unit of work) and making the file
(:func:`make_asset`, outside any) are separate, so no transaction waits for rasters.
Assets come at the sandbox resolution unless the full one is asked for
(:class:`~skyorder.core.resolutions.Resolution`); each resolution has its own scene
folder, so the cache is keyed by scene and options. A file is made under the scene's
lock file for that asset and moved into place whole, so concurrent first requests
make it once and never see half of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from skyorder.core.errors import NotFound, PermissionDenied
from skyorder.core.resolutions import Resolution
from skyorder.core.tenants import Principal
from skyorder.processing.options import ProductOptions
from skyorder.processing.products import make_products
from skyorder.processing.synthesis import Scene
from skyorder.services.imagery import Imagery, SceneSource, for_catalog_item
from skyorder.store.uow import UnitOfWork

PRODUCT_ID = "overview"
DERIVED = {
    "visual": ("_VISUAL.tif", "visual.tif"),
    "thumbnail": ("_thumbnail.png", "thumbnail.png"),
    "metadata": ("_metadata.json", "metadata.json"),
}
"""Derived asset key → (suffix of its file beside the scene, the name it is served as)."""
OPEN_KEYS = frozenset({"thumbnail", "metadata"})
"""Assets anyone signed in may download: a preview and a description, not the data."""


@dataclass(frozen=True)
class SceneFile:
    """A file to serve."""

    path: Path
    media_type: str
    name: str


@dataclass(frozen=True)
class AssetSource:
    """One asset of one archive item, as read from the catalogue."""

    item_id: str
    key: str
    media_type: str
    scene: SceneSource


def asset_source(
    uow: UnitOfWork,
    collection_id: str,
    item_id: str,
    key: str,
    ordered: Principal | None = None,
) -> AssetSource:
    """What asset ``key`` of an archive item is made from.

    With ``ordered`` (the caller, where data assets need an order), a data asset is
    only for the collection's owner and for an organisation that bought the whole
    scene (:meth:`~skyorder.store.repositories.orders.OrderRepository.bought_whole_scene`);
    :data:`OPEN_KEYS` are for everyone.

    Raises:
        NotFound: for an unknown item, or an asset key the item does not have or
            the platform cannot make.
        PermissionDenied: a data asset of a scene the caller's organisation neither
            owns nor bought whole.
    """
    item = uow.catalog.item(collection_id, item_id)
    if item is None:
        raise NotFound(f"item {item_id} not found in collection {collection_id}")
    asset = item.assets.get(key)
    if asset is None:
        keys = ", ".join(sorted(item.assets)) or "none"
        raise NotFound(f"item {item_id} has no asset {key!r}; its assets: {keys}")
    if key not in DERIVED and key not in {"ms", "analytic", "pan"}:
        raise NotFound(f"asset {key!r} of item {item_id} has no file the platform can make")
    if ordered is not None and key not in OPEN_KEYS:
        collection = uow.catalog.collection(collection_id)
        owned = collection is not None and collection.owner == ordered.organisation_id
        if not owned and not uow.orders.bought_whole_scene(ordered, collection_id, item_id):
            open_keys = " and ".join(sorted(OPEN_KEYS & set(item.assets)))
            raise PermissionDenied(
                f"asset {key!r} of item {item_id} is the scene's data, which comes with an "
                f"order: order the whole scene (an archive item with collection "
                f"{collection_id!r} and item_id {item_id!r}, no AOI); once the order is "
                "accepted it downloads here, and as the order's deliverables"
                + (f". Its {open_keys} download without an order" if open_keys else "")
            )
    products = uow.products.all().values()
    sensor = next(
        (p.sensor for p in products if p.collection == collection_id and p.sensor), "micro"
    )
    properties = {**item.properties, "datetime": item.datetime.isoformat()}
    return AssetSource(
        item_id=item.id,
        key=key,
        media_type=str(asset.get("type") or "application/octet-stream"),
        scene=for_catalog_item(item.id, item.geometry, properties, sensor),
    )


def make_asset(imagery: Imagery, source: AssetSource, resolution: Resolution) -> SceneFile:
    """The file of one asset: made now (that asset only) if not made before."""
    scene = imagery.scene(source.scene, imagery.budget(resolution))
    key, item_id = source.key, source.item_id
    if key == "pan" and scene.pan_path is not None:
        return SceneFile(scene.pan_path, source.media_type, f"{item_id}_pan.tif")
    if key in DERIVED:
        suffix, name = DERIVED[key]
        path = _derived(imagery, scene, key, suffix)
        return SceneFile(path, source.media_type, f"{item_id}_{name}")
    return SceneFile(scene.ms_path, source.media_type, f"{item_id}_{key}.tif")


def _derived(imagery: Imagery, scene: Scene, key: str, suffix: str) -> Path:
    directory = scene.ms_path.parent
    target = directory / f"{PRODUCT_ID}{suffix}"
    if target.exists():
        return target
    with imagery.once(directory / f".{PRODUCT_ID}-{key}.lock"):
        if not target.exists():  # else made while this request waited
            make_products(
                scene,
                scene.footprint,
                ProductOptions(),
                directory,
                produced_at=scene.acquired_at,
                processing_level="SCENE",
                product_id=PRODUCT_ID,
                config=imagery.config,
                only=frozenset({key}),
            )
    return target
