"""Mission planning for the simulated constellation: tasking requests to capture attempts.

The rules, applied greedily (rush requests first, then the earliest window end):

- An AOI wider than a swath is cut into parallel north-south strips, each at most
  ``STRIP_FILL`` of the narrowest allowed swath wide (sun-synchronous tracks run within
  some 10-15° of north at the latitudes most orders come from, the margin absorbs the
  tilt). Each strip is its own attempt, on whichever pass and satellite reaches it first.
- Each strip gets the earliest pass that sees all of it within the request's constraints,
  starting after ``now``, in a revisit period where that strip has no attempt yet (with
  a revisit period), or anywhere in the window while it is not collected (without).
  One attempt per strip is planned at a time: the next one once this one is decided.
- A satellite takes one capture at a time, and between two captures it needs the time
  to roll from one pointing to the other at its sensor's slew rate (or
  ``DEFAULT_SLEW_RATE_DEG_S``) plus ``SETTLE_S``. Booked captures only carry absolute
  off-nadir angles, so the roll is taken as the worst case, from one side to the other.
- A rush request may take satellite time booked by standard captures; those are listed
  in ``displaces``.

An acquisition is centred on the pass's closest approach to its strip and lasts as long
as the strip takes to fly over (at least one swath-long scene).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry

from skyorder.core.mission import Booking, PlannedAttempt, TaskingRequest
from skyorder.core.orders import Priority
from skyorder.core.recurrence import Slot, revisit_slots
from skyorder.orbits.access import AccessConstraints, AccessWindow, find_access_windows
from skyorder.orbits.constellation import Satellite, SatelliteStatus
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.orbits.sun import sun_elevation_deg
from skyorder.orbits.viewing import KM_PER_DEGREE

STRIP_FILL = 0.8
DEFAULT_SLEW_RATE_DEG_S = 1.0
SETTLE_S = 10.0
GROUND_SPEED_KM_S = 7.0
EDGE_S = 1.0
TRACK_POINTS = 5


def split_strips(aoi: BaseGeometry, swath_km: float) -> list[BaseGeometry]:
    """The AOI cut into north-south strips no wider than ``STRIP_FILL`` of the swath.

    A point, or an AOI that fits, is one strip.
    """
    if aoi.geom_type == "Point":
        return [aoi]
    west, south, east, north = aoi.bounds
    km_per_lon = KM_PER_DEGREE * max(0.05, math.cos(math.radians((south + north) / 2.0)))
    count = max(1, math.ceil((east - west) * km_per_lon / (STRIP_FILL * swath_km)))
    if count == 1:
        return [aoi]
    edges = np.linspace(west, east, count + 1)
    pieces = [aoi.intersection(box(edges[i], south, edges[i + 1], north)) for i in range(count)]
    return [p for p in pieces if not p.is_empty and p.area > 0]


def _geojson(geom: BaseGeometry) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(shapely.to_geojson(geom))
    return out


@dataclass
class _Held:
    """Satellite time held in the plan being built."""

    start: datetime
    end: datetime
    off_nadir: float
    priority: Priority
    capture_id: str | None = None  # set for bookings made before this plan


@dataclass
class _Timeline:
    """Every satellite's held time, with slew gaps between captures."""

    slew_rates: dict[str, float]
    held: dict[str, list[_Held]] = field(default_factory=lambda: defaultdict(list))

    def gap(self, satellite: str, a: float, b: float) -> timedelta:
        rate = self.slew_rates.get(satellite, DEFAULT_SLEW_RATE_DEG_S)
        return timedelta(seconds=(abs(a) + abs(b)) / rate + SETTLE_S)

    def clashes(self, satellite: str, new: _Held) -> list[_Held]:
        """The held time that ``new`` would overlap, slew gaps included."""
        out = []
        for h in self.held[satellite]:
            gap = self.gap(satellite, h.off_nadir, new.off_nadir)
            if new.start < h.end + gap and h.start < new.end + gap:
                out.append(h)
        return out

    def take(self, satellite: str, new: _Held, displaced: list[_Held]) -> None:
        kept = [h for h in self.held[satellite] if all(h is not d for d in displaced)]
        self.held[satellite] = [*kept, new]


def _acquisition(
    window: AccessWindow, strip: BaseGeometry, swath_km: float
) -> tuple[datetime, datetime]:
    """When to image ``strip`` on this pass: centred on closest approach, within reach."""
    _, south, _, north = strip.bounds
    along_km = max(swath_km, (north - south) * KM_PER_DEGREE)
    duration = timedelta(seconds=along_km / GROUND_SPEED_KM_S + 2 * EDGE_S)
    start = max(window.start, window.tca - duration / 2)
    end = min(window.end, start + duration)
    return start, end


def _sub_track(window: AccessWindow, start: datetime, end: datetime) -> LineString:
    """The part of the window's ground track between ``start`` and ``end``."""
    coords = np.asarray(window.ground_track.coords, dtype=np.float64)
    span = max(window.duration_s, 1e-9)
    wanted = np.linspace(
        (start - window.start).total_seconds() / span,
        (end - window.start).total_seconds() / span,
        TRACK_POINTS,
    )
    at = np.clip(wanted, 0.0, 1.0) * (len(coords) - 1)
    columns = [np.interp(at, np.arange(len(coords)), coords[:, k]) for k in range(3)]
    return LineString(np.column_stack(columns))


def _sun_range(strip: BaseGeometry, start: datetime, end: datetime) -> tuple[float, float]:
    point = strip.representative_point()
    t = np.array([start.timestamp(), end.timestamp()])
    elevation = sun_elevation_deg(t, np.full(2, point.x), np.full(2, point.y))
    return float(elevation.min()), float(elevation.max())


@dataclass(frozen=True)
class Need:
    """One strip of one request that needs an attempt, and the slots it may go in."""

    request: TaskingRequest
    strip: int
    strips: int
    geometry: BaseGeometry
    open_slots: tuple[Slot, ...]


def open_needs(
    request: TaskingRequest, geometries: Sequence[BaseGeometry], now: datetime
) -> list[Need]:
    """The strips of ``request`` that need an attempt now, each with its open slots.

    A strip with an attempt still to come needs none. Without a revisit period a strip
    needs one until it is collected (a failed attempt is retried anywhere in the
    window); with one, it needs one in every revisit period without an attempt.
    """
    if request.end <= now:
        return []
    slots = revisit_slots(request.start, request.end, request.revisit)
    needs = []
    for index, geometry in enumerate(geometries):
        mine = [a for a in request.history if a.strip == index]
        if any(a.collected is None for a in mine):
            continue
        if request.revisit is None:
            if any(a.collected for a in mine):
                continue
            open_slots = tuple(slots)
        else:
            open_slots = tuple(
                s for s in slots if not any(s.start <= a.start < s.end for a in mine)
            )
        open_slots = tuple(s for s in open_slots if s.end > now)
        if open_slots:
            needs.append(Need(request, index, len(geometries), geometry, open_slots))
    return needs


class MissionPlanner:
    """Plans capture attempts on a constellation (pure; the ephemeris cache is reused)."""

    def __init__(self, satellites: Sequence[Satellite], cache: EphemerisCache) -> None:
        self.satellites = tuple(satellites)
        self.cache = cache
        self._slew = {
            s.name: s.sensor.slew_rate_deg_s or DEFAULT_SLEW_RATE_DEG_S for s in self.satellites
        }

    def eligible(self, request: TaskingRequest) -> list[Satellite]:
        """The operational satellites carrying an allowed sensor."""
        return [
            s
            for s in self.satellites
            if s.status is SatelliteStatus.OPERATIONAL
            and (request.sensors is None or s.sensor.name in request.sensors)
        ]

    def strips(self, request: TaskingRequest) -> list[BaseGeometry]:
        """The request's AOI cut into strips the narrowest allowed swath covers."""
        sats = self.eligible(request)
        if not sats:
            return []
        return split_strips(request.aoi, min(s.sensor.swath_km for s in sats))

    def plan(
        self, requests: Sequence[TaskingRequest], now: datetime, booked: Sequence[Booking] = ()
    ) -> list[PlannedAttempt]:
        """The next attempt of every strip of every request that needs one (see module)."""
        timeline = _Timeline(self._slew)
        for b in booked:
            held = _Held(b.start, b.end, b.off_nadir, b.priority, b.capture_id)
            timeline.held[b.satellite].append(held)
        ordered = sorted(
            requests,
            key=lambda r: (r.priority is not Priority.RUSH, r.end, r.item_id),
        )
        planned: list[PlannedAttempt] = []
        for request in ordered:
            for need in self._needs(request, now):
                attempt = self._place(need, now, timeline)
                if attempt is not None:
                    planned.append(attempt)
        return planned

    def _needs(self, request: TaskingRequest, now: datetime) -> list[Need]:
        return open_needs(request, self.strips(request), now)

    def _windows(self, need: Need, now: datetime) -> list[AccessWindow]:
        request = need.request
        start = max(now, need.open_slots[0].start)
        sats = self.eligible(request)
        constraints = AccessConstraints(
            max_off_nadir_deg=request.max_off_nadir,
            min_sun_elevation_deg=request.min_sun_elevation,
            satellites=frozenset(s.name for s in sats),
        )
        return find_access_windows(
            self.satellites, need.geometry, start, request.end, constraints, cache=self.cache
        )

    def _place(self, need: Need, now: datetime, timeline: _Timeline) -> PlannedAttempt | None:
        request = need.request
        for window in self._windows(need, now):
            swath = window.satellite.sensor.swath_km
            start, end = _acquisition(window, need.geometry, swath)
            if start <= now or start < request.start or end > request.end:
                continue
            if not any(s.start <= start < s.end for s in need.open_slots):
                continue
            limit = window.satellite.sensor.max_off_nadir_deg
            if request.max_off_nadir is not None:
                limit = min(limit, request.max_off_nadir)
            if window.off_nadir_max_deg > limit:
                continue  # the pass reaches the strip only in part
            steepest = request.min_off_nadir
            if steepest is not None and window.off_nadir_min_deg < steepest:
                continue  # the pass sees the strip more steeply than asked
            off_nadir = (window.off_nadir_min_deg + window.off_nadir_max_deg) / 2.0
            new = _Held(start, end, off_nadir, request.priority)
            clashes = timeline.clashes(window.satellite.name, new)
            if clashes and not all(
                c.capture_id is not None
                and c.priority is Priority.STANDARD
                and request.priority is Priority.RUSH
                for c in clashes
            ):
                continue
            timeline.take(window.satellite.name, new, clashes)
            sun_min, sun_max = _sun_range(need.geometry, start, end)
            return PlannedAttempt(
                item_id=request.item_id,
                strip=need.strip,
                strips=need.strips,
                satellite=window.satellite.name,
                start=start,
                end=end,
                footprint=_geojson(window.footprint),
                ground_track=_geojson(_sub_track(window, start, end)),
                min_off_nadir=window.off_nadir_min_deg,
                max_off_nadir=window.off_nadir_max_deg,
                min_sun_elevation=sun_min,
                max_sun_elevation=sun_max,
                priority=request.priority,
                max_cloud=request.max_cloud,
                displaces=tuple(c.capture_id for c in clashes if c.capture_id is not None),
            )
        return None
