"""A plausible synthetic landscape: fractal fields, land cover, spectra and clouds.

Fields are fractal (fractional Brownian) value noise built coarse to fine: at
each level the running sum is up-sampled ×2 by GDAL (bilinear) and fresh
Gaussian noise is added with an amplitude that falls with the level's scale as
``scale ** roughness``. Thresholds on those fields give water, urban and
vegetated or bare land; each class has a reflectance spectrum evaluated at the
band's centre wavelength. Clouds are a field thresholded at the quantile that
makes the requested share of the footprint cloudy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from affine import Affine
from rasterio.enums import Resampling

from skyorder.processing.grids import RasterGrid
from skyorder.processing.warping import resample

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

# Reflectance spectra: (wavelengths in µm, reflectance), interpolated linearly.
SPECTRA: Mapping[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "water": (
        (0.40, 0.49, 0.56, 0.66, 0.72, 0.85, 1.60),
        (0.08, 0.07, 0.06, 0.035, 0.02, 0.01, 0.005),
    ),
    "vegetation": (
        (0.40, 0.49, 0.56, 0.66, 0.70, 0.75, 0.85, 1.60),
        (0.03, 0.035, 0.08, 0.04, 0.08, 0.35, 0.42, 0.25),
    ),
    "soil": (
        (0.40, 0.49, 0.56, 0.66, 0.75, 0.85, 1.60),
        (0.08, 0.10, 0.14, 0.19, 0.23, 0.27, 0.35),
    ),
    "urban": ((0.40, 0.49, 0.56, 0.66, 0.85, 1.60), (0.12, 0.13, 0.14, 0.16, 0.20, 0.24)),
    "cloud": ((0.40, 0.85, 1.60), (0.62, 0.64, 0.45)),
}
_TEXTURE = {"water": 0.03, "land": 0.12, "urban": 0.35}


def spectrum(cover: str, wavelength: float) -> float:
    """Reflectance of a cover class (``water``, ``vegetation``, ``soil``, ``urban``,
    ``cloud``) at a wavelength in micrometres."""
    wavelengths, values = SPECTRA[cover]
    return float(np.interp(wavelength, wavelengths, values))


def fractal_fields(
    rng: np.random.Generator,
    grid: RasterGrid,
    roughness: Sequence[float],
    largest_m: float,
    threads: int,
) -> FloatArray:
    """``len(roughness)`` independent fractal fields on ``grid``, each of zero mean and unit std.

    Args:
        rng: the scene's random generator (consumed in a fixed order: deterministic).
        grid: the output grid (square pixels).
        roughness: per field, how fast detail fades: ~0.9 smooth terrain, ~0.2 grainy texture.
        largest_m: size of the largest features, metres.
        threads: GDAL warper threads.
    """
    pixel = grid.res[0]
    levels = max(0, math.ceil(math.log2(max(largest_m / pixel, 1.0))))
    decay = np.asarray(roughness, dtype=np.float32)[:, None, None]
    count = len(roughness)
    acc = rng.standard_normal((count, *_level(grid, levels).shape), dtype=np.float32)
    for level in range(levels - 1, -1, -1):
        src, dst = _level(grid, level + 1), _level(grid, level)
        acc = resample(acc, src, dst, Resampling.bilinear, threads)
        amplitude = np.exp2(-decay * (levels - level)).astype(np.float32)
        acc += amplitude * rng.standard_normal((count, *dst.shape), dtype=np.float32)
    for field in acc:
        sample = field[::7, ::7]
        field -= sample.mean()
        field /= max(float(sample.std()), 1e-6)
    return acc


def _level(grid: RasterGrid, level: int) -> RasterGrid:
    """The grid of pyramid ``level``: pixels 2**level times larger, padded to cover ``grid``."""
    if level == 0:
        return grid
    factor = 2**level
    t = grid.transform
    transform = Affine(t.a * factor, 0.0, t.c, 0.0, t.e * factor, t.f)
    return RasterGrid(
        grid.epsg,
        transform,
        math.ceil(grid.width / factor) + 2,
        math.ceil(grid.height / factor) + 2,
    )


@dataclass(frozen=True)
class LandCover:
    """Per pixel: water, urban, share of vegetation on land, and fine texture."""

    water: BoolArray
    urban: BoolArray
    vegetation: FloatArray
    texture: FloatArray


def land_cover(fields: FloatArray, water_share: float, urban_share: float) -> LandCover:
    """Classify four fields (terrain, urbanisation, vegetation, texture) into land cover.

    The lowest ``water_share`` of the terrain is water; the highest ``urban_share``
    of the urbanisation field, on land, is urban; elsewhere vegetation and bare
    soil mix smoothly.
    """
    terrain, urbanisation, vegetation, texture = fields
    water = terrain < np.quantile(terrain[::5, ::5], water_share)
    urban = (urbanisation > np.quantile(urbanisation[::5, ::5], 1.0 - urban_share)) & ~water
    parcels = np.floor(vegetation * 1.6) / 1.6  # piecewise-constant patches, like fields
    vigour = 2.2 * parcels + 1.4 * vegetation + 0.6
    share = (1.0 / (1.0 + np.exp(-vigour))).astype(np.float32)
    return LandCover(water=water, urban=urban, vegetation=share, texture=texture)


def surface_reflectance(cover: LandCover, wavelength: float) -> FloatArray:
    """Reflectance of every pixel at a wavelength (µm), before clouds."""
    veg, soil = spectrum("vegetation", wavelength), spectrum("soil", wavelength)
    land = (soil + (veg - soil) * cover.vegetation) * (1.0 + _TEXTURE["land"] * cover.texture)
    urban = spectrum("urban", wavelength) * (1.0 + _TEXTURE["urban"] * cover.texture)
    water = spectrum("water", wavelength) * (1.0 + _TEXTURE["water"] * cover.texture)
    out = np.where(cover.urban, urban, land)
    out = np.where(cover.water, water, out)
    return np.clip(out, 0.001, 1.0).astype(np.float32)


@dataclass(frozen=True)
class CloudLayer:
    """The cloud mask (exactly the requested share of the valid pixels) and opacity."""

    mask: BoolArray
    opacity: FloatArray

    def share(self, valid: BoolArray) -> float:
        """Fraction of the valid pixels that are cloudy."""
        total = int(valid.sum())
        return float((self.mask & valid).sum()) / total if total else 0.0


def cloud_layer(field: FloatArray, valid: BoolArray, cover: float) -> CloudLayer:
    """Threshold a fractal field so that ``cover`` (0..1) of the valid pixels are cloudy.

    Opacity rises from thin haze at a cloud's edge to opaque in its core.
    """
    values = field[valid]
    if cover <= 0.0 or values.size == 0:
        empty = np.zeros(field.shape, dtype=bool)
        return CloudLayer(empty, np.zeros(field.shape, dtype=np.float32))
    threshold = (
        float(values.min()) - 1.0 if cover >= 1.0 else float(np.quantile(values, 1.0 - cover))
    )
    mask = (field > threshold) & valid
    depth = np.clip((field - threshold) / 0.8, 0.0, 1.0)
    opacity = np.where(mask, 0.25 + 0.75 * np.sqrt(depth), 0.0).astype(np.float32)
    return CloudLayer(mask, opacity)
