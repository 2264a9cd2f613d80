"""Making a deliverable's files: what a run needs (read in a transaction) and the making.

:func:`processing_plan` reads a deliverable's source (its capture, or its archive scene),
AOI and options into a :class:`ProcessingPlan`; :func:`produce` makes the scene (or finds
it) at the plan's resolution, cuts the product from it outside any transaction and puts
its files in the object store under ``deliverables/<id>/<folder>/``. The agenda's
``deliverable.process`` step makes whole products at the server's deliverable resolution;
a full-resolution download of a product made at the sandbox resolution makes one file at
a time (``services/full_resolution.py``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from skyorder import __version__
from skyorder.core.acquisitions import Acquisition, delivery_metadata, tasking_scene_id
from skyorder.core.bandsets import item_bandset
from skyorder.core.deliverables import Asset, Deliverable
from skyorder.core.orders import Order, OrderItem
from skyorder.core.resolutions import Resolution
from skyorder.core.tenants import Principal
from skyorder.delivery.objects import ObjectStore
from skyorder.processing.errors import InvalidProcessingOption
from skyorder.processing.options import ProductOptions, Radiometry
from skyorder.processing.products import ProductSet, make_products
from skyorder.services.imagery import Imagery, SceneSource, for_catalog_item
from skyorder.store.uow import UnitOfWork

RESOLUTION = "resolution"
"""The key of a deliverable's metadata saying the resolution its files were made at
(absent: made before sandbox resolutions, at the full one)."""


@dataclass(frozen=True)
class ProcessingPlan:
    """What one processing run needs, read in the claiming transaction."""

    deliverable_id: str
    source: SceneSource
    aoi: dict[str, Any]
    options: ProductOptions
    level: str
    product_id: str
    produced_at: datetime
    acquisition: Acquisition
    run: int
    """Which run of the step this is (its lease's attempt): each writes its own folder."""
    resolution: Resolution = Resolution.FULL


@dataclass(frozen=True)
class Made:
    """A product made and stored: its files' object keys and its metadata."""

    assets: dict[str, Asset]
    metadata: dict[str, Any]
    area_km2: float


def _radiometry(level: str, options: dict[str, Any]) -> str | None:
    if "radiometric_processing" in options:
        return str(options["radiometric_processing"])
    upper = level.upper()
    if upper.endswith("_SR") or upper in {"L2A", "L2"}:
        return Radiometry.REFLECTANCE.value
    if upper in {"L1B", "L1", "SENSOR", "L0"}:
        return Radiometry.BASIC16.value
    return None


def product_options(level: str, options: dict[str, Any]) -> ProductOptions:
    """The raster pipeline's options for an item's options at one processing level."""
    return ProductOptions.parse(
        product_type=options.get("product_type"),
        radiometric_processing=_radiometry(level, options),
        image_format=options.get("image_format"),
        crs_code=options.get("crs_code"),
    )


def processing_plan(
    uow: UnitOfWork,
    principal: Principal,
    deliverable: Deliverable,
    found: tuple[Order, OrderItem],
    produced_at: datetime,
    run: int,
    resolution: Resolution,
) -> ProcessingPlan:
    """What making ``deliverable`` (of the order and item ``found``) takes.

    Raises:
        InvalidProcessingOption: the source is gone, or an option cannot be honoured.
    """
    order, item = found
    source, acquisition = _source(
        uow,
        principal,
        item,
        deliverable.capture_id,
        deliverable.processing_level,
        deliverable.scene_id,
    )
    aoi = (deliverable.footprint if deliverable.scene_id else item.aoi) or source.footprint
    if aoi.get("type") == "Point":  # a point orders the whole scene
        aoi = source.footprint
    else:
        source = replace(source, region=aoi)
    return ProcessingPlan(
        deliverable_id=deliverable.id,
        source=source,
        aoi=dict(aoi),
        options=product_options(deliverable.processing_level, item.options),
        level=deliverable.processing_level,
        product_id=f"{order.number}_{deliverable.processing_level}_{deliverable.id[:8]}",
        produced_at=produced_at,
        acquisition=acquisition,
        run=run,
        resolution=resolution,
    )


def _source(
    uow: UnitOfWork,
    principal: Principal,
    item: OrderItem,
    capture_id: str | None,
    level: str,
    scene_id: str | None = None,
) -> tuple[SceneSource, Acquisition]:
    product = uow.products.all().get(item.product)
    if capture_id is not None:
        capture = uow.captures.get(principal, capture_id)
        if capture is None or capture.footprint is None:
            raise InvalidProcessingOption.about(
                "capture_id", f"capture {capture_id} has no footprint to process"
            )
        sensor = (product.sensor if product else None) or "micro"
        bandset = item_bandset(item.options)
        source = SceneSource(
            scene_id=capture.id,
            footprint=capture.footprint,
            sensor=sensor,
            acquired_at=capture.start,
            cloud_cover=(capture.cloud_cover or 0.0) / 100.0,
            bands=(tuple((b.name, b.wavelength_nm) for b in bandset.bands) if bandset else ()),
        )
        g = capture.geometry
        named = tasking_scene_id(capture.start, capture.satellite, level, item.task_id)
        return source, Acquisition(sensor, named, g.max_absolute_off_nadir, g.max_sun_elevation)
    if item.archive is None:
        raise InvalidProcessingOption.about("item_id", "a tasking item needs a capture")
    spec = item.archive
    wanted = scene_id or spec.item_id
    scene = uow.catalog.item(spec.collection, wanted)
    if scene is None:
        raise InvalidProcessingOption.about(
            "item_id", f"archive scene {wanted} is no longer in the catalog"
        )
    sensor = (product.sensor if product else None) or "micro"
    properties = {**scene.properties, "datetime": scene.datetime.isoformat()}
    acquisition = Acquisition(
        sensor,
        scene.id,
        _number(properties.get("view:off_nadir")),
        _number(properties.get("view:sun_elevation")),
        spec.collection,
    )
    bandset = item_bandset(item.options)
    bands = tuple((b.name, b.wavelength_nm) for b in bandset.bands) if bandset else ()
    return for_catalog_item(scene.id, scene.geometry, properties, sensor, bands), acquisition


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def produce(
    imagery: Imagery,
    objects: ObjectStore,
    work: Path,
    plan: ProcessingPlan,
    folder: str,
    only: frozenset[str] | None = None,
) -> Made:
    """Make the product's files (or ``only`` those) and store them under ``folder``.

    They are made under ``<work>/<deliverable>/<folder>/`` and stored as
    ``deliverables/<deliverable>/<folder>/<file name>``; the work folder is removed after.
    """
    scene = imagery.scene(plan.source, imagery.budget(plan.resolution))
    out_dir = work / plan.deliverable_id / folder
    if out_dir.exists():
        shutil.rmtree(out_dir)  # a run cut short left part of a product behind
    try:
        products = make_products(
            scene,
            plan.aoi,
            plan.options,
            out_dir,
            produced_at=plan.produced_at,
            processing_level=plan.level,
            product_id=plan.product_id,
            config=imagery.config,
            only=only,
        )
        assets = _store(objects, products, f"deliverables/{plan.deliverable_id}/{folder}")
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    metadata = delivery_metadata(
        products.metadata.to_json(), plan.acquisition, plan.level, plan.produced_at, __version__
    )
    metadata[RESOLUTION] = plan.resolution.value
    return Made(assets, metadata, products.metadata.area_km2)


def _store(objects: ObjectStore, products: ProductSet, prefix: str) -> dict[str, Asset]:
    assets = {}
    for f in products.files:
        key = f"{prefix}/{f.name}"
        objects.put_file(key, f.path, f.media_type)
        assets[f.key] = f.as_asset(key)
    return assets
