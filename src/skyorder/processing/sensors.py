"""Sensors as the pipeline sees them: bands, ground sample distances, calibration.

A sensor declares its multispectral bands (with STAC ``eo`` common names and
centre wavelengths, which drive the synthetic spectra), the multispectral GSD
and, for pan/MS sensors, a panchromatic GSD an integer number of times finer.
Each band carries the linear calibration from reflectance to digital number
that the synthesis applies and the ``REFLECTANCE`` processing inverts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from skyorder.processing.errors import InvalidProcessingOption

STANDARD_BANDS = ("blue", "green", "red", "nir")
RGB = ("red", "green", "blue")


@dataclass(frozen=True)
class Band:
    """One multispectral band.

    Attributes:
        name: band name in files and metadata (``"blue"``, ``"B1"``...).
        common_name: STAC ``eo`` common name (``blue``, ``green``, ``red``, ``nir``...).
        center_wavelength: micrometres.
        full_width_half_max: micrometres.
        gain: digital numbers per unit of reflectance.
        offset: digital number of zero reflectance.
        pan_weight: share of this band in the panchromatic band (weights sum to 1).
    """

    name: str
    common_name: str
    center_wavelength: float
    full_width_half_max: float
    gain: float
    offset: float
    pan_weight: float = 0.0


@dataclass(frozen=True)
class SensorSpec:
    """What a sensor delivers: its bands and GSDs (metres).

    Attributes:
        name: sensor name as the product catalogue spells it (``micro``, ``PHR``...).
        bands: multispectral bands in file order.
        gsd: multispectral ground sample distance.
        pan_gsd: panchromatic ground sample distance, or ``None`` for MS-only sensors.
        bit_depth: significant bits of the digital numbers.
    """

    name: str
    bands: tuple[Band, ...]
    gsd: float
    pan_gsd: float | None = None
    bit_depth: int = 12

    def __post_init__(self) -> None:
        if not self.bands:
            raise ValueError(f"sensor {self.name}: declares no band")
        if self.pan_gsd is not None:
            ratio = self.gsd / self.pan_gsd
            if ratio < 2 or not math.isclose(ratio, round(ratio), abs_tol=1e-6):
                raise ValueError(
                    f"sensor {self.name}: gsd/pan_gsd must be an integer >= 2, got {ratio:g}"
                )
            if not math.isclose(sum(b.pan_weight for b in self.bands), 1.0, abs_tol=1e-6):
                raise ValueError(f"sensor {self.name}: band pan weights must sum to 1")

    @property
    def has_pan(self) -> bool:
        """Whether the sensor has a panchromatic band."""
        return self.pan_gsd is not None

    @property
    def pan_ratio(self) -> int:
        """How many panchromatic pixels span one multispectral pixel (1 without pan)."""
        return 1 if self.pan_gsd is None else round(self.gsd / self.pan_gsd)

    @property
    def max_dn(self) -> int:
        """The largest digital number the sensor writes."""
        return int(2**self.bit_depth - 1)

    @property
    def pan_gain(self) -> float:
        """Calibration gain of the panchromatic band (pan-weighted mean of the bands')."""
        return sum(b.pan_weight * b.gain for b in self.bands)

    @property
    def pan_offset(self) -> float:
        """Calibration offset of the panchromatic band."""
        return sum(b.pan_weight * b.offset for b in self.bands)

    def band_indices(self, full_spectrum: bool) -> tuple[int, ...]:
        """Zero-based indices of the delivered bands.

        Every band with ``full_spectrum``; otherwise blue, green, red and NIR when
        the sensor has them all, else every band.
        """
        names = [b.common_name for b in self.bands]
        if full_spectrum or not set(STANDARD_BANDS) <= set(names):
            return tuple(range(len(self.bands)))
        return tuple(names.index(n) for n in STANDARD_BANDS)

    def rgb_indices(self) -> tuple[int, int, int] | None:
        """Zero-based indices of red, green and blue, or ``None`` if one is missing."""
        names = [b.common_name for b in self.bands]
        if not set(RGB) <= set(names):
            return None
        return names.index("red"), names.index("green"), names.index("blue")

    def scaled(self, factor: float) -> SensorSpec:
        """The same sensor with both GSDs multiplied by ``factor`` (ratio kept)."""
        if self.pan_gsd is None:
            return replace(self, gsd=round(self.gsd * factor, 9))
        pan = round(self.pan_gsd * factor, 9)
        return replace(self, gsd=round(pan * self.pan_ratio, 9), pan_gsd=pan)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description, read back by :meth:`from_json`."""
        return {
            "name": self.name,
            "gsd": self.gsd,
            "pan_gsd": self.pan_gsd,
            "bit_depth": self.bit_depth,
            "bands": [vars(b) for b in self.bands],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SensorSpec:
        """Rebuild a sensor from :meth:`to_json`'s output."""
        return cls(
            name=str(data["name"]),
            bands=tuple(Band(**b) for b in data["bands"]),
            gsd=float(data["gsd"]),
            pan_gsd=None if data["pan_gsd"] is None else float(data["pan_gsd"]),
            bit_depth=int(data["bit_depth"]),
        )


def _bands(*rows: tuple[str, float, float, float, float, float]) -> tuple[Band, ...]:
    return tuple(Band(n, n, c, w, g, o, p) for n, c, w, g, o, p in rows)


# name, centre µm, FWHM µm, gain DN/reflectance, offset DN, pan weight
_FOUR_BANDS = _bands(
    ("blue", 0.490, 0.070, 5200.0, 120.0, 0.20),
    ("green", 0.560, 0.080, 5000.0, 100.0, 0.30),
    ("red", 0.655, 0.070, 4800.0, 90.0, 0.30),
    ("nir", 0.835, 0.110, 4200.0, 70.0, 0.20),
)
_SIX_BANDS = _bands(
    ("coastal", 0.425, 0.050, 5400.0, 130.0, 0.05),
    ("blue", 0.490, 0.070, 5200.0, 120.0, 0.20),
    ("green", 0.560, 0.080, 5000.0, 100.0, 0.25),
    ("red", 0.655, 0.070, 4800.0, 90.0, 0.25),
    ("rededge", 0.715, 0.040, 4500.0, 80.0, 0.10),
    ("nir", 0.835, 0.110, 4200.0, 70.0, 0.15),
)

BUILTIN_SENSORS: Mapping[str, SensorSpec] = {
    s.name: s
    for s in (
        SensorSpec("micro", tuple(replace(b, pan_weight=0.0) for b in _FOUR_BANDS), gsd=1.0),
        SensorSpec("PHR", _FOUR_BANDS, gsd=2.0, pan_gsd=0.5),
        SensorSpec("PNEO", _SIX_BANDS, gsd=1.2, pan_gsd=0.3),
        SensorSpec("SPOT", _FOUR_BANDS, gsd=6.0, pan_gsd=1.5),
        SensorSpec("vhr30", _FOUR_BANDS, gsd=1.2, pan_gsd=0.3),
    )
}
"""The sensors of the built-in product catalogue, by name."""


def builtin_sensor(name: str) -> SensorSpec:
    """Return a built-in sensor by name (``micro``, ``PHR``, ``PNEO``, ``SPOT``, ``vhr30``).

    Raises:
        InvalidProcessingOption: naming ``sensor`` when no such sensor is known.
    """
    try:
        return BUILTIN_SENSORS[name]
    except KeyError:
        known = ", ".join(BUILTIN_SENSORS)
        raise InvalidProcessingOption.about(
            "sensor", f"{name!r} is not a known sensor; choose one of {known}"
        ) from None


HYPERSPECTRAL = "hyperspectral"
_VISIBLE = (("blue", 0.45, 0.51), ("green", 0.52, 0.58), ("red", 0.62, 0.69))


def hyperspectral_sensor(bands: Sequence[tuple[str, float]], gsd: float) -> SensorSpec:
    """A hyperspectral sensor delivering exactly ``bands`` (name, centre wavelength in nm).

    Each band's name carries its wavelength (``B001 (473 nm)``), so files' band
    descriptions say it. The first band in each of the blue, green and red ranges gets that
    common name, for the visual image; no band is called ``nir``, so every band is
    delivered (a sensor with blue, green, red and NIR delivers only those four).
    """
    named: list[Band] = []
    taken: set[str] = set()
    for name, nm in bands:
        micrometres = nm / 1000.0
        common = next(
            (c for c, low, high in _VISIBLE if low <= micrometres <= high and c not in taken), ""
        )
        taken.add(common)
        named.append(
            Band(f"{name} ({nm:g} nm)", common, round(micrometres, 6), 0.01, 5000.0, 100.0, 0.0)
        )
    return SensorSpec(HYPERSPECTRAL, tuple(named), gsd=gsd)
