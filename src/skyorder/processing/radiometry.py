"""Radiometric processing: digital numbers to BASIC16, REFLECTANCE or DISPLAY pixels.

Calibration travels with the pixels as GDAL band scale/offset (reflectance =
DN × scale + offset), as the synthetic scenes write it. ``REFLECTANCE`` stores
reflectance × 10 000 in 16 bits; ``DISPLAY`` stretches each band's 2nd-98th
percentile of clear pixels to 1..255 (0 stays "no data").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skyorder.processing.options import Radiometry

REFLECTANCE_SCALE = 10_000
DISPLAY_PERCENTILES = (2.0, 98.0)


@dataclass(frozen=True)
class Calibration:
    """Per-band linear calibration from digital numbers to reflectance."""

    scales: tuple[float, ...]
    offsets: tuple[float, ...]

    def select(self, indices: Sequence[int]) -> Calibration:
        """The calibration of a subset of bands (zero-based indices)."""
        return Calibration(
            tuple(self.scales[i] for i in indices), tuple(self.offsets[i] for i in indices)
        )


@dataclass(frozen=True)
class Rendered:
    """Pixels after radiometric processing, with what the file must say about them."""

    pixels: npt.NDArray[np.uint16] | npt.NDArray[np.uint8]
    scales: tuple[float, ...]
    offsets: tuple[float, ...]


def reflectance(
    dn: npt.NDArray[np.uint16], valid: npt.NDArray[np.bool_], calibration: Calibration
) -> npt.NDArray[np.float32]:
    """Reflectance of every pixel (0 where not ``valid``)."""
    scales = np.asarray(calibration.scales, dtype=np.float32)[:, None, None]
    offsets = np.asarray(calibration.offsets, dtype=np.float32)[:, None, None]
    out = dn.astype(np.float32) * scales + offsets
    out[:, ~valid] = 0.0
    return out


def display(
    values: npt.NDArray[np.float32],
    valid: npt.NDArray[np.bool_],
    reference: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.uint8]:
    """Stretch each band's 2nd-98th percentile to 1..255; 0 where not ``valid``.

    Args:
        values: ``(bands, rows, cols)`` reflectance (or any linear quantity).
        valid: pixels with data.
        reference: pixels the percentiles are taken from (e.g. the clear ones);
            default ``valid``. Too few reference pixels fall back to ``valid``.
    """
    sample = valid if reference is None or reference.sum() < 100 else reference & valid
    out = np.zeros(values.shape, dtype=np.uint8)
    for index, band in enumerate(values):
        chosen = band[sample]
        if chosen.size == 0:
            continue
        stride = max(1, chosen.size // 1_000_000)
        low, high = np.percentile(chosen[::stride], DISPLAY_PERCENTILES)
        span = max(float(high - low), 1e-6)
        stretched = 1.0 + 254.0 * (band - np.float32(low)) / np.float32(span)
        out[index] = np.clip(np.rint(stretched), 1, 255).astype(np.uint8)
        out[index][~valid] = 0
    return out


def apply_radiometry(
    dn: npt.NDArray[np.uint16],
    valid: npt.NDArray[np.bool_],
    calibration: Calibration,
    radiometry: Radiometry,
    clear: npt.NDArray[np.bool_] | None = None,
) -> Rendered:
    """Turn warped digital numbers into the pixels of the ordered radiometric processing.

    ``BASIC16`` keeps the numbers and their calibration; ``REFLECTANCE`` writes
    reflectance × 10 000 (scale 1e-4); ``DISPLAY`` writes 8-bit stretched pixels.
    """
    if radiometry is Radiometry.BASIC16:
        out = dn.copy()
        out[:, ~valid] = 0
        return Rendered(out, calibration.scales, calibration.offsets)
    values = reflectance(dn, valid, calibration)
    if radiometry is Radiometry.DISPLAY:
        return Rendered(display(values, valid, clear), (), ())
    scaled = np.clip(np.rint(values * REFLECTANCE_SCALE), 1, np.iinfo(np.uint16).max)
    out16 = scaled.astype(np.uint16)
    out16[:, ~valid] = 0
    count = dn.shape[0]
    return Rendered(out16, (1.0 / REFLECTANCE_SCALE,) * count, (0.0,) * count)
