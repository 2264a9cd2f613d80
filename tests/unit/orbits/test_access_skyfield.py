"""Acceptance: access windows against skyfield, computed independently for the same TLEs.

Point AOI, 7 days, maximum off-nadir 30 degrees (each sensor's own limits still apply):
every window is a skyfield pass and every clear skyfield pass is a window; closest
approach within 2 s of skyfield's culmination, off-nadir and Sun elevation within 0.2 deg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest
from shapely.geometry import Point

from skyorder.orbits.access import AccessConstraints, AccessWindow, find_access_windows
from skyorder.orbits.constellation import Constellation, Satellite, Sensor
from skyorder.orbits.ephemeris import EphemerisCache
from tests.unit.orbits.conftest import T0, TOULOUSE, Skyfield

WINDOW = timedelta(days=7)
MAX_OFF_NADIR = 30.0
AMBIGUOUS_DEG = 0.2  # passes this close to a limit may fall either side


@dataclass(frozen=True)
class Pass:
    """A skyfield culmination and what skyfield says about it."""

    satellite: str
    culmination: datetime
    off_nadir_deg: float
    sun_elevation_deg: float
    elevation_deg: float
    limit_deg: float
    min_sun_deg: float

    @property
    def clearly_in(self) -> bool:
        return (
            self.off_nadir_deg <= self.limit_deg - AMBIGUOUS_DEG
            and self.sun_elevation_deg >= self.min_sun_deg + AMBIGUOUS_DEG
        )

    @property
    def clearly_out(self) -> bool:
        return (
            self.off_nadir_deg >= self.limit_deg + AMBIGUOUS_DEG
            or self.sun_elevation_deg <= self.min_sun_deg - AMBIGUOUS_DEG
        )


class Observer:
    """skyfield's view of the demo satellites from the AOI."""

    def __init__(self, skyfield: Skyfield, lon: float, lat: float) -> None:
        from skyfield.api import EarthSatellite, wgs84

        self.sf = skyfield
        self.topos = wgs84.latlon(lat, lon)
        self.bodies: dict[str, Any] = {}
        self._earth_satellite = EarthSatellite

    def body(self, sat: Satellite) -> Any:
        if sat.name not in self.bodies:
            self.bodies[sat.name] = self._earth_satellite(
                sat.tle_line1, sat.tle_line2, sat.name, self.sf.ts
            )
        return self.bodies[sat.name]

    def off_nadir_deg(self, sat: Satellite, moment: datetime) -> float:
        """Angle at the satellite between its geodetic nadir and the line of sight."""
        from skyfield.api import wgs84
        from skyfield.framelib import itrs

        position = self.body(sat).at(self.sf.ts.from_datetime(moment))
        here = position.frame_xyz(itrs).km
        nadir = wgs84.subpoint_of(position).itrs_xyz.km - here
        sight = self.topos.itrs_xyz.km - here
        cosine = np.dot(nadir, sight) / np.linalg.norm(nadir) / np.linalg.norm(sight)
        return math.degrees(math.acos(min(1.0, cosine)))

    def elevation_deg(self, sat: Satellite, moment: datetime) -> float:
        t = self.sf.ts.from_datetime(moment)
        alt, _, _ = (self.body(sat) - self.topos).at(t).altaz()
        return float(alt.degrees)

    def sun_elevation_deg(self, moment: datetime) -> float:
        place = self.sf.eph["earth"] + self.topos
        t = self.sf.ts.from_datetime(moment)
        alt, _, _ = place.at(t).observe(self.sf.eph["sun"]).apparent().altaz()
        return float(alt.degrees)

    def passes(self, sat: Satellite, start: datetime, end: datetime, limit: float) -> list[Pass]:
        times, kinds = self.body(sat).find_events(
            self.topos, self.sf.ts.from_datetime(start), self.sf.ts.from_datetime(end), 0.0
        )
        return [
            Pass(
                satellite=sat.name,
                culmination=t.utc_datetime(),
                off_nadir_deg=self.off_nadir_deg(sat, t.utc_datetime()),
                sun_elevation_deg=self.sun_elevation_deg(t.utc_datetime()),
                elevation_deg=self.elevation_deg(sat, t.utc_datetime()),
                limit_deg=limit,
                min_sun_deg=sat.sensor.min_sun_elevation_deg,
            )
            for t, kind in zip(times, kinds, strict=True)
            if kind == 1
        ]


@dataclass(frozen=True)
class Comparison:
    windows: list[AccessWindow]
    passes: list[Pass]
    observer: Observer

    def pass_of(self, window: AccessWindow) -> Pass | None:
        for candidate in self.passes:
            if (
                candidate.satellite == window.satellite.name
                and abs((candidate.culmination - window.tca).total_seconds()) < 120
            ):
                return candidate
        return None

    def window_of(self, found: Pass) -> AccessWindow | None:
        for window in self.windows:
            if (
                window.satellite.name == found.satellite
                and abs((found.culmination - window.tca).total_seconds()) < 120
            ):
                return window
        return None


@pytest.fixture(scope="module")
def comparison(
    constellation: Constellation, skyfield: Skyfield, cache: EphemerisCache
) -> Comparison:
    lon, lat = TOULOUSE
    windows = find_access_windows(
        constellation.satellites,
        Point(lon, lat),
        T0,
        T0 + WINDOW,
        AccessConstraints(max_off_nadir_deg=MAX_OFF_NADIR),
        cache=cache,
    )
    observer = Observer(skyfield, lon, lat)
    passes = [
        found
        for sat in constellation.satellites
        for found in observer.passes(
            sat, T0, T0 + WINDOW, min(MAX_OFF_NADIR, sat.sensor.max_off_nadir_deg)
        )
    ]
    return Comparison(windows, passes, observer)


def test_the_week_has_windows_to_compare(comparison: Comparison) -> None:
    assert len(comparison.windows) >= 20


def test_every_window_is_a_skyfield_pass(comparison: Comparison) -> None:
    unmatched = [w for w in comparison.windows if comparison.pass_of(w) is None]
    assert unmatched == []


def test_every_clear_skyfield_pass_is_a_window(comparison: Comparison) -> None:
    missing = [p for p in comparison.passes if p.clearly_in and comparison.window_of(p) is None]
    assert missing == []


def test_no_window_for_a_pass_clearly_out_of_limits(comparison: Comparison) -> None:
    extra = [p for p in comparison.passes if p.clearly_out and comparison.window_of(p)]
    assert extra == []


def test_closest_approach_is_within_2_s_of_skyfields_culmination(
    comparison: Comparison,
) -> None:
    for window in comparison.windows:
        found = comparison.pass_of(window)
        assert found is not None
        assert abs((found.culmination - window.tca).total_seconds()) < 2.0


def test_off_nadir_is_within_0_2_degree_of_skyfield(comparison: Comparison) -> None:
    for window in comparison.windows:
        expected = comparison.observer.off_nadir_deg(window.satellite, window.tca)
        assert window.off_nadir_min_deg == pytest.approx(expected, abs=0.2)
        assert window.off_nadir_max_deg == pytest.approx(expected, abs=0.2)


def test_sun_elevation_is_within_0_2_degree_of_skyfield(comparison: Comparison) -> None:
    for window in comparison.windows:
        expected = comparison.observer.sun_elevation_deg(window.tca)
        assert window.sun_elevation_deg == pytest.approx(expected, abs=0.2)


def test_incidence_is_within_0_2_degree_of_skyfield(comparison: Comparison) -> None:
    for window in comparison.windows:
        elevation = comparison.observer.elevation_deg(window.satellite, window.tca)
        assert window.incidence_deg == pytest.approx(90.0 - elevation, abs=0.2)


def test_windows_open_and_close_where_skyfield_sees_the_off_nadir_limit(
    comparison: Comparison,
) -> None:
    for window in comparison.windows:
        limit = min(MAX_OFF_NADIR, window.satellite.sensor.max_off_nadir_deg)
        for edge in (window.start, window.end):
            if T0 < edge < T0 + WINDOW:
                observed = comparison.observer.off_nadir_deg(window.satellite, edge)
                assert observed == pytest.approx(limit, abs=0.2)


def test_above_the_horizon_is_a_hard_condition(
    constellation: Constellation, skyfield: Skyfield
) -> None:
    wide = Sensor("wide", 10.0, 1.0, (), 80.0, -90.0)
    base = constellation.satellites[0]
    sat = Satellite(base.name, base.norad_id, base.tle_line1, base.tle_line2, wide)
    lon, lat = TOULOUSE
    windows = find_access_windows([sat], Point(lon, lat), T0, T0 + timedelta(days=2))
    observer = Observer(skyfield, lon, lat)
    assert windows
    for window in windows:
        # 80 degrees off nadir is beyond the horizon at 500 km: the horizon ends the window.
        assert window.off_nadir_max_deg < 70.0
        for edge in (window.start, window.end):
            if T0 < edge < T0 + timedelta(days=2):
                assert observer.elevation_deg(sat, edge) == pytest.approx(0.0, abs=0.2)
