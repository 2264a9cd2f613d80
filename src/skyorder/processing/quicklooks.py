"""Quicklooks: the visual COG and the preview and thumbnail PNGs of a product.

The visual is the delivered image's red, green and blue bands (or its only
band) as reflectance stretched to 8 bits on the clear pixels, on the analytic
image's grid. Preview (~1024 px) and thumbnail (~256 px) are the visual
decimated by GDAL from its overviews, with an alpha band for "no data".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import rasterio
from affine import Affine
from rasterio.enums import Resampling

from skyorder.processing.clipping import ClippedImage
from skyorder.processing.environment import PipelineConfig
from skyorder.processing.formats import (
    COG_MEDIA_TYPE,
    PNG_MEDIA_TYPE,
    BandLayout,
    write_cog,
    write_png,
)
from skyorder.processing.grids import RasterGrid
from skyorder.processing.packaging import ProductFile, describe
from skyorder.processing.radiometry import Calibration, display, reflectance
from skyorder.processing.sensors import SensorSpec


def visual_bands(names: Sequence[str], sensor: SensorSpec) -> tuple[int, ...]:
    """Indices, among the delivered band ``names``, of red, green and blue; else ``(0,)``."""
    rgb = sensor.rgb_indices()
    if rgb is None:
        return (0,)
    wanted = [sensor.bands[i].name for i in rgb]
    if not all(name in names for name in wanted):
        return (0,)
    return tuple(names.index(name) for name in wanted)


def write_visual(
    image: ClippedImage,
    clear: npt.NDArray[np.bool_],
    calibration: Calibration,
    names: Sequence[str],
    sensor: SensorSpec,
    path: Path,
    config: PipelineConfig,
) -> tuple[ProductFile, tuple[str, ...]]:
    """Write the visual COG of an analytic image; return it and its band names."""
    indices = visual_bands(names, sensor)
    values = reflectance(image.pixels[list(indices)], image.valid, calibration.select(indices))
    pixels = display(values, image.valid, clear)
    shown = tuple(names[i] for i in indices)
    write_cog(pixels, image.grid, path, BandLayout(names=shown, rgb=len(shown) == 3), config)
    return describe("visual", path, COG_MEDIA_TYPE, ("visual",), "Visual image"), shown


def write_quicklook(visual: Path, grid: RasterGrid, size: int, path: Path, key: str) -> ProductFile:
    """Write a PNG of the visual at most ``size`` pixels on its longest side (never enlarged).

    ``key`` is ``preview`` (STAC role ``overview``) or ``thumbnail``.
    """
    scale = min(1.0, size / max(grid.width, grid.height))
    width, height = max(1, round(grid.width * scale)), max(1, round(grid.height * scale))
    with rasterio.open(visual) as src:
        pixels = src.read(out_shape=(src.count, height, width), resampling=Resampling.average)
        alpha = src.dataset_mask(out_shape=(height, width))
    with_alpha = np.concatenate([pixels, alpha[np.newaxis]]).astype(np.uint8)
    t = grid.transform
    small = RasterGrid(
        grid.epsg,
        Affine(t.a * grid.width / width, 0.0, t.c, 0.0, t.e * grid.height / height, t.f),
        width,
        height,
    )
    write_png(with_alpha, small, path)
    role = "overview" if key == "preview" else "thumbnail"
    return describe(key, path, PNG_MEDIA_TYPE, (role,), key.capitalize())
