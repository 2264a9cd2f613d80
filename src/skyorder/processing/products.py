"""Make a deliverable from a scene: the analytic image(s) and everything around them.

:func:`make_products` clips the scene to the ordered AOI, reprojects it to the
ordered CRS, applies the product type (panchromatic, multispectral,
pansharpened, bundle) and radiometric processing, writes the analytic image(s)
as COG or JPEG 2000, a visual RGB COG, preview and thumbnail PNGs, the metadata
JSON, a STAC item and the delivery zip with its manifest, and returns a typed
description of every file. Options are checked before anything is written;
files are written aside and moved into place at the end.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import rasterio
from rasterio.enums import Resampling
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from skyorder.core.geometry import to_geojson
from skyorder.processing.clipping import ClippedImage, clip_image, clip_region
from skyorder.processing.environment import PipelineConfig, gdal_env
from skyorder.processing.errors import InvalidProcessingOption
from skyorder.processing.formats import MEDIA_TYPE, SUFFIX, BandLayout, write_image
from skyorder.processing.grids import default_epsg, geodesic_area_km2
from skyorder.processing.metadata import ImageInfo, ProductMetadata
from skyorder.processing.options import ProductOptions, ProductType, Radiometry
from skyorder.processing.packaging import ZIP_MEDIA_TYPE, ProductFile, describe, write_bundle
from skyorder.processing.pansharpen import pansharpened_vrt
from skyorder.processing.quicklooks import write_quicklook, write_visual
from skyorder.processing.radiometry import Calibration, apply_radiometry
from skyorder.processing.sensors import SensorSpec
from skyorder.processing.stac import stac_item
from skyorder.processing.synthesis import CLEAR, Scene
from skyorder.processing.warping import warp_file

JSON_MEDIA_TYPE = "application/json"
GEOJSON_MEDIA_TYPE = "application/geo+json"


@dataclass(frozen=True)
class ProductSet:
    """Every file of one deliverable, and its metadata."""

    product_id: str
    files: tuple[ProductFile, ...]
    metadata: ProductMetadata

    def file(self, key: str) -> ProductFile:
        """The file with asset key ``key``.

        Raises:
            KeyError: if the product has no such file.
        """
        for product_file in self.files:
            if product_file.key == key:
                return product_file
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        """Asset keys, in production order."""
        return tuple(f.key for f in self.files)


@dataclass(frozen=True)
class _Component:
    """One analytic image to produce from one source file."""

    key: str
    suffix: str
    source: Path
    bands: tuple[int, ...]  # 1-based bands of the source
    names: tuple[str, ...]
    calibration: Calibration
    gsd: float


@dataclass(frozen=True)
class _Job:
    """One call of :func:`make_products`, its options resolved."""

    scene: Scene
    region: BaseGeometry
    epsg: int
    product_type: ProductType
    options: ProductOptions
    product_id: str
    work: Path
    produced_at: datetime
    processing_level: str
    config: PipelineConfig
    only: frozenset[str] | None = None

    def path(self, suffix: str) -> Path:
        """Where the file ``<product id><suffix>`` is written."""
        return self.work / f"{self.product_id}{suffix}"

    def wants(self, *keys: str) -> bool:
        """Whether any of the files ``keys`` is to be written."""
        return self.only is None or not self.only.isdisjoint(keys)


@dataclass(frozen=True)
class _Made:
    component: _Component
    image: ClippedImage
    clear: npt.NDArray[np.bool_]
    pixels_dtype: str
    name: str  # the analytic file's name (whether written or not)


def make_products(
    scene: Scene,
    aoi: Mapping[str, Any],
    options: ProductOptions,
    out_dir: Path,
    *,
    produced_at: datetime,
    processing_level: str = "ORTHO",
    product_id: str | None = None,
    config: PipelineConfig | None = None,
    only: frozenset[str] | None = None,
) -> ProductSet:
    """Produce a deliverable of ``scene`` over ``aoi`` into ``out_dir``.

    Args:
        scene: the scene to cut the product from.
        aoi: the ordered area, a GeoJSON (Multi)Polygon in EPSG:4326.
        options: product type, radiometry, format and CRS as ordered.
        out_dir: where the files go (created if needed; same-named files are replaced).
        produced_at: production time, from the platform's clock.
        processing_level: the level to record (``ORTHO``, ``L1D``...).
        product_id: names the files; default ``<scene>_<TYPE>_<RADIOMETRY>``.
        config: pipeline tuning.
        only: write only the files of these asset keys (``analytic``, ``visual``,
            ``preview``, ``thumbnail``, ``metadata``; their content is the same as in a
            whole product); default every file, the STAC item and the bundle included.

    Raises:
        InvalidProcessingOption: naming ``aoi`` or ``product_type`` when the request
            cannot be honoured; nothing is written then.
    """
    config = config or PipelineConfig()
    product_type = _product_type(options, scene.sensor)
    region = clip_region(aoi, shape(scene.footprint), scene.scene_id)
    epsg = options.epsg if options.epsg is not None else default_epsg(shape(dict(aoi)))
    pid = product_id or _default_id(scene.scene_id, product_type, options.radiometry)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / f".{pid}.{uuid.uuid4().hex}.partial"
    work.mkdir()
    try:
        with gdal_env(config):
            result = _produce(
                _Job(
                    scene, region, epsg, product_type, options, pid, work, produced_at,
                    processing_level, config, only,
                )
            )  # fmt: skip
        moved = tuple(_moved(f, out_dir) for f in result.files)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ProductSet(result.product_id, moved, result.metadata)


def _product_type(options: ProductOptions, sensor: SensorSpec) -> ProductType:
    if options.product_type is None:
        return ProductType.PANSHARPENED if sensor.has_pan else ProductType.MULTISPECTRAL
    if options.product_type.needs_pan and not sensor.has_pan:
        raise InvalidProcessingOption.about(
            "product_type",
            f"{options.product_type.value} needs a panchromatic band and sensor "
            f"{sensor.name} has none; order multispectral",
        )
    return options.product_type


def _default_id(scene_id: str, product_type: ProductType, radiometry: Radiometry) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", scene_id)
    return f"{stem}_{product_type.value.upper().replace('-', '_')}_{radiometry.value}"


def _moved(product_file: ProductFile, out_dir: Path) -> ProductFile:
    target = out_dir / product_file.name
    product_file.path.replace(target)
    return ProductFile(
        key=product_file.key,
        path=target,
        media_type=product_file.media_type,
        roles=product_file.roles,
        size=product_file.size,
        sha256=product_file.sha256,
        title=product_file.title,
    )


def _components(
    scene: Scene, product_type: ProductType, work: Path, config: PipelineConfig
) -> list[_Component]:
    sensor = scene.sensor
    delivered = sensor.band_indices(product_type.full_spectrum)
    ms_calibration = _calibration(scene.ms_path).select(delivered)
    ms = _Component(
        key="analytic",
        suffix="",
        source=scene.ms_path,
        bands=tuple(i + 1 for i in delivered),
        names=tuple(sensor.bands[i].name for i in delivered),
        calibration=ms_calibration,
        gsd=sensor.gsd,
    )
    base = product_type.base
    if base is ProductType.MULTISPECTRAL or scene.pan_path is None:
        return [ms]
    pan_gsd = sensor.pan_gsd or sensor.gsd
    pan = _Component(
        key="analytic",
        suffix="",
        source=scene.pan_path,
        bands=(1,),
        names=("pan",),
        calibration=_calibration(scene.pan_path),
        gsd=pan_gsd,
    )
    if base is ProductType.PANCHROMATIC:
        return [pan]
    if base is ProductType.BUNDLE:
        return [
            _replace_key(pan, "analytic_pan", "_PAN"),
            _replace_key(ms, "analytic_ms", "_MS"),
        ]
    vrt = pansharpened_vrt(
        scene.pan_path.resolve(),
        scene.ms_path.resolve(),
        sensor,
        delivered,
        work / "pansharpened.vrt",
        config,
    )
    return [
        _Component(
            key="analytic",
            suffix="",
            source=vrt,
            bands=tuple(range(1, len(delivered) + 1)),
            names=ms.names,
            calibration=ms_calibration,
            gsd=pan_gsd,
        )
    ]


def _replace_key(component: _Component, key: str, suffix: str) -> _Component:
    return _Component(
        key,
        suffix,
        component.source,
        component.bands,
        component.names,
        component.calibration,
        component.gsd,
    )


def _calibration(path: Path) -> Calibration:
    with rasterio.open(path) as src:
        return Calibration(tuple(src.scales), tuple(src.offsets))


def _produce(job: _Job) -> ProductSet:
    scene, options, config = job.scene, job.options, job.config
    files: list[ProductFile] = []
    made: list[_Made] = []
    for component in _components(scene, job.product_type, job.work, config):
        image = clip_image(component.source, job.region, job.epsg, component.bands, config)
        clear = _clear(scene, image)
        rendered = apply_radiometry(
            image.pixels, image.valid, component.calibration, options.radiometry, clear
        )
        path = job.path(component.suffix + SUFFIX[options.image_format])
        if job.wants(component.key):
            layout = BandLayout(
                names=component.names,
                scales=rendered.scales,
                offsets=rendered.offsets,
                tags={"SCENE_ID": scene.scene_id, "PRODUCT_ID": job.product_id},
            )
            write_image(rendered.pixels, image.grid, path, options.image_format, layout, config)
            files.append(_analytic_file(component, path, options))
        made.append(_Made(component, image, clear, rendered.pixels.dtype.name, path.name))
    shown = made[-1]  # bundles show their multispectral image
    grid = shown.image.grid
    if job.wants("visual", "preview", "thumbnail"):
        visual, visual_names = write_visual(
            shown.image,
            shown.clear,
            shown.component.calibration,
            shown.component.names,
            scene.sensor,
            job.path("_VISUAL.tif"),
            config,
        )
        if job.wants("visual"):
            files.append(visual)
        for key, size in (("preview", config.preview_size), ("thumbnail", config.thumbnail_size)):
            if job.wants(key):
                files.append(write_quicklook(visual.path, grid, size, job.path(f"_{key}.png"), key))
    metadata = _metadata(job, made)
    if job.wants("metadata"):
        files.append(_json_file("metadata", job.path("_metadata.json"), metadata.to_json()))
    if job.only is not None:
        return ProductSet(job.product_id, tuple(files), metadata)
    grids = {m.component.key: m.image.grid for m in made} | {"visual": grid}
    bands = {m.component.key: m.component.names for m in made} | {"visual": visual_names}
    item = stac_item(metadata, scene.sensor, files, grids, bands)
    stac_json = item.to_dict(include_self_link=False, transform_hrefs=False)
    files.append(_json_file("stac", job.path("_item.json"), stac_json, GEOJSON_MEDIA_TYPE))
    zip_path = job.path(".zip")
    write_bundle(zip_path, job.product_id, files, job.produced_at)
    files.append(describe("delivery", zip_path, ZIP_MEDIA_TYPE, ("data",), "Delivery bundle"))
    return ProductSet(job.product_id, tuple(files), metadata)


def _metadata(job: _Job, made: list[_Made]) -> ProductMetadata:
    images = tuple(
        ImageInfo(
            m.component.key,
            m.name,
            m.component.names,
            m.pixels_dtype,
            m.image.grid,
            m.component.gsd,
        )
        for m in made
    )
    return ProductMetadata(
        product_id=job.product_id,
        scene_id=job.scene.scene_id,
        sensor=job.scene.sensor.name,
        product_type=job.product_type.value,
        radiometric_processing=job.options.radiometry.value,
        processing_level=job.processing_level,
        image_format=job.options.image_format.value,
        epsg=job.epsg,
        gsd=min(m.component.gsd for m in made),
        area_km2=geodesic_area_km2(job.region),
        cloud_cover=_cloud_share(made[-1]),
        scene_cloud_cover=job.scene.cloud_cover,
        acquired_at=job.scene.acquired_at,
        produced_at=job.produced_at,
        footprint=to_geojson(job.region),
        bbox=job.region.bounds,
        images=images,
        gsd_coarsened=job.scene.coarsened,
    )


def _analytic_file(component: _Component, path: Path, options: ProductOptions) -> ProductFile:
    roles = ["data"]
    if options.radiometry is Radiometry.REFLECTANCE:
        roles.append("reflectance")
    title = {"analytic_pan": "Panchromatic image", "analytic_ms": "Multispectral image"}
    return describe(
        component.key,
        path,
        MEDIA_TYPE[options.image_format],
        roles,
        title.get(component.key, "Analytic image"),
    )


def _clear(scene: Scene, image: ClippedImage) -> npt.NDArray[np.bool_]:
    mask = warp_file(scene.cloud_mask_path, image.grid, (1,), Resampling.nearest, 1, nodata=255)
    clear: npt.NDArray[np.bool_] = (mask[0] == CLEAR) & image.valid
    return clear


def _cloud_share(made: _Made) -> float:
    valid = int(made.image.valid.sum())
    return 1.0 - float(made.clear.sum()) / valid if valid else 0.0


def _json_file(
    key: str, path: Path, content: Mapping[str, Any], media_type: str = JSON_MEDIA_TYPE
) -> ProductFile:
    path.write_text(json.dumps(content, indent=2, sort_keys=False), encoding="utf-8")
    title = "Metadata" if key == "metadata" else "STAC item"
    return describe(key, path, media_type, ("metadata",), title)
