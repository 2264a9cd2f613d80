"""A seeded cloud model: a climatology of place and season, and weather around it.

``expected_cloud`` is the climatological mean cloud fraction at a place and date
(``skyorder.sim.climatology``: zonal profiles for land and sea, a land mask, and the
deserts, stratocumulus decks and monsoons, calibrated to satellite climatologies).

``cloud_at`` is the realised cloud fraction: weather drawn around that mean. A smooth
random field ``z`` (standard normal at every point) is made of hashed lattice noise on
two scales, about 1° x 1 day (single weather systems) and 6° x 3 days (synoptic
patterns), so attempts close in space and time see similar skies. The cloud fraction is
``Φ(μ + σ z)`` with ``μ = Φ⁻¹(m) √(1 + σ²)``: its mean over the weather is exactly the
climatological ``m``, and with ``σ`` = 1.6 it is U-shaped, mostly clear or mostly
overcast, as observed cloud fractions are. Everything is a pure function of the seed.

``FixedSky`` is the same sky everywhere and always: clear (every capture meets any cloud
limit) or overcast (every capture with a limit fails for clouds), for tests and for
sandboxes that want outcomes independent of the weather (setting ``sim_weather``).
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from statistics import NormalDist
from typing import Protocol

from skyorder.sim.climatology import climatological_cloud

_NORMAL = NormalDist()
_DAY_S = 86_400.0
_MASK = (1 << 64) - 1
WEATHER_SPREAD = 1.6
# (cell size in degrees, cell length in days, weight); the weights' squares sum to 1.
_SCALES = ((1.0, 1.0, 0.8), (6.0, 3.0, 0.6))


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


class CloudField(Protocol):
    """Cloud cover at a place and time: its climatological mean and the realised value."""

    def expected_cloud(self, lat: float, lon: float, at: datetime) -> float:
        """The mean cloud fraction (0..1) expected at ``lat``/``lon`` around ``at``."""
        ...

    def cloud_at(self, lat: float, lon: float, at: datetime) -> float:
        """The cloud fraction (0..1) an acquisition at ``lat``/``lon`` at ``at`` sees."""
        ...


class WeatherModel:
    """Deterministic cloud cover for a seed: a climatological mean and realised weather.

    Implements the ``CloudOutlook`` protocol (``expected_cloud``) and adds ``cloud_at``.
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def expected_cloud(self, lat: float, lon: float, at: datetime) -> float:
        """Climatological mean cloud fraction (0..1) at ``lat``/``lon`` around ``at``.

        It is the mean of ``cloud_at`` over the weather.
        """
        return climatological_cloud(lat, lon, at)

    def cloud_at(self, lat: float, lon: float, at: datetime) -> float:
        """The cloud fraction (0..1) realised at ``lat``/``lon`` at ``at`` for this seed."""
        mean = climatological_cloud(lat, lon, at)
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


class FixedSky:
    """The same cloud fraction everywhere and always (0: clear, 1: overcast)."""

    def __init__(self, cloud: float) -> None:
        if not 0.0 <= cloud <= 1.0:
            raise ValueError("a cloud fraction is between 0 and 1")
        self.cloud = cloud

    def expected_cloud(self, lat: float, lon: float, at: datetime) -> float:
        """The fixed cloud fraction."""
        return self.cloud

    def cloud_at(self, lat: float, lon: float, at: datetime) -> float:
        """The fixed cloud fraction."""
        return self.cloud


class SimWeather(StrEnum):
    """Which sky the simulated ground segment sees (setting ``sim_weather``)."""

    CLIMATE = "climate"
    CLEAR = "clear"
    OVERCAST = "overcast"


def weather_for(kind: SimWeather, seed: int) -> CloudField:
    """The cloud field a sandbox runs on: seeded weather around the climate, or a fixed sky."""
    if kind is SimWeather.CLEAR:
        return FixedSky(0.0)
    if kind is SimWeather.OVERCAST:
        return FixedSky(1.0)
    return WeatherModel(seed)
