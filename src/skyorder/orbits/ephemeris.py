"""SGP4 propagation, vectorised, and the ephemeris cache that makes a second AOI cheap.

Propagation runs the sgp4 package's C++ SGP4 over every satellite and every time of a
grid at once (``SatrecArray``), then rotates TEME to ECEF in numpy.

The cache keeps, per TLE set and grid step, the direction of every satellite from the
Earth's centre at every grid time (float32: 12 bytes a sample) plus bounds on each
satellite's radius and angular rate. That is all the access search needs to screen an
AOI; precise positions near the candidate passes are recomputed by SGP4 on demand, so
a new AOI over cached satellites and window costs only geometry. To fill the grid, SGP4
runs every five minutes and cubic Hermite interpolation (positions and velocities) fills
the grid times between, five times cheaper and good to 0.001 degree. Grid times are
whole multiples of the step since the Unix epoch and entries span whole UTC days, so
windows that overlap share entries.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sgp4.api import WGS72, Satrec, SatrecArray

from skyorder.orbits.constellation import Satellite
from skyorder.orbits.frames import (
    EARTH_ROTATION_RAD_S,
    SECONDS_PER_DAY,
    FloatArray,
    julian_dates,
    teme_to_ecef,
)

DEFAULT_STEP_S = 60.0
KNOT_SPACING_S = 300.0
COARSE_FACTOR = 4
_CHUNK_SAMPLES = 500_000  # satellites x grid times interpolated at once

TleKey = tuple[tuple[str, str], ...]


def tle_key(satellites: Sequence[Satellite]) -> TleKey:
    """The cache key of a set of satellites: their TLE lines, in order."""
    return tuple((s.tle_line1, s.tle_line2) for s in satellites)


def satrecs(satellites: Sequence[Satellite]) -> list[Any]:
    """SGP4 records (WGS72, as TLEs are defined) for the satellites, in order."""
    return [Satrec.twoline2rv(s.tle_line1, s.tle_line2, WGS72) for s in satellites]


def propagate_grid(records: Sequence[Any], t: FloatArray) -> tuple[FloatArray, FloatArray]:
    """ECEF positions and velocities (n_sat, n_t, 3) of every satellite at every time.

    Samples where SGP4 fails (decayed orbit, bad elements) are NaN.
    """
    jd, fr = julian_dates(t)
    _, r, v = SatrecArray(list(records)).sgp4(jd, fr)
    return teme_to_ecef(np.asarray(r, dtype=np.float64), np.asarray(v, dtype=np.float64), t)


def propagate_samples(
    records: Sequence[Any], sat_index: NDArray[np.intp], t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """ECEF position and velocity (n, 3) of satellite ``sat_index[i]`` at ``t[i]``."""
    r = np.full((t.size, 3), np.nan)
    v = np.full((t.size, 3), np.nan)
    if t.size == 0:
        return r, v
    jd, fr = julian_dates(t)
    order = np.argsort(sat_index, kind="stable")
    sorted_index = sat_index[order]
    bounds = np.flatnonzero(np.diff(sorted_index)) + 1
    starts, stops = [0, *bounds.tolist()], [*bounds.tolist(), t.size]
    for start, stop in zip(starts, stops, strict=True):
        rows = order[start:stop]
        _, r_teme, v_teme = records[int(sorted_index[start])].sgp4_array(jd[rows], fr[rows])
        r[rows] = r_teme
        v[rows] = v_teme
    return teme_to_ecef(r, v, t)


@dataclass(frozen=True)
class Ephemeris:
    """Screening data for satellites over a regular time grid.

    Attributes:
        first_index: Grid index of the first sample (time = index * step_s, Unix seconds).
        step_s: Grid step in seconds.
        directions: float32 (3, n_sat, n_t) unit vectors from the Earth's centre (ECEF).
        coarse: Every ``COARSE_FACTOR``-th column of ``directions``, for a first pass.
        radius_max_km: Largest geocentric distance of each satellite over the grid.
        rate_max_rad_s: Bound on how fast each satellite's direction turns in ECEF.
    """

    first_index: int
    step_s: float
    directions: NDArray[np.float32]
    coarse: NDArray[np.float32]
    radius_max_km: FloatArray
    rate_max_rad_s: FloatArray

    @property
    def size(self) -> int:
        """Number of grid times."""
        return int(self.directions.shape[2])

    @property
    def last_index(self) -> int:
        """Grid index of the last sample."""
        return self.first_index + self.size - 1

    def covers(self, first_index: int, last_index: int) -> bool:
        """Whether grid indices ``first_index..last_index`` are all in this ephemeris."""
        return self.first_index <= first_index and last_index <= self.last_index


def compute_ephemeris(
    records: Sequence[Any], first_index: int, size: int, step_s: float
) -> Ephemeris:
    """Propagate every satellite over ``size`` grid times starting at ``first_index``.

    SGP4 runs every ``KNOT_SPACING_S`` (position and velocity); the grid times between are
    filled by cubic Hermite interpolation, good to ~0.2 km over 5 minutes of a low orbit
    (1/40 of a degree seen from the Earth's centre), far inside the screening margin.
    """
    n_sat = len(records)
    every = max(1, round(KNOT_SPACING_S / step_s))
    weights = _hermite_weights(every, every * step_s)
    directions = np.empty((3, n_sat, size), dtype=np.float32)
    radius_max = np.zeros(n_sat)
    n_knots = (size - 1) // every + 2
    per_chunk = max(1, _CHUNK_SAMPLES // max(1, n_sat * every))
    for j0 in range(0, n_knots - 1, per_chunk):
        j1 = min(n_knots - 1, j0 + per_chunk)
        t = (first_index + every * np.arange(j0, j1 + 1)) * step_s
        r, v = propagate_grid(records, t.astype(np.float64))
        fine = _interpolate(r, v, weights)
        start, stop = j0 * every, min(size, j1 * every)
        fine = fine[:, : stop - start]
        radius = np.linalg.norm(fine, axis=-1)
        radius_max = np.fmax(radius_max, np.nanmax(radius, axis=1, initial=0.0))
        directions[:, :, start:stop] = np.moveaxis(fine / radius[..., None], -1, 0)
    mean_motion = np.array([rec.no_kozai for rec in records]) / 60.0  # rad/min -> rad/s
    eccentricity = np.array([rec.ecco for rec in records])
    # Osculating angular rate peaks at perigee, n (1 + e)^2 / (1 - e^2)^1.5, plus the
    # Earth's rotation; 5 % covers SGP4's short-period terms.
    rate = mean_motion * (1 + eccentricity) ** 2 / (1 - eccentricity**2) ** 1.5
    rate_max = 1.05 * (rate + EARTH_ROTATION_RAD_S)
    coarse = np.ascontiguousarray(directions[:, :, ::COARSE_FACTOR])
    return Ephemeris(first_index, step_s, directions, coarse, radius_max, rate_max)


def _hermite_weights(every: int, span_s: float) -> FloatArray:
    """Cubic Hermite weights (4, every) of p0, v0, p1, v1 at fractions k / every."""
    u = np.arange(every) / every
    return np.stack(
        (
            2 * u**3 - 3 * u**2 + 1,
            (u**3 - 2 * u**2 + u) * span_s,
            -2 * u**3 + 3 * u**2,
            (u**3 - u**2) * span_s,
        )
    )


def _interpolate(r: FloatArray, v: FloatArray, weights: FloatArray) -> FloatArray:
    """Positions (n_sat, (n_knots - 1) * every, 3) between knots (n_sat, n_knots, 3)."""
    n_sat, n_knots, _ = r.shape
    fine = r[:, :-1, None, :] * weights[0][None, None, :, None]
    fine += v[:, :-1, None, :] * weights[1][None, None, :, None]
    fine += r[:, 1:, None, :] * weights[2][None, None, :, None]
    fine += v[:, 1:, None, :] * weights[3][None, None, :, None]
    interpolated: FloatArray = fine.reshape(n_sat, (n_knots - 1) * weights.shape[1], 3)
    return interpolated


@dataclass(frozen=True)
class EphemerisSlice:
    """The part of a cached ephemeris that covers a requested span of grid indices."""

    ephemeris: Ephemeris
    first_index: int
    last_index: int

    @property
    def directions(self) -> NDArray[np.float32]:
        """Unit vectors (3, n_sat, n_t) over the requested span (a view, never a copy)."""
        lo = self.first_index - self.ephemeris.first_index
        hi = self.last_index - self.ephemeris.first_index + 1
        return self.ephemeris.directions[:, :, lo:hi]

    @property
    def times(self) -> FloatArray:
        """Grid times (Unix seconds) of the span."""
        indices = np.arange(self.first_index, self.last_index + 1, dtype=np.float64)
        return indices * self.ephemeris.step_s


class EphemerisCache:
    """Least-recently-used ephemerides keyed by TLE set and time grid.

    Not thread-safe: give each worker its own cache, or guard it with a lock.
    """

    def __init__(self, step_s: float = DEFAULT_STEP_S, max_entries: int = 4) -> None:
        if not 1.0 <= step_s <= 600.0:
            raise ValueError(f"step_s must be between 1 and 600 seconds, got {step_s}")
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.step_s = float(step_s)
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[TleKey, int, int], tuple[list[Any], Ephemeris]] = (
            OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._entries)

    def grid_span(self, start_s: float, end_s: float) -> tuple[int, int]:
        """Grid indices from one step before ``start_s`` to one step after ``end_s``."""
        return (
            math.floor(start_s / self.step_s) - 1,
            math.ceil(end_s / self.step_s) + 1,
        )

    def get(
        self, satellites: Sequence[Satellite], start_s: float, end_s: float
    ) -> tuple[list[Any], EphemerisSlice]:
        """SGP4 records and the ephemeris of ``satellites`` around ``start_s..end_s``.

        Computes (and keeps) the ephemeris over the whole UTC days of the span when no
        cached entry for the same TLE set covers it.
        """
        key = tle_key(satellites)
        first, last = self.grid_span(start_s, end_s)
        for entry_key, (records, ephemeris) in self._entries.items():
            if entry_key[0] == key and ephemeris.covers(first, last):
                self._entries.move_to_end(entry_key)
                self.hits += 1
                return records, EphemerisSlice(ephemeris, first, last)
        self.misses += 1
        records = satrecs(satellites)
        day_first = math.floor(first * self.step_s / SECONDS_PER_DAY) * SECONDS_PER_DAY
        day_last = math.ceil((last + 1) * self.step_s / SECONDS_PER_DAY) * SECONDS_PER_DAY
        grid_first = min(first, math.floor(day_first / self.step_s))
        grid_last = max(last, math.ceil(day_last / self.step_s))
        ephemeris = compute_ephemeris(records, grid_first, grid_last - grid_first + 1, self.step_s)
        self._entries[(key, grid_first, grid_last)] = (records, ephemeris)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return records, EphemerisSlice(ephemeris, first, last)

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
