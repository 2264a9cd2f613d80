"""The stages of the access search, each vectorised over all candidate passes.

1. **Screening** (``screen``) on the cached ephemeris grid: a grid time is a candidate
   when the angle at the Earth's centre between the satellite and the AOI's reference
   point is within what the sensor can reach, plus the AOI's own size, plus how far the
   satellite can move in half a step, so no window can hide between two grid times. A
   parabola through the three best samples of each run of candidates then predicts the
   pass's smallest angle and its time; passes that clearly miss stop here.
2. **Closest approach** (``closest_approach``): Newton's method on the range to the
   reference point (SGP4 position, velocity and gravity), then a parabola through the
   off-nadir angle one second either side.
3. **Window edges** (``window_edges``): the AOI is in reach while, for some point of it,
   the off-nadir angle is within the limit and the satellite is above the horizon. A
   straight-track model of the pass predicts each edge; a narrow bracket around the
   prediction (or, failing that, the screening bracket) is then closed by the Illinois
   variant of regula falsi.

SGP4 runs once per satellite per iteration, on every pending pass of that satellite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from skyorder.orbits.ephemeris import (
    COARSE_FACTOR,
    Ephemeris,
    EphemerisSlice,
    propagate_samples,
)
from skyorder.orbits.frames import FloatArray, ecef_to_geodetic, geodetic_to_ecef, local_up
from skyorder.orbits.viewing import (
    Target,
    access_central_angle,
    dot_table,
    ground_range_km,
    look_angles,
    probe_cosines,
)

IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

MU_KM3_S2 = 398_600.4418
SCREEN_MARGIN_RAD = math.radians(0.5)
PREDICTION_MARGIN_RAD = math.radians(0.25)
NEWTON_ITERATIONS = 1
POLISH_STEP_S = 1.0
EDGE_BRACKET_S = 1.0
EDGE_TOLERANCE_S = 0.05
MAX_EDGE_ITERATIONS = 40


@dataclass(frozen=True)
class Search:
    """What every stage of one search needs (angles in radians, times in Unix seconds)."""

    records: Sequence[Any]
    target: Target
    max_off_nadir: FloatArray  # per satellite index; NaN for satellites not selected
    min_sun_elevation: FloatArray  # per satellite index
    start: float
    end: float

    def deficit(self, sat: IntArray, t: FloatArray) -> FloatArray:
        """How far the nearest part of the AOI is from reach: < 0 inside a window.

        For each probe, the larger of (cos limit - cos off-nadir) and (-sin elevation):
        both are negative when the satellite sees the probe within its pointing limit
        and above the horizon. (Cosines and sines rather than angles: the same sign,
        hence the same window edges, without the trigonometry.)
        """
        r, _ = propagate_samples(self.records, sat, t)
        return self.deficit_at(sat, r)

    def deficit_at(self, sat: IntArray, r: FloatArray) -> FloatArray:
        """``deficit`` for satellites already propagated to ECEF positions ``r``."""
        lat, lon, _ = ecef_to_geodetic(r)
        nadir = -local_up(lat, lon)
        cos_off_nadir, sin_elevation = probe_cosines(
            r, nadir, self.target.probes, self.target.probes_up
        )
        cos_limit = np.cos(self.max_off_nadir[sat])
        deficit = np.maximum(cos_limit[:, None] - cos_off_nadir, -sin_elevation).min(axis=1)
        if not self.target.is_point:
            inside = self.target.contains(np.degrees(lon), np.degrees(lat))
            deficit = np.where(inside, np.minimum(deficit, cos_limit - 1.0), deficit)
        return np.where(np.isfinite(deficit), deficit, 1.0)


@dataclass(frozen=True)
class Candidates:
    """Possible passes: satellite index, predicted closest approach, search bracket."""

    sat: IntArray
    peak: FloatArray
    low: FloatArray
    high: FloatArray

    def take(self, keep: BoolArray) -> Candidates:
        """The candidates where ``keep`` is True."""
        return Candidates(self.sat[keep], self.peak[keep], self.low[keep], self.high[keep])


def _empty() -> Candidates:
    none = np.empty(0)
    return Candidates(np.empty(0, dtype=np.intp), none, none, none)


def screen(search: Search, span: EphemerisSlice, selected: Sequence[int]) -> Candidates:
    """Runs of grid times at which a selected satellite may reach the AOI.

    A first pass over every ``COARSE_FACTOR``-th grid time, with the margin widened by how
    far a satellite moves in half that interval, picks the blocks of the grid worth a
    look; only their grid times are then tested.
    """
    ephemeris = span.ephemeris
    rows = np.asarray(selected, dtype=np.intp)
    target = search.target
    toward = (target.reference / np.linalg.norm(target.reference)).astype(np.float32)
    limit = (
        access_central_angle(
            search.max_off_nadir[rows], ephemeris.radius_max_km[rows], target.min_radius_km
        )
        + target.radius
    )
    rate = ephemeris.rate_max_rad_s[rows] * ephemeris.step_s
    reach = limit + rate / 2.0 + SCREEN_MARGIN_RAD
    lo = span.first_index - ephemeris.first_index
    hi = span.last_index - ephemeris.first_index
    row, col = _coarse_blocks(ephemeris, rows, toward, reach + rate * COARSE_FACTOR / 2, lo, hi)
    cosine = _cosines(ephemeris.directions, rows[row], col, toward)
    hit = cosine >= np.cos(np.minimum(reach, np.pi))[row]
    row, col, cosine = row[hit], col[hit], cosine[hit]
    if row.size == 0:
        return _empty()
    breaks = np.flatnonzero((np.diff(row) != 0) | (np.diff(col) != 1)) + 1
    first = np.concatenate(([0], breaks))
    last = np.concatenate((breaks, [row.size])) - 1
    run = np.repeat(np.arange(first.size), last - first + 1)
    best = np.lexsort((-cosine, run))
    peak = best[np.concatenate(([0], np.flatnonzero(np.diff(run[best])) + 1))]
    offset, closest = _vertex(ephemeris.directions, rows[row[peak]], col[peak], toward)
    step = ephemeris.step_s
    times = (ephemeris.first_index + col).astype(np.float64) * step
    low = np.maximum(times[first] - step, search.start)
    high = np.minimum(times[last] + step, search.end)
    peak_time = np.clip(times[peak] + offset * step, low, high)
    keep = (low < high) & (closest <= limit[row[first]] + PREDICTION_MARGIN_RAD)
    return Candidates(rows[row[first]], peak_time, low, high).take(keep)


def _cosines(
    directions: NDArray[np.float32], sat: IntArray, col: IntArray, toward: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Cosine of the angle between ``toward`` and satellite ``sat`` at grid column ``col``."""
    flat = directions.reshape(3, -1)  # a view: the cache's arrays are contiguous
    picked = np.take(flat, sat * directions.shape[2] + col, axis=1)
    cosine: NDArray[np.float32] = picked[0] * toward[0]
    cosine += picked[1] * toward[1]
    cosine += picked[2] * toward[2]
    return cosine


def _coarse_blocks(
    ephemeris: Ephemeris,
    rows: IntArray,
    toward: NDArray[np.float32],
    reach: FloatArray,
    lo: int,
    hi: int,
) -> tuple[IntArray, IntArray]:
    """Grid columns ``lo..hi`` near a coarse sample within ``reach``, sorted by row then column.

    Column k belongs to coarse sample ``(k + F/2) // F``, at most F/2 columns away; the
    columns past the last coarse sample's block are always returned.
    """
    factor, half = COARSE_FACTOR, COARSE_FACTOR // 2
    n_coarse = ephemeris.coarse.shape[2]
    j_lo, j_hi = (lo + half) // factor, min((hi + half) // factor, n_coarse - 1)
    coarse = ephemeris.coarse[:, :, j_lo : j_hi + 1]
    if rows.size != coarse.shape[1]:
        coarse = coarse[:, rows]  # a copy: only when some satellites are left out
    cosine = coarse[0] * toward[0]
    cosine += coarse[1] * toward[1]
    cosine += coarse[2] * toward[2]
    row, j = np.nonzero(cosine >= np.cos(np.minimum(reach, np.pi)).astype(np.float32)[:, None])
    col = ((j + j_lo) * factor)[:, None] + np.arange(-half, half)[None, :]
    row = np.repeat(row, factor)
    col = col.ravel()
    tail = np.arange(factor * (n_coarse - 1) + half, hi + 1)
    if tail.size:
        row = np.concatenate((row, np.repeat(np.arange(rows.size), tail.size)))
        col = np.concatenate((col, np.tile(tail, rows.size)))
        order = np.lexsort((col, row))
        row, col = row[order], col[order]
    inside = (col >= lo) & (col <= hi)
    return row[inside], col[inside]


def _vertex(
    directions: NDArray[np.float32], sat: IntArray, col: IntArray, toward: NDArray[np.float32]
) -> tuple[FloatArray, FloatArray]:
    """Offset (in steps) and angle of the parabola's vertex through each peak and neighbours.

    Where no parabola fits (a peak on the edge of the grid, a flat top), the offset is 0
    and the angle 0, so that the pass is kept.
    """
    last = directions.shape[2] - 1
    inner = (col > 0) & (col < last)
    before = _cosines(directions, sat, np.maximum(col - 1, 0), toward).astype(np.float64)
    at = _cosines(directions, sat, col, toward).astype(np.float64)
    after = _cosines(directions, sat, np.minimum(col + 1, last), toward).astype(np.float64)
    curvature = before - 2.0 * at + after
    concave = inner & (curvature < 0)
    safe = np.where(concave, curvature, -1.0)
    offset = np.where(concave, np.clip(0.5 * (before - after) / safe, -1.0, 1.0), 0.0)
    top = np.where(concave, at - 0.25 * (before - after) * offset, at)
    closest = np.arccos(np.clip(top, -1.0, 1.0))
    return offset, np.where(concave, closest, 0.0)


@dataclass(frozen=True)
class Approach:
    """Closest approaches, and the satellites' state at a time within a second of each.

    Attributes:
        tca: Time of the smallest off-nadir angle to the reference point (Unix s).
        t: Time of the state below, the centre of the final parabola (|t - tca| <= 1 s).
        r: ECEF position (n, 3) at ``t``, km.
        v: ECEF velocity (n, 3) at ``t``, km/s.
    """

    tca: FloatArray
    t: FloatArray
    r: FloatArray
    v: FloatArray


def closest_approach(search: Search, found: Candidates, step: float) -> Approach:
    """Time of the smallest off-nadir angle to the reference point within each bracket."""
    reference = search.target.reference
    t = found.peak.copy()
    for _ in range(NEWTON_ITERATIONS):
        r, v = propagate_samples(search.records, found.sat, t)
        d = r - reference
        gravity = -MU_KM3_S2 * r / np.linalg.norm(r, axis=1, keepdims=True) ** 3
        slope = np.sum(v * v, axis=1) + np.sum(d * gravity, axis=1)
        dt = np.clip(-np.sum(d * v, axis=1) / slope, -step, step)
        t = np.clip(np.where(np.isfinite(dt), t + dt, t), found.low, found.high)
    h = POLISH_STEP_S
    n = t.size
    r, v = propagate_samples(
        search.records, np.tile(found.sat, 3), np.concatenate((t, t - h, t + h))
    )
    lat, lon, _ = ecef_to_geodetic(r)
    off_nadir, _ = look_angles(r, -local_up(lat, lon), reference, search.target.reference_up)
    at, before, after = np.cos(off_nadir).reshape(3, -1)
    curvature = before - 2.0 * at + after
    concave = curvature < 0
    safe = np.where(concave, curvature, -1.0)
    offset = np.where(concave, np.clip(h * (before - after) / (2.0 * safe), -h, h), 0.0)
    tca = np.clip(t + np.nan_to_num(offset), found.low, found.high)
    return Approach(tca, t, r[:n], v[:n])


@dataclass(frozen=True)
class PassModel:
    """A pass around its closest approach, with the ground track taken as straight.

    Built from the satellite's state at one time near the closest approach.

    Attributes:
        along: (C, P) km of each probe along the track from the nadir point then.
        cross: (C, P) km of each probe to the right of the track.
        ground_speed: Speed of the sub-satellite point, km/s.
        reach: Ground distance from nadir the sensor can point to, km.
        off_nadir_ref: Off-nadir angle of the reference point, signed (+ right of track).
        radius: Geocentric distance of the satellite, km.
        nadir_radius: Geocentric distance of the nadir point, km.
    """

    along: FloatArray
    cross: FloatArray
    ground_speed: FloatArray
    reach: FloatArray
    off_nadir_ref: FloatArray
    radius: FloatArray
    nadir_radius: FloatArray


def pass_model(search: Search, sat: IntArray, r: FloatArray, v: FloatArray) -> PassModel:
    """The straight-track model of passes whose satellites are at ``r`` moving at ``v``."""
    lat, lon, _ = ecef_to_geodetic(r)
    up = local_up(lat, lon)
    nadir_point = geodetic_to_ecef(lat, lon, np.zeros_like(lat))
    horizontal = v - np.sum(v * up, axis=1, keepdims=True) * up
    speed = np.linalg.norm(horizontal, axis=1)
    ahead = horizontal / speed[:, None]
    right = np.cross(ahead, up)
    probes = search.target.probes
    along = dot_table(ahead, probes) - np.sum(ahead * nadir_point, axis=1)[:, None]
    cross = dot_table(right, probes) - np.sum(right * nadir_point, axis=1)[:, None]
    radius = np.linalg.norm(r, axis=1)
    nadir_radius = np.linalg.norm(nadir_point, axis=1)
    off_nadir_ref, _ = look_angles(r, -up, search.target.reference, search.target.reference_up)
    return PassModel(
        along=along,
        cross=cross,
        ground_speed=speed * nadir_radius / radius,
        reach=ground_range_km(search.max_off_nadir[sat], radius, nadir_radius),
        off_nadir_ref=np.where(cross[:, 0] < 0, -off_nadir_ref, off_nadir_ref),
        radius=radius,
        nadir_radius=nadir_radius,
    )


def predicted_edges(
    model: PassModel, tca: FloatArray, low: FloatArray, high: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """When the straight-track model brings the first probe into reach and the last out."""
    reachable = np.abs(model.cross) < model.reach[:, None]
    half = np.sqrt(np.maximum(model.reach[:, None] ** 2 - model.cross**2, 0.0))
    speed = model.ground_speed[:, None]
    first = np.where(reachable, (model.along - half) / speed, np.inf).min(axis=1)
    last = np.where(reachable, (model.along + half) / speed, -np.inf).max(axis=1)
    first = np.where(np.isfinite(first), tca + first, low)
    last = np.where(np.isfinite(last), tca + last, high)
    return first, last


def illinois(
    search: Search,
    sat: IntArray,
    outside: tuple[FloatArray, FloatArray],
    inside: tuple[FloatArray, FloatArray],
) -> FloatArray:
    """Times where the reach deficit crosses zero, between an outside and an inside time."""
    a, fa = outside[0].copy(), outside[1].copy()
    b, fb = inside[0].copy(), inside[1].copy()
    active = np.abs(b - a) > EDGE_TOLERANCE_S
    for _ in range(MAX_EDGE_ITERATIONS):
        if not active.any():
            break
        i = np.flatnonzero(active)
        x = (a[i] * fb[i] - b[i] * fa[i]) / (fb[i] - fa[i])
        x = np.where(np.isfinite(x), x, 0.5 * (a[i] + b[i]))
        fx = search.deficit(sat[i], x)
        slope = np.abs((fb[i] - fa[i]) / (b[i] - a[i]))
        flip = fx * fb[i] < 0
        a[i] = np.where(flip, b[i], a[i])
        fa[i] = np.where(flip, fb[i], 0.5 * fa[i])
        b[i], fb[i] = x, fx
        # Done when the deficit left, at the bracket's average rate, is within tolerance.
        active[i] = (np.abs(fx) > EDGE_TOLERANCE_S * slope) & (
            np.abs(b[i] - a[i]) > EDGE_TOLERANCE_S
        )
    return b


def window_edges(
    search: Search,
    found: Candidates,
    inside: tuple[FloatArray, FloatArray],
    predicted: tuple[FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray]:
    """Start and end of each window.

    Args:
        search: The search.
        found: Passes known to reach the AOI, with their screening brackets.
        inside: A time inside each window and the (negative) deficit there.
        predicted: Predicted start and end of each window.
    """
    n = found.sat.size
    sat = np.concatenate((found.sat, found.sat))
    t_in = np.concatenate((inside[0], inside[0]))
    f_in = np.concatenate((inside[1], inside[1]))
    bound = np.concatenate((found.low, found.high))
    direction = np.concatenate((-np.ones(n), np.ones(n)))
    guess = np.concatenate(predicted)
    # Bracket the predicted edge a second each side. Where a side fails (the model is
    # off, or the search span cuts the window), the inside time or the screening bound,
    # which always hold the edge between them, stand in for it.
    near_in = _between(guess - direction * EDGE_BRACKET_S, t_in, bound)
    near_out = _between(guess + direction * EDGE_BRACKET_S, t_in, bound)
    f_near = search.deficit(np.concatenate((sat, sat)), np.concatenate((near_in, near_out)))
    f_near_in, f_near_out = f_near[: 2 * n], f_near[2 * n :]
    closer = f_near_in < 0
    t_in, f_in = np.where(closer, near_in, t_in), np.where(closer, f_near_in, f_in)
    narrow = f_near_out > 0
    out, f_out = np.where(narrow, near_out, bound), f_near_out.copy()
    if not narrow.all():
        f_out[~narrow] = search.deficit(sat[~narrow], out[~narrow])
    root = out.copy()  # where the bound is still in reach, the search span cuts the window
    solvable = f_out > 0
    if solvable.any():
        root[solvable] = illinois(
            search,
            sat[solvable],
            (out[solvable], f_out[solvable]),
            (t_in[solvable], f_in[solvable]),
        )
    return root[:n], root[n:]


def _between(t: FloatArray, inside: FloatArray, bound: FloatArray) -> FloatArray:
    """``t`` clipped to lie between an inside time and a bracket bound."""
    return np.clip(t, np.minimum(inside, bound), np.maximum(inside, bound))
