"""The files behind an archive item's STAC assets, made from its scene when first asked for.

``pan`` / ``ms`` / ``analytic`` are the scene's own COGs; ``visual``, ``thumbnail``
and ``metadata`` come from a whole-scene display product made once beside the
scene (the same raster pipeline as deliverables).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from skyorder.core.errors import NotFound
from skyorder.processing.environment import PipelineConfig
from skyorder.processing.options import ProductOptions
from skyorder.processing.products import make_products
from skyorder.processing.synthesis import Scene
from skyorder.services.imagery import Imagery, for_catalog_item
from skyorder.store.uow import UnitOfWork

DERIVED = {"visual", "thumbnail", "metadata"}


@dataclass(frozen=True)
class SceneFile:
    """A file to serve."""

    path: Path
    media_type: str
    name: str


def scene_asset(
    uow: UnitOfWork, imagery: Imagery, collection_id: str, item_id: str, key: str
) -> SceneFile:
    """The file of asset ``key`` of an archive item (made now if needed).

    Raises:
        NotFound: for an unknown item, or an asset key the item does not have.
    """
    item = uow.catalog.item(collection_id, item_id)
    if item is None:
        raise NotFound(f"item {item_id} not found in collection {collection_id}")
    asset = item.assets.get(key)
    if asset is None:
        keys = ", ".join(sorted(item.assets)) or "none"
        raise NotFound(f"item {item_id} has no asset {key!r}; its assets: {keys}")
    products = uow.products.all().values()
    sensor = next(
        (p.sensor for p in products if p.collection == collection_id and p.sensor), "micro"
    )
    properties = {**item.properties, "datetime": item.datetime.isoformat()}
    scene = imagery.scene(for_catalog_item(item.id, item.geometry, properties, sensor))
    media_type = str(asset.get("type") or "application/octet-stream")
    if key == "pan" and scene.pan_path is not None:
        return SceneFile(scene.pan_path, media_type, f"{item_id}_pan.tif")
    if key in {"ms", "analytic", "pan"}:
        return SceneFile(scene.ms_path, media_type, f"{item_id}_{key}.tif")
    if key in DERIVED:
        with imagery.guard(item.id):
            derived = _overview(scene, imagery.config)
        found = derived / {"visual": "visual.tif", "thumbnail": "thumbnail.png"}.get(
            key, "metadata.json"
        )
        return SceneFile(found, media_type, f"{item_id}_{found.name}")
    raise NotFound(f"asset {key!r} of item {item_id} has no file the platform can make")


def _overview(scene: Scene, config: PipelineConfig) -> Path:
    out = scene.ms_path.parent / "overview"
    if (out / "metadata.json").exists():
        return out
    made = make_products(
        scene,
        scene.footprint,
        ProductOptions(),
        out,
        produced_at=scene.acquired_at,
        processing_level="SCENE",
        product_id="overview",
        config=config,
    )
    for key, name in (("visual", "visual.tif"), ("thumbnail", "thumbnail.png")):
        made.file(key).path.replace(out / name)
    made.file("metadata").path.replace(out / "metadata.json")  # last: marks it complete
    return out
