"""The cloud climatology: mean cloud fraction by place and time of year, land and sea apart.

Calibrated to published satellite climatologies (MODIS, ISCCP, CALIPSO/CloudSat; the
figures and their sources are in ``docs/decisions.md``, and ``bench/weather.py`` measures
the model against them). The mean at a place is built from three parts:

- two zonal profiles, one for the sea and one for land, tabulated every 10° of latitude
  as an annual mean and a January-minus-July swing (the ITCZ's migration, winter storm
  tracks, the Arctic's cloudy summer, the tropical continents' wet seasons);
- the place's land fraction, from a 1° table made once from the GLOBE land mask
  (``scripts/make_land_table.py``), interpolated bilinearly, which blends the two profiles
  (a coast gets a bit of both);
- regional features the zonal profiles cannot hold: the subtropical deserts, the
  stratocumulus decks off the western coasts of the continents, the monsoons, the wet
  equatorial forests and the warm pool, each an elliptical bump with its own annual
  cycle, on land, at sea or both.

``climatological_cloud`` is a pure function of the place and the date (the year's phase),
fast enough for the planner's inner loops: a table look-up, two interpolations and the
few features whose reach covers the place.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from importlib import resources

_TROPICAL_YEAR_DAYS = 365.2422
_YEAR_START = datetime(2000, 1, 1, tzinfo=UTC)
_DAY_S = 86_400.0
_MIN, _MAX = 0.03, 0.97
_REACH = 2.5  # a feature is ignored beyond this many widths (exp(-6.25) < 0.2 %)

# Latitude knots (°), then for the sea and for land: annual mean cloud fraction and the
# January-minus-July half swing (positive: cloudier in January).
_KNOTS = tuple(range(-90, 91, 10))
# fmt: off
_SEA_MEAN = (0.60, 0.72, 0.90, 0.91, 0.87, 0.77, 0.64, 0.63, 0.66, 0.68, 0.70, 0.60, 0.62,
             0.74, 0.83, 0.84, 0.78, 0.72, 0.70)
_SEA_SWING = (0.00, -0.03, -0.03, 0.00, 0.00, 0.01, 0.00, 0.02, 0.05, 0.02, -0.06, -0.03,
              0.02, 0.04, 0.03, 0.00, -0.10, -0.16, -0.16)
_LAND_MEAN = (0.25, 0.22, 0.45, 0.78, 0.72, 0.55, 0.42, 0.45, 0.62, 0.72, 0.52, 0.38, 0.42,
              0.56, 0.66, 0.70, 0.66, 0.64, 0.64)
_LAND_SWING = (-0.03, -0.03, -0.03, 0.00, 0.00, -0.02, 0.04, 0.14, 0.14, 0.02, -0.14, -0.06,
               0.03, 0.07, 0.08, 0.04, -0.06, -0.12, -0.12)
# fmt: on


class Surface(Enum):
    """Where a regional feature applies."""

    LAND = "land"
    SEA = "sea"
    ANY = "any"


@dataclass(frozen=True)
class Feature:
    """A regional departure from the zonal profiles: an elliptical bump with a season.

    Attributes:
        name: What it is (for the bench and the docs).
        lat: Centre latitude (°).
        lon: Centre longitude (°).
        lat_width: Gaussian half width in latitude (°).
        lon_width: Gaussian half width in longitude (°).
        surface: Land, sea or both.
        mean: Change of the annual mean cloud fraction at the centre.
        swing: Half the seasonal range of the change.
        peak_month: When the change is largest (1 = mid-January ... 12 = mid-December).
    """

    name: str
    lat: float
    lon: float
    lat_width: float
    lon_width: float
    surface: Surface
    mean: float
    swing: float = 0.0
    peak_month: float = 1.0
    _cos_peak: float = field(init=False, repr=False, compare=False)
    _sin_peak: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        peak = 2.0 * math.pi * (self.peak_month - 0.5) / 12.0
        object.__setattr__(self, "_cos_peak", self.swing * math.cos(peak))
        object.__setattr__(self, "_sin_peak", self.swing * math.sin(peak))

    def weight(self, lat: float, lon: float) -> float:
        """The bump's shape at a place: 1 at the centre, 0 beyond its reach."""
        dlat = (lat - self.lat) / self.lat_width
        if abs(dlat) > _REACH:
            return 0.0
        dlon = ((lon - self.lon + 180.0) % 360.0 - 180.0) / self.lon_width
        if abs(dlon) > _REACH:
            return 0.0
        return math.exp(-(dlat * dlat + dlon * dlon))

    def change(self, cos_phase: float, sin_phase: float) -> float:
        """The change at the centre at the year's phase (cos, sin of 2π·year fraction)."""
        return self.mean + cos_phase * self._cos_peak + sin_phase * self._sin_peak


_L, _S, _A = Surface.LAND, Surface.SEA, Surface.ANY
FEATURES: tuple[Feature, ...] = (
    # Subtropical deserts: the clearest skies on Earth.
    Feature("Sahara", 23.0, 10.0, 7.0, 20.0, _L, -0.25, 0.06, 1.0),
    Feature("Arabian desert", 23.0, 47.0, 6.0, 10.0, _L, -0.16),
    Feature("Australian interior", -25.0, 130.0, 7.0, 12.0, _L, -0.14, 0.05, 1.0),
    Feature("Kalahari and Namib", -24.0, 18.0, 6.0, 7.0, _L, -0.08, 0.06, 1.0),
    Feature("North American deserts", 31.0, -111.0, 6.0, 9.0, _L, -0.12),
    Feature("Atacama and Altiplano", -22.0, -69.0, 5.0, 4.0, _L, -0.18),
    Feature("Central Asian deserts", 41.0, 62.0, 6.0, 14.0, _L, -0.12, 0.08, 1.0),
    Feature("Pampas and Patagonia lee", -40.0, -63.0, 8.0, 8.0, _A, -0.12, 0.05, 7.0),
    Feature("Mediterranean summer", 37.0, 18.0, 6.0, 20.0, _A, -0.05, 0.12, 1.0),
    # Subtropical stratocumulus decks over cold upwelling, each in its season.
    Feature("South-east Pacific deck", -20.0, -84.0, 9.0, 12.0, _S, 0.12, 0.06, 10.0),
    Feature("South-east Atlantic deck", -15.0, 4.0, 8.0, 10.0, _S, 0.12, 0.07, 10.0),
    Feature("North-east Pacific deck", 26.0, -128.0, 8.0, 12.0, _S, 0.07, 0.07, 7.0),
    Feature("Canary deck", 22.0, -24.0, 6.0, 8.0, _S, 0.02, 0.05, 7.0),
    Feature("South-east Indian deck", -28.0, 102.0, 7.0, 8.0, _S, 0.05, 0.04, 10.0),
    # Monsoons and wet equatorial forests.
    Feature("South Asian monsoon", 20.0, 79.0, 8.0, 12.0, _A, 0.12, 0.30, 7.5),
    Feature("West African monsoon", 11.0, 0.0, 5.0, 15.0, _L, 0.02, 0.14, 8.0),
    Feature("East Asian cloud belt", 28.0, 110.0, 7.0, 10.0, _L, 0.20),
    Feature("Amazon", -5.0, -62.0, 10.0, 12.0, _L, 0.10, 0.04, 2.0),
    Feature("Congo basin", 0.0, 20.0, 7.0, 10.0, _L, 0.08),
    Feature("Maritime continent", 0.0, 120.0, 10.0, 30.0, _A, 0.08),
    # Ice sheets: cold, dry air over high ground.
    Feature("Greenland", 72.0, -40.0, 8.0, 15.0, _L, -0.10),
)


_TILE = 10.0  # degrees: features are indexed by the 10° tiles they reach


@cache
def _features_by_tile() -> dict[tuple[int, int], tuple[Feature, ...]]:
    """For each 10° x 10° tile, the features whose reach overlaps it."""
    tiles: dict[tuple[int, int], tuple[Feature, ...]] = {}
    for ty in range(18):
        south, north = -90.0 + _TILE * ty, -80.0 + _TILE * ty
        for tx in range(36):
            west = -180.0 + _TILE * tx
            tiles[(ty, tx)] = tuple(
                f
                for f in FEATURES
                if south - _REACH * f.lat_width <= f.lat <= north + _REACH * f.lat_width
                and abs((f.lon - west - _TILE / 2 + 180.0) % 360.0 - 180.0)
                <= _TILE / 2 + _REACH * f.lon_width
            )
    return tiles


def features_near(lat: float, lon: float) -> tuple[Feature, ...]:
    """The regional features that may reach ``lat``/``lon``."""
    ty = min(17, int((lat + 90.0) // _TILE))
    tx = int(((lon + 180.0) % 360.0) // _TILE) % 36
    return _features_by_tile()[(ty, tx)]


@cache
def _land_table() -> bytes:
    """The 1° land-fraction table (180 rows from the north, 360 columns from 180°W)."""
    packed = resources.files("skyorder.data").joinpath("land_fraction_1deg.zlib").read_bytes()
    table = zlib.decompress(packed)
    if len(table) != 180 * 360:
        raise RuntimeError("the land-fraction table is damaged")
    return table


def land_fraction(lat: float, lon: float) -> float:
    """Share of land (0..1) around ``lat``/``lon``, bilinear between 1° cell centres."""
    table = _land_table()
    y = min(179.0, max(0.0, 89.5 - lat))
    x = (lon + 179.5) % 360.0
    iy, ix = min(178, int(y)), int(x)
    fy, fx = y - iy, x - ix
    jx = (ix + 1) % 360
    r0, r1 = iy * 360, (iy + 1) * 360
    top = table[r0 + ix] * (1.0 - fx) + table[r0 + jx] * fx
    bottom = table[r1 + ix] * (1.0 - fx) + table[r1 + jx] * fx
    return (top * (1.0 - fy) + bottom * fy) / 255.0


def year_phase(at: datetime) -> tuple[float, float]:
    """cos and sin of the year's phase (0 at the start of January)."""
    if at.tzinfo is None:
        raise ValueError("the time must carry a time zone")
    days = (at - _YEAR_START).total_seconds() / _DAY_S
    angle = 2.0 * math.pi * (days % _TROPICAL_YEAR_DAYS) / _TROPICAL_YEAR_DAYS
    return math.cos(angle), math.sin(angle)


# cos/sin of mid-January's phase: the zonal swings peak there (or mid-July when negative).
_JAN = 2.0 * math.pi * 0.5 / 12.0
_JAN_COS, _JAN_SIN = math.cos(_JAN), math.sin(_JAN)


def _zonal(lat: float, seasonal: float) -> tuple[float, float]:
    """(sea, land) zonal cloud fraction at ``lat``; ``seasonal`` is cos(phase - January)."""
    k = min(17, int((lat + 90.0) // 10.0))
    f = (lat - _KNOTS[k]) / 10.0
    sea = (_SEA_MEAN[k] + seasonal * _SEA_SWING[k]) * (1.0 - f) + (
        _SEA_MEAN[k + 1] + seasonal * _SEA_SWING[k + 1]
    ) * f
    land = (_LAND_MEAN[k] + seasonal * _LAND_SWING[k]) * (1.0 - f) + (
        _LAND_MEAN[k + 1] + seasonal * _LAND_SWING[k + 1]
    ) * f
    return sea, land


def climatological_cloud(lat: float, lon: float, at: datetime) -> float:
    """Mean cloud fraction (0..1) at ``lat``/``lon`` at the time of year of ``at``."""
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside ±90")
    if not math.isfinite(lon):
        raise ValueError(f"longitude {lon} is not a number")
    cos_phase, sin_phase = year_phase(at)
    sea, land = _zonal(lat, cos_phase * _JAN_COS + sin_phase * _JAN_SIN)
    for feature in features_near(lat, lon):
        weight = feature.weight(lat, lon)
        if weight:
            change = weight * feature.change(cos_phase, sin_phase)
            if feature.surface is not Surface.SEA:
                land += change
            if feature.surface is not Surface.LAND:
                sea += change
    share = land_fraction(lat, lon)
    mean = share * land + (1.0 - share) * sea
    return min(_MAX, max(_MIN, mean))
