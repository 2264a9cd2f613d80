"""Deterministic synthetic scenes: what a capture or an archive scene "contains".

:func:`synthesize_scene` turns a scene id (the seed, through SHA-256), a WGS 84
footprint and a sensor into Cloud Optimized GeoTIFFs in the footprint's UTM
zone: the multispectral bands (12-bit digital numbers with GDAL scale/offset
to reflectance), the panchromatic band for pan/MS sensors, and a cloud mask
whose share of the footprint is the requested cloud cover. The same request
gives the same bytes. A pixel budget caps the finest band's size: past it the
GSD is coarsened and the scene reports the GSD it actually has.
"""

from __future__ import annotations

import hashlib
import json
import math
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
from rasterio.enums import Resampling
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from skyorder.core.geometry import to_geojson
from skyorder.processing.environment import PipelineConfig, gdal_env
from skyorder.processing.errors import InvalidProcessingOption
from skyorder.processing.formats import BandLayout, write_cog
from skyorder.processing.grids import (
    RasterGrid,
    default_epsg,
    geodesic_area_km2,
    reproject_geometry,
)
from skyorder.processing.landscape import (
    cloud_layer,
    fractal_fields,
    land_cover,
    spectrum,
    surface_reflectance,
)
from skyorder.processing.options import WGS84
from skyorder.processing.sensors import SensorSpec
from skyorder.processing.warping import inside_mask, resample

DEFAULT_PIXEL_BUDGET = 25_000_000
SCENE_FILE = "scene.json"
CLOUD = 1
CLEAR = 0
OUTSIDE = 255
_ROUGHNESS = (0.85, 0.8, 0.5, 0.25)  # terrain, urbanisation, vegetation, texture


@dataclass(frozen=True)
class SceneRequest:
    """What to synthesize.

    Attributes:
        scene_id: the scene's id; it alone seeds the random generator.
        footprint: GeoJSON Polygon or MultiPolygon in EPSG:4326.
        sensor: the sensor that "took" the scene.
        acquired_at: acquisition time (passed in: the pipeline never reads a clock).
        cloud_cover: share of the footprint under cloud, 0..1.
        gsd: GSD of the finest band in metres (the panchromatic one on pan/MS
            sensors, as the product catalogue states it); default the sensor's.
        pixel_budget: most pixels the finest band may have; past it the GSD is coarsened.
    """

    scene_id: str
    footprint: Mapping[str, Any]
    sensor: SensorSpec
    acquired_at: datetime
    cloud_cover: float = 0.0
    gsd: float | None = None
    pixel_budget: int = DEFAULT_PIXEL_BUDGET


@dataclass(frozen=True)
class Scene:
    """A synthesized scene on disk, as the product pipeline reads it.

    ``sensor`` holds the GSDs actually produced (see ``requested_gsd``);
    ``cloud_cover`` is the measured share of the footprint's pixels under cloud.
    """

    scene_id: str
    sensor: SensorSpec
    footprint: dict[str, Any]
    epsg: int
    acquired_at: datetime
    cloud_cover: float
    requested_gsd: float
    ms_path: Path
    pan_path: Path | None
    cloud_mask_path: Path

    @property
    def gsd(self) -> float:
        """GSD of the finest band produced, metres."""
        return self.sensor.pan_gsd or self.sensor.gsd

    @property
    def coarsened(self) -> bool:
        """Whether the pixel budget made the GSD coarser than requested."""
        return self.gsd > self.requested_gsd * (1 + 1e-9)

    @property
    def area_km2(self) -> float:
        """Geodesic area of the footprint."""
        return geodesic_area_km2(shape(self.footprint))

    def to_json(self) -> dict[str, Any]:
        """The content of ``scene.json`` (paths relative to the scene directory)."""
        return {
            "scene_id": self.scene_id,
            "sensor": self.sensor.to_json(),
            "footprint": self.footprint,
            "epsg": self.epsg,
            "acquired_at": self.acquired_at.isoformat(),
            "cloud_cover": self.cloud_cover,
            "requested_gsd": self.requested_gsd,
            "ms": self.ms_path.name,
            "pan": self.pan_path.name if self.pan_path else None,
            "cloud_mask": self.cloud_mask_path.name,
        }


def scene_seed(scene_id: str) -> int:
    """The random seed of a scene: the first 128 bits of SHA-256 of its id."""
    return int.from_bytes(hashlib.sha256(scene_id.encode("utf-8")).digest()[:16], "big")


def open_scene(directory: Path) -> Scene:
    """Read back a scene written by :func:`synthesize_scene` from its directory."""
    data = json.loads((directory / SCENE_FILE).read_text(encoding="utf-8"))
    return Scene(
        scene_id=data["scene_id"],
        sensor=SensorSpec.from_json(data["sensor"]),
        footprint=data["footprint"],
        epsg=int(data["epsg"]),
        acquired_at=datetime.fromisoformat(data["acquired_at"]),
        cloud_cover=float(data["cloud_cover"]),
        requested_gsd=float(data["requested_gsd"]),
        ms_path=directory / data["ms"],
        pan_path=directory / data["pan"] if data["pan"] else None,
        cloud_mask_path=directory / data["cloud_mask"],
    )


def synthesize_scene(
    request: SceneRequest, out_dir: Path, config: PipelineConfig | None = None
) -> Scene:
    """Write a synthetic scene's COGs and ``scene.json`` into ``out_dir`` (one directory per scene).

    Files are written aside and moved in at the end, so a failure leaves nothing behind.

    Raises:
        InvalidProcessingOption: naming ``footprint``, ``cloud_cover``, ``gsd`` or
            ``pixel_budget`` when one cannot be honoured; nothing is written then.
    """
    config = config or PipelineConfig()
    footprint = _footprint(request.footprint)
    _check(request)
    epsg = default_epsg(footprint)
    local = reproject_geometry(footprint, WGS84, epsg)
    requested = request.gsd or request.sensor.pan_gsd or request.sensor.gsd
    sensor = fit_to_budget(request.sensor, requested, local.bounds, request.pixel_budget)
    ms_grid = RasterGrid.covering(epsg, local.bounds, sensor.gsd)
    fine_grid = ms_grid.scaled(sensor.pan_ratio)
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", request.scene_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / f".{stem}.{uuid.uuid4().hex}.partial"
    work.mkdir()
    try:
        with gdal_env(config):
            layers = _synthesize_pixels(request, sensor, ms_grid, fine_grid, local, config)
            _write_scene(request, sensor, footprint, epsg, layers, work, stem, config)
        # The scene file last: another process sees the scene only once it is whole.
        for path in sorted(work.iterdir(), key=lambda p: p.name == SCENE_FILE):
            path.replace(out_dir / path.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return open_scene(out_dir)


def fit_to_budget(
    sensor: SensorSpec,
    gsd: float,
    bounds: tuple[float, float, float, float],
    budget: int,
) -> SensorSpec:
    """The sensor at the finest GSD ≥ ``gsd`` whose finest band fits in ``budget`` pixels.

    Coarsened GSDs are rounded up to two significant digits (1.37 m → 1.4 m);
    the pan/MS ratio is kept.
    """
    finest = sensor.pan_gsd or sensor.gsd
    candidate = sensor.scaled(gsd / finest)
    while _finest_pixels(candidate, bounds) > budget:
        fine = candidate.pan_gsd or candidate.gsd
        factor = math.sqrt(_finest_pixels(candidate, bounds) / budget)
        target = _round_up(fine * max(factor, 1.01))
        candidate = sensor.scaled(target / finest)
    return candidate


def _finest_pixels(sensor: SensorSpec, bounds: tuple[float, float, float, float]) -> int:
    grid = RasterGrid.covering(0, bounds, sensor.gsd).scaled(sensor.pan_ratio)
    return grid.width * grid.height


def _round_up(value: float) -> float:
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return round(math.ceil(value / step - 1e-9) * step, 10)


def _footprint(value: Mapping[str, Any]) -> BaseGeometry:
    try:
        geom = shape(dict(value))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InvalidProcessingOption.about(
            "footprint", f"is not a GeoJSON geometry: {exc}"
        ) from exc
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
        raise InvalidProcessingOption.about("footprint", "must be a valid GeoJSON (Multi)Polygon")
    west, south, east, north = geom.bounds
    if west < -180 or east > 180 or south < -80 or north > 84:
        raise InvalidProcessingOption.about(
            "footprint", "must lie within longitudes -180..180 and UTM latitudes -80..84"
        )
    return geom


def _check(request: SceneRequest) -> None:
    if not 0.0 <= request.cloud_cover <= 1.0:
        raise InvalidProcessingOption.about("cloud_cover", "must be a fraction between 0 and 1")
    if request.gsd is not None and not request.gsd > 0:
        raise InvalidProcessingOption.about("gsd", "must be a positive number of metres")
    least = request.sensor.pan_ratio**2
    if request.pixel_budget < least:
        raise InvalidProcessingOption.about(
            "pixel_budget", f"must allow at least {least} pixels (one multispectral pixel)"
        )


@dataclass(frozen=True)
class _Layers:
    ms: npt.NDArray[np.uint16]
    pan: npt.NDArray[np.uint16] | None
    clouds: npt.NDArray[np.uint8]
    cloud_cover: float
    ms_grid: RasterGrid
    fine_grid: RasterGrid


def _synthesize_pixels(
    request: SceneRequest,
    sensor: SensorSpec,
    ms_grid: RasterGrid,
    fine_grid: RasterGrid,
    local: BaseGeometry,
    config: PipelineConfig,
) -> _Layers:
    threads = config.warp_threads
    rng = np.random.default_rng(scene_seed(request.scene_id))
    water_share, urban_share = rng.uniform(0.04, 0.25), rng.uniform(0.03, 0.20)
    fields = fractal_fields(rng, fine_grid, _ROUGHNESS, largest_m=3000.0, threads=threads)
    cloud_field = fractal_fields(rng, ms_grid, (0.8,), largest_m=4000.0, threads=threads)[0]
    valid_ms = inside_mask(local, ms_grid)
    valid_fine = valid_ms if sensor.pan_ratio == 1 else inside_mask(local, fine_grid)
    clouds = cloud_layer(cloud_field, valid_ms, request.cloud_cover)
    opacity = clouds.opacity
    if sensor.pan_ratio > 1:
        opacity = resample(opacity, ms_grid, fine_grid, Resampling.bilinear, threads)
    cover = land_cover(fields, water_share, urban_share)
    ms = np.zeros((len(sensor.bands), *ms_grid.shape), dtype=np.uint16)
    pan_dn = np.zeros(fine_grid.shape, dtype=np.float32) if sensor.has_pan else None
    for index, band in enumerate(sensor.bands):
        reflectance = surface_reflectance(cover, band.center_wavelength)
        reflectance += (spectrum("cloud", band.center_wavelength) - reflectance) * opacity
        dn = reflectance * np.float32(band.gain) + np.float32(band.offset)
        if pan_dn is not None:
            pan_dn += np.float32(band.pan_weight) * dn
            dn = resample(dn, fine_grid, ms_grid, Resampling.average, threads)
        ms[index] = _to_dn(dn, valid_ms, sensor.max_dn)
    mask = np.where(valid_ms, np.where(clouds.mask, CLOUD, CLEAR), OUTSIDE).astype(np.uint8)
    return _Layers(
        ms=ms,
        pan=None if pan_dn is None else _to_dn(pan_dn, valid_fine, sensor.max_dn),
        clouds=mask,
        cloud_cover=round(clouds.share(valid_ms), 6),
        ms_grid=ms_grid,
        fine_grid=fine_grid,
    )


def _to_dn(
    values: npt.NDArray[np.float32], valid: npt.NDArray[np.bool_], max_dn: int
) -> npt.NDArray[np.uint16]:
    dn = np.clip(np.rint(values), 1, max_dn).astype(np.uint16)
    dn[~valid] = 0
    return dn


def _write_scene(
    request: SceneRequest,
    sensor: SensorSpec,
    footprint: BaseGeometry,
    epsg: int,
    layers: _Layers,
    work: Path,
    stem: str,
    config: PipelineConfig,
) -> None:
    tags = {
        "SCENE_ID": request.scene_id,
        "SENSOR": sensor.name,
        "ACQUIRED_AT": request.acquired_at.isoformat(),
        "CLOUD_COVER": f"{layers.cloud_cover:.6f}",
    }
    ms_layout = BandLayout(
        names=tuple(b.name for b in sensor.bands),
        scales=tuple(1.0 / b.gain for b in sensor.bands),
        offsets=tuple(-b.offset / b.gain for b in sensor.bands),
        tags=tags,
    )
    ms_path = work / f"{stem}_MS.tif"
    write_cog(layers.ms, layers.ms_grid, ms_path, ms_layout, config)
    pan_path = None
    if layers.pan is not None:
        pan_path = work / f"{stem}_PAN.tif"
        pan_layout = BandLayout(
            names=("pan",),
            scales=(1.0 / sensor.pan_gain,),
            offsets=(-sensor.pan_offset / sensor.pan_gain,),
            tags=tags,
        )
        write_cog(layers.pan[np.newaxis], layers.fine_grid, pan_path, pan_layout, config)
    mask_path = work / f"{stem}_CLOUDS.tif"
    mask_layout = BandLayout(
        names=("cloud",), nodata=OUTSIDE, tags=tags, overview_resampling="NEAREST"
    )
    write_cog(layers.clouds[np.newaxis], layers.ms_grid, mask_path, mask_layout, config)
    scene = Scene(
        scene_id=request.scene_id,
        sensor=sensor,
        footprint=to_geojson(footprint),
        epsg=epsg,
        acquired_at=request.acquired_at,
        cloud_cover=layers.cloud_cover,
        requested_gsd=request.gsd or request.sensor.pan_gsd or request.sensor.gsd,
        ms_path=ms_path,
        pan_path=pan_path,
        cloud_mask_path=mask_path,
    )
    (work / SCENE_FILE).write_text(json.dumps(scene.to_json(), indent=2), encoding="utf-8")
