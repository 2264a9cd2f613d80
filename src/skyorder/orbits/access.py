"""Access windows: every time a satellite can image an AOI under the given constraints.

``find_access_windows`` is the entry point. It takes the constellation, an AOI (point or
polygon in lon/lat), a time window and constraints, and returns one ``AccessWindow`` per
pass that can image the AOI, with the pass geometry a planner, a quote or a STAC item
needs. The satellite being above the AOI's horizon is a hard condition, whatever the
off-nadir limit. The search itself lives in ``skyorder.orbits.search``; the ephemeris it
screens is cached per TLE set by ``skyorder.orbits.ephemeris.EphemerisCache``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from shapely.geometry.base import BaseGeometry

from skyorder.core.opportunities import AccessWindow as AccessWindow
from skyorder.core.opportunities import PassDirection as PassDirection
from skyorder.core.satellites import Satellite, SatelliteStatus
from skyorder.orbits.ephemeris import EphemerisCache, propagate_samples
from skyorder.orbits.footprints import Strips, window_geometry
from skyorder.orbits.frames import (
    FloatArray,
    ecef_to_geodetic,
    local_up,
    to_datetime,
    unix_seconds,
)
from skyorder.orbits.search import (
    BoolArray,
    Candidates,
    IntArray,
    PassModel,
    Search,
    closest_approach,
    pass_model,
    predicted_edges,
    screen,
    window_edges,
)
from skyorder.orbits.sun import sun_elevation_azimuth
from skyorder.orbits.viewing import (
    access_central_angle,
    azimuth_to,
    ground_range_km,
    look_angles,
    make_target,
    probe_angles,
)

SUN_SLACK_RAD = math.radians(2.0)
SUN_SLACK_NEAR_RAD = math.radians(0.5)
REACH_SLACK_RAD = math.radians(0.2)


@dataclass(frozen=True)
class AccessConstraints:
    """What an acquisition must satisfy, on top of each sensor's own limits.

    Attributes:
        max_off_nadir_deg: Largest off-nadir angle; each sensor's own maximum still caps it.
        min_sun_elevation_deg: Lowest Sun over the AOI; each sensor's own minimum still
            applies.
        satellites: Only these satellites (by name); None for all.
        sensors: Only satellites carrying these sensors (by name); None for all.
        statuses: Only satellites in these states (operational ones by default).
    """

    max_off_nadir_deg: float | None = None
    min_sun_elevation_deg: float | None = None
    satellites: frozenset[str] | None = None
    sensors: frozenset[str] | None = None
    statuses: frozenset[SatelliteStatus] = frozenset({SatelliteStatus.OPERATIONAL})

    def __post_init__(self) -> None:
        if self.max_off_nadir_deg is not None and not 0.0 < self.max_off_nadir_deg < 90.0:
            raise ValueError(f"max_off_nadir_deg {self.max_off_nadir_deg} is outside (0, 90)")
        if self.min_sun_elevation_deg is not None and not -90 <= self.min_sun_elevation_deg <= 90:
            raise ValueError(f"min_sun_elevation_deg {self.min_sun_elevation_deg} is outside ±90")


def _selection(satellites: Sequence[Satellite], constraints: AccessConstraints) -> list[int]:
    names = {s.name for s in satellites}
    sensors = {s.sensor.name for s in satellites}
    if constraints.satellites is not None and constraints.satellites - names:
        raise ValueError(f"unknown satellites: {', '.join(sorted(constraints.satellites - names))}")
    if constraints.sensors is not None and constraints.sensors - sensors:
        raise ValueError(f"unknown sensors: {', '.join(sorted(constraints.sensors - sensors))}")
    return [
        i
        for i, s in enumerate(satellites)
        if s.status in constraints.statuses
        and (constraints.satellites is None or s.name in constraints.satellites)
        and (constraints.sensors is None or s.sensor.name in constraints.sensors)
    ]


def _limits(
    satellites: Sequence[Satellite], selected: list[int], constraints: AccessConstraints
) -> tuple[FloatArray, FloatArray]:
    max_off_nadir = np.full(len(satellites), np.nan)
    min_sun = np.full(len(satellites), np.nan)
    for i in selected:
        sensor = satellites[i].sensor
        off_nadir = sensor.max_off_nadir_deg
        if constraints.max_off_nadir_deg is not None:
            off_nadir = min(off_nadir, constraints.max_off_nadir_deg)
        sun = sensor.min_sun_elevation_deg
        if constraints.min_sun_elevation_deg is not None:
            sun = max(sun, constraints.min_sun_elevation_deg)
        max_off_nadir[i], min_sun[i] = math.radians(off_nadir), math.radians(sun)
    return max_off_nadir, min_sun


def find_access_windows(
    satellites: Sequence[Satellite],
    aoi: BaseGeometry,
    start: datetime,
    end: datetime,
    constraints: AccessConstraints | None = None,
    *,
    cache: EphemerisCache | None = None,
) -> list[AccessWindow]:
    """Every window in which a selected satellite can image the AOI, in time order.

    Args:
        satellites: The constellation. The ephemeris cache is keyed by all of them, so
            selecting a subset through ``constraints`` reuses the same cache entry.
        aoi: Point, Polygon or MultiPolygon in lon/lat degrees (WGS84).
        start: Start of the search window (aware datetime).
        end: End of the search window (aware datetime).
        constraints: Off-nadir, Sun, satellite and sensor constraints.
        cache: Ephemeris cache to reuse across calls; a private one is used when None.

    Raises:
        ValueError: the window is empty, the AOI invalid or a named satellite or sensor
            unknown.
    """
    constraints = constraints or AccessConstraints()
    t0, t1 = unix_seconds(start), unix_seconds(end)
    if t1 <= t0:
        raise ValueError("the window must end after it starts")
    target = make_target(aoi)
    selected = _selection(satellites, constraints)
    if not selected:
        return []
    if cache is None:
        cache = EphemerisCache()
    records, span = cache.get(satellites, t0, t1)
    max_off_nadir, min_sun = _limits(satellites, selected, constraints)
    search = Search(records, target, max_off_nadir, min_sun, t0, t1)
    found = screen(search, span, selected)
    # The Sun moves a quarter of a degree a minute: a first cut at the predicted closest
    # approach, a closer one at the computed one, the exact one at the reported time.
    found = found.take(_sunlit(search, found.sat, found.peak, SUN_SLACK_RAD))
    approach = closest_approach(search, found, cache.step_s)
    keep = _reaching(search, found.sat, approach.r)
    keep &= _sunlit(search, found.sat, approach.tca, SUN_SLACK_NEAR_RAD)
    found, tca = found.take(keep), approach.tca[keep]
    t_ref, r, v = approach.t[keep], approach.r[keep], approach.v[keep]
    model = pass_model(search, found.sat, r, v)
    t_in, f_in = _time_inside(search, found, t_ref, search.deficit_at(found.sat, r), model)
    first, last = predicted_edges(model, t_ref, found.low, found.high)
    keep = f_in < 0
    found, tca = found.take(keep), tca[keep]
    begin, finish = window_edges(search, found, (t_in[keep], f_in[keep]), (first[keep], last[keep]))
    return _assemble(search, satellites, found.sat, begin, finish, np.clip(tca, begin, finish))


def _time_inside(
    search: Search, found: Candidates, t: FloatArray, f_t: FloatArray, model: PassModel
) -> tuple[FloatArray, FloatArray]:
    """The time each pass comes nearest the AOI, and the reach deficit then (< 0: in reach).

    For a point that is the closest approach, known to within a second as ``t`` (with its
    deficit ``f_t``; the model is built at ``t``). A polygon may come nearest the track
    away from its reference point: at the probe nearest the track, if that is closer.
    """
    if search.target.is_point:
        return t, f_t
    nearest = np.argmin(np.abs(model.cross), axis=1)
    along = np.take_along_axis(model.along, nearest[:, None], axis=1)[:, 0]
    t_near = np.clip(t + along / model.ground_speed, found.low, found.high)
    f_near = search.deficit(found.sat, t_near)
    better = f_near < f_t
    return np.where(better, t_near, t), np.where(better, f_near, f_t)


def _sunlit(search: Search, sat: IntArray, t: FloatArray, slack: float) -> BoolArray:
    """Whether the Sun is high enough over the reference point at ``t``, give or take."""
    lon, lat = np.radians(search.target.reference_lonlat)
    sun, _ = sun_elevation_azimuth(t, lat, lon)
    sunlit: BoolArray = sun >= search.min_sun_elevation[sat] - slack
    return sunlit


def _reaching(search: Search, sat: IntArray, r: FloatArray) -> BoolArray:
    """Whether satellites at their closest approach ``r`` come near enough to the AOI."""
    target = search.target
    radius = np.linalg.norm(r, axis=1)
    toward = target.reference / np.linalg.norm(target.reference)
    separation = np.arccos(np.clip(np.sum(r * toward, axis=1) / radius, -1.0, 1.0))
    limit = access_central_angle(search.max_off_nadir[sat], radius, target.min_radius_km)
    reaching: BoolArray = separation <= limit + target.radius + REACH_SLACK_RAD
    return reaching


def _assemble(
    search: Search,
    satellites: Sequence[Satellite],
    sat: IntArray,
    begin: FloatArray,
    finish: FloatArray,
    tca: FloatArray,
) -> list[AccessWindow]:
    """Measure each window at its closest approach, apply the Sun limit, build geometry."""
    target = search.target
    r, v = propagate_samples(search.records, sat, tca)
    lat, lon, height = ecef_to_geodetic(r)
    nadir = -local_up(lat, lon)
    off_nadir, _ = probe_angles(r, nadir, target.probes, target.probes_up)
    _, elevation = look_angles(r, nadir, target.reference, target.reference_up)
    ref_lon, ref_lat = np.radians(target.reference_lonlat)
    sun_elevation, sun_azimuth = sun_elevation_azimuth(tca, ref_lat, ref_lon)
    keep = np.flatnonzero(sun_elevation >= search.min_sun_elevation[sat])
    inside = target.contains(np.degrees(lon), np.degrees(lat))
    off_min = np.where(inside, 0.0, off_nadir.min(axis=1))
    view_azimuth = azimuth_to(target.reference, ref_lat, ref_lon, r)
    model = pass_model(search, sat, r, v)
    swath = np.array([satellites[i].sensor.swath_km for i in sat])
    half_fov = swath / 2.0 / height
    near = ground_range_km(model.off_nadir_ref - half_fov, model.radius, model.nadir_radius)
    far = ground_range_km(model.off_nadir_ref + half_fov, model.radius, model.nadir_radius)
    lo, hi = model.along.min(axis=1), model.along.max(axis=1)
    pad = np.maximum(swath - (hi - lo), 0.0) / 2.0
    tracks, strips = window_geometry(
        search.records,
        sat[keep],
        (begin[keep], finish[keep]),
        Strips(
            tca=tca[keep],
            along_km=((lo - pad)[keep], (hi + pad)[keep]),
            cross_km=(near[keep], far[keep]),
            ground_speed_km_s=model.ground_speed[keep],
        ),
    )
    degrees = {
        "off_nadir_min_deg": np.degrees(off_min[keep]),
        "off_nadir_max_deg": np.degrees(off_nadir.max(axis=1)[keep]),
        "incidence_deg": 90.0 - np.degrees(elevation[keep]),
        "view_azimuth_deg": np.degrees(view_azimuth[keep]),
        "sun_elevation_deg": np.degrees(sun_elevation[keep]),
        "sun_azimuth_deg": np.degrees(sun_azimuth[keep]),
    }
    columns = zip(
        sat[keep].tolist(),
        begin[keep].tolist(),
        finish[keep].tolist(),
        tca[keep].tolist(),
        *(column.tolist() for column in degrees.values()),
        (v[keep, 2] > 0).tolist(),
        height[keep].tolist(),
        tracks,
        strips,
        strict=True,
    )
    windows = [
        AccessWindow(
            satellite=satellites[i],
            start=to_datetime(t_start),
            end=to_datetime(t_end),
            tca=to_datetime(t_ca),
            off_nadir_min_deg=off_lo,
            off_nadir_max_deg=off_hi,
            incidence_deg=incidence,
            view_azimuth_deg=view_az,
            sun_elevation_deg=sun_el,
            sun_azimuth_deg=sun_az,
            direction=PassDirection.ASCENDING if ascending else PassDirection.DESCENDING,
            altitude_km=altitude,
            ground_track=track,
            footprint=strip,
        )
        for (
            i,
            t_start,
            t_end,
            t_ca,
            off_lo,
            off_hi,
            incidence,
            view_az,
            sun_el,
            sun_az,
            ascending,
            altitude,
            track,
            strip,
        ) in columns
    ]
    return sorted(windows, key=lambda w: (w.start, w.satellite.name))
