"""Source imagery: the scene behind an archive item or a capture, made when first needed.

A provider's real assets would be read where it ingested them; without them the
platform synthesizes the scene deterministically from its id (the same id gives
the same pixels), under ``<data dir>/scenes/<id>/``, capped by the pixel budget
(another budget, e.g. the sandbox resolution of a scene's assets, gets a folder of its
own: ``<id>.px<budget>``). Writers write aside and move into place, and each scene (and
each file made beside it) is made once at a time: a thread lock within the process and an
exclusive ``flock`` on a lock file across processes, so concurrent first requests build
it once and no one reads a half-written file.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from skyorder.core.bandsets import image_type_bands
from skyorder.core.geometry import to_geojson
from skyorder.core.resolutions import Resolution
from skyorder.processing.environment import PipelineConfig
from skyorder.processing.options import ProductOptions
from skyorder.processing.products import make_products
from skyorder.processing.sensors import (
    BUILTIN_SENSORS,
    HYPERSPECTRAL,
    SensorSpec,
    builtin_sensor,
    hyperspectral_sensor,
)
from skyorder.processing.synthesis import (
    SCENE_FILE,
    Scene,
    SceneRequest,
    open_scene,
    synthesize_scene,
)

FALLBACK_SENSOR = "micro"
HYPERSPECTRAL_GSD = 5.0
MARGIN_DEG = 0.002  # ~200 m around an ordered area, so clipping never reaches the edge


@dataclass(frozen=True)
class SceneSource:
    """Everything needed to make (or find) one scene."""

    scene_id: str
    footprint: dict[str, Any]
    sensor: str
    acquired_at: datetime
    cloud_cover: float  # 0..1
    gsd: float | None = None
    bands: tuple[tuple[str, float], ...] = ()
    """A hyperspectral item's chosen bands (name, wavelength in nm): the scene has exactly
    these (none: the sensor's own model)."""
    region: dict[str, Any] | None = None
    """Only this part of the scene is needed (an ordered AOI): the rest is not synthesized,
    so the pixel budget buys a finer GSD. The seed stays the scene id."""

    def area(self) -> tuple[str, dict[str, Any]]:
        """The directory name and the footprint to synthesize.

        A scene made of chosen bands has a folder of its own per choice (two archive items
        may buy the same scene with other bands).
        """
        name = self.scene_id
        if self.bands:
            chosen = ",".join(f"{band}={nm}" for band, nm in self.bands).encode()
            name = f"{name}-b{hashlib.sha256(chosen).hexdigest()[:10]}"
        if self.region is None or self.region.get("type") not in {"Polygon", "MultiPolygon"}:
            return name, self.footprint
        wanted = shape(self.footprint).intersection(shape(self.region).buffer(MARGIN_DEG))
        if wanted.is_empty or wanted.area >= shape(self.footprint).area * 0.9:
            return name, self.footprint
        digest = hashlib.sha256(wanted.wkb).hexdigest()[:12]
        return f"{name}-{digest}", to_geojson(wanted)


def sensor_for(
    name: str, gsd: float | None, bands: tuple[tuple[str, float], ...] = ()
) -> SensorSpec:
    """The processing sensor model for a product's sensor name.

    Chosen hyperspectral ``bands`` make a sensor of exactly those bands; the hyperspectral
    sensor without a choice has its whole bandset (VNIR and SWIR, ``core.bandsets``).
    Sensors without a model of their own (e.g. ``MSI``) are imaged with the 4-band model at
    their GSD.
    """
    if not bands and name == HYPERSPECTRAL:
        bands = tuple((b.name, b.wavelength_nm) for b in image_type_bands("VSWIR"))
    if bands:
        return hyperspectral_sensor(bands, gsd or HYPERSPECTRAL_GSD)
    if name in BUILTIN_SENSORS:
        return builtin_sensor(name)
    base = builtin_sensor(FALLBACK_SENSOR)
    return base.scaled(gsd / base.gsd) if gsd else base


def _directory(root: Path, scene_id: str) -> Path:
    return root / re.sub(r"[^A-Za-z0-9._-]", "_", scene_id)


class Imagery:
    """Finds or synthesizes scenes under one directory.

    ``pixel_budget`` caps the scenes of the full resolution; ``asset_pixel_budget`` those
    of the sandbox resolution (archive items' asset downloads by default, and deliverables
    when ``deliverables_at`` says so).
    """

    def __init__(
        self,
        root: Path,
        pixel_budget: int,
        config: PipelineConfig,
        asset_pixel_budget: int | None = None,
        deliverables_at: Resolution = Resolution.FULL,
    ) -> None:
        self.root = root
        self.pixel_budget = pixel_budget
        self.asset_pixel_budget = asset_pixel_budget or pixel_budget
        self.config = config
        self.deliverables_at = deliverables_at
        self._locks: dict[Path, threading.Lock] = {}
        self._registry = threading.Lock()

    def budget(self, resolution: Resolution) -> int:
        """The pixel budget of the scenes made at ``resolution``."""
        return self.pixel_budget if resolution is Resolution.FULL else self.asset_pixel_budget

    @contextmanager
    def once(self, lock_file: Path) -> Iterator[None]:
        """Hold the lock named by ``lock_file``: one holder at a time, in and across processes."""
        with self._registry:
            local = self._locks.setdefault(lock_file, threading.Lock())
        with local:
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            with lock_file.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def warm_up(self) -> None:
        """Run the raster pipeline once on a tiny scene, then remove it.

        A process's first raster pays for loading GDAL's drivers, PROJ's database and
        numpy's FFT plans (~0.3-0.5 s); a server does it at start-up instead, so that a
        first download does not.
        """
        ring = [[1.40, 43.58], [1.42, 43.58], [1.42, 43.60], [1.40, 43.60], [1.40, 43.58]]
        footprint = {"type": "Polygon", "coordinates": [ring]}
        self.root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".warm-up-", dir=self.root))
        try:
            request = SceneRequest(
                scene_id="warm-up",
                footprint=footprint,
                sensor=builtin_sensor("PHR"),
                acquired_at=datetime(2025, 6, 21, 10, 30, tzinfo=UTC),
                pixel_budget=16_384,
            )
            scene = synthesize_scene(request, work, self.config)
            make_products(
                scene,
                footprint,
                ProductOptions(),
                work,
                produced_at=request.acquired_at,
                config=self.config,
                only=frozenset({"thumbnail", "metadata"}),
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def scene(self, source: SceneSource, pixel_budget: int | None = None) -> Scene:
        """The scene, synthesized now if it is not on disk yet.

        ``pixel_budget`` (default the imagery's) caps its finest band; a scene of another
        budget than the default has a folder of its own.
        """
        budget = pixel_budget or self.pixel_budget
        name, footprint = source.area()
        if budget != self.pixel_budget:
            name = f"{name}.px{budget}"
        directory = _directory(self.root, name)
        if (directory / SCENE_FILE).exists():
            return open_scene(directory)
        with self.once(self.root / f".{directory.name}.lock"):
            if (directory / SCENE_FILE).exists():  # made while this one waited
                return open_scene(directory)
            return self._synthesize(source, footprint, directory, budget)

    def _synthesize(
        self, source: SceneSource, footprint: dict[str, Any], directory: Path, budget: int
    ) -> Scene:
        sensor = sensor_for(source.sensor, source.gsd, source.bands)
        request = SceneRequest(
            scene_id=source.scene_id,
            footprint=footprint,
            sensor=sensor,
            acquired_at=source.acquired_at,
            cloud_cover=min(max(source.cloud_cover, 0.0), 1.0),
            gsd=None,
            # The budget buys as many band-pixels as a 4-band scene's, whatever the bands.
            pixel_budget=budget * 4 // max(4, len(sensor.bands)),
        )
        return synthesize_scene(request, directory, self.config)


def for_catalog_item(
    item_id: str,
    geometry: dict[str, Any],
    properties: dict[str, Any],
    sensor: str,
    bands: tuple[tuple[str, float], ...] = (),
) -> SceneSource:
    """The source of an archive scene from its STAC item.

    ``bands`` (name, wavelength in nm) are a hyperspectral scene's: those an item chose, or
    the sensor's whole bandset for the scene's own asset downloads.
    """
    cloud = properties.get("eo:cloud_cover")
    gsd = properties.get("gsd")
    return SceneSource(
        scene_id=item_id,
        footprint=geometry,
        sensor=sensor,
        acquired_at=datetime.fromisoformat(str(properties["datetime"]).replace("Z", "+00:00")),
        cloud_cover=float(cloud) / 100.0 if cloud is not None else 0.0,
        gsd=float(gsd) if gsd is not None else None,
        bands=bands,
    )
