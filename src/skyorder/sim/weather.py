"""A seeded cloud model: climatology by latitude and season, and weather around it.

``expected_cloud`` is the climatological mean cloud fraction at a place and date, built
from the three features that shape the zonal-mean cloud cover of the Earth:

- the ITCZ, a cloudy belt a few degrees north of the equator that follows the Sun
  (about 2°S in January, 12°N in July);
- the subtropical highs, dry belts near 25-28° in each hemisphere, driest and nearest
  the pole in their hemisphere's summer (the Sahara in January is clearer still);
- the mid-latitude storm tracks near 50° in each hemisphere, cloudiest in their
  hemisphere's winter.

``cloud_at`` is the realised cloud fraction: weather drawn around that mean. A smooth
random field ``z`` (standard normal at every point) is made of hashed lattice noise on
two scales, about 1° x 1 day (single weather systems) and 6° x 3 days (synoptic
patterns), so attempts close in space and time see similar skies. The cloud fraction is
``Φ(μ + σ z)`` with ``μ = Φ⁻¹(m) √(1 + σ²)``: its mean over the weather is exactly the
climatological ``m``, and with ``σ`` = 1.6 it is U-shaped, mostly clear or mostly
overcast, as observed cloud fractions are. Everything is a pure function of the seed.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from statistics import NormalDist

_NORMAL = NormalDist()
_TROPICAL_YEAR_DAYS = 365.2422
_JUNE_SOLSTICE = datetime(2000, 6, 21, 1, 48, tzinfo=UTC)
_DAY_S = 86_400.0
_MASK = (1 << 64) - 1
WEATHER_SPREAD = 1.6
# (cell size in degrees, cell length in days, weight); the weights' squares sum to 1.
_SCALES = ((1.0, 1.0, 0.8), (6.0, 3.0, 0.6))


def _season(at: datetime) -> float:
    """+1 at the June solstice, -1 at the December one (northern summer index)."""
    if at.tzinfo is None:
        raise ValueError("the time must carry a time zone")
    days = (at - _JUNE_SOLSTICE).total_seconds() / _DAY_S
    return math.cos(2.0 * math.pi * days / _TROPICAL_YEAR_DAYS)


def _bump(x: float, centre: float, width: float) -> float:
    return math.exp(-(((x - centre) / width) ** 2))


def climatological_cloud(lat: float, at: datetime) -> float:
    """Mean cloud fraction (0..1) of the latitude ``lat`` at the time of year of ``at``."""
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside ±90")
    north = _season(at)
    summer = north if lat >= 0 else -north  # the local hemisphere's summer index
    band = abs(lat)
    itcz = 0.30 * _bump(lat, 5.0 + 7.0 * north, 8.0)
    subtropical_high = -0.40 * _bump(band, 25.0 + 3.0 * summer, 10.0)
    storm_track = (0.22 - 0.08 * summer) * _bump(band, 52.0 + 4.0 * summer, 12.0)
    return min(0.95, max(0.05, 0.52 + itcz + subtropical_high + storm_track))


def _hash(*values: int) -> int:
    """SplitMix64 over a tuple of integers (stable across runs and platforms)."""
    h = 0x9E3779B97F4A7C15
    for v in values:
        h = (h ^ (v & _MASK)) & _MASK
        h = (h + 0x9E3779B97F4A7C15) & _MASK
        h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK
        h ^= h >> 31
    return h


def _smooth(f: float) -> float:
    return f * f * (3.0 - 2.0 * f)


class WeatherModel:
    """Deterministic cloud cover for a seed: a climatological mean and realised weather.

    Implements the ``CloudOutlook`` protocol (``expected_cloud``) and adds ``cloud_at``.
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def expected_cloud(self, lat: float, lon: float, at: datetime) -> float:
        """Climatological mean cloud fraction (0..1) at ``lat``/``lon`` around ``at``.

        It is the mean of ``cloud_at`` over the weather; it depends on latitude and
        season only (``lon`` is accepted for the protocol).
        """
        return climatological_cloud(lat, at)

    def cloud_at(self, lat: float, lon: float, at: datetime) -> float:
        """The cloud fraction (0..1) realised at ``lat``/``lon`` at ``at`` for this seed."""
        mean = climatological_cloud(lat, at)
        z = self.weather(lat, lon, at)
        mu = _NORMAL.inv_cdf(mean) * math.sqrt(1.0 + WEATHER_SPREAD**2)
        return _NORMAL.cdf(mu + WEATHER_SPREAD * z)

    def weather(self, lat: float, lon: float, at: datetime) -> float:
        """The standard-normal weather anomaly at a place and time (positive: cloudier)."""
        if at.tzinfo is None:
            raise ValueError("the time must carry a time zone")
        days = at.timestamp() / _DAY_S
        return sum(
            weight * self._lattice_noise(index, lat, lon, days, cell_deg, cell_days)
            for index, (cell_deg, cell_days, weight) in enumerate(_SCALES)
        )

    def _lattice_noise(
        self, scale: int, lat: float, lon: float, days: float, cell_deg: float, cell_days: float
    ) -> float:
        """Smoothly interpolated lattice Gaussians, rescaled to unit variance everywhere."""
        wrap = round(360.0 / cell_deg)
        x, y, t = (lon % 360.0) / cell_deg, (lat + 90.0) / cell_deg, days / cell_days
        ix, iy, it = math.floor(x), math.floor(y), math.floor(t)
        fx, fy, ft = _smooth(x - ix), _smooth(y - iy), _smooth(t - it)
        total = norm = 0.0
        for dx, wx in ((0, 1.0 - fx), (1, fx)):
            for dy, wy in ((0, 1.0 - fy), (1, fy)):
                for dt, wt in ((0, 1.0 - ft), (1, ft)):
                    w = wx * wy * wt
                    if w == 0.0:
                        continue
                    h = _hash(self.seed, scale, (ix + dx) % wrap, iy + dy, it + dt)
                    u = ((h >> 11) + 0.5) / float(1 << 53)
                    total += w * _NORMAL.inv_cdf(u)
                    norm += w * w
        return total / math.sqrt(norm)
