"""Access windows: polygons, constraints, geometry and argument checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from skyorder.orbits.access import (
    AccessConstraints,
    AccessWindow,
    PassDirection,
    find_access_windows,
)
from skyorder.orbits.constellation import Constellation, SatelliteStatus
from skyorder.orbits.ephemeris import EphemerisCache
from tests.unit.orbits.conftest import T0, TOULOUSE

WEEK = timedelta(days=7)
POINT = Point(*TOULOUSE)
# About 40 x 45 km around the point.
SQUARE = box(TOULOUSE[0] - 0.25, TOULOUSE[1] - 0.2, TOULOUSE[0] + 0.25, TOULOUSE[1] + 0.2)


def search(
    constellation: Constellation,
    cache: EphemerisCache,
    aoi: BaseGeometry = POINT,
    span: timedelta = WEEK,
    **constraints: Any,
) -> list[AccessWindow]:
    return find_access_windows(
        constellation.satellites,
        aoi,
        T0,
        T0 + span,
        AccessConstraints(**constraints),
        cache=cache,
    )


def same_pass(a: AccessWindow, b: AccessWindow) -> bool:
    return a.satellite == b.satellite and abs((a.tca - b.tca).total_seconds()) < 120


def matching(window: AccessWindow, others: list[AccessWindow]) -> AccessWindow:
    return next(other for other in others if same_pass(window, other))


@pytest.fixture(scope="module")
def point_windows(constellation: Constellation, cache: EphemerisCache) -> list[AccessWindow]:
    return search(constellation, cache, max_off_nadir_deg=30.0)


@pytest.fixture(scope="module")
def square_windows(constellation: Constellation, cache: EphemerisCache) -> list[AccessWindow]:
    return search(constellation, cache, SQUARE, max_off_nadir_deg=30.0)


def test_windows_come_in_time_order(point_windows: list[AccessWindow]) -> None:
    assert [w.start for w in point_windows] == sorted(w.start for w in point_windows)


def test_each_window_holds_its_closest_approach(point_windows: list[AccessWindow]) -> None:
    assert all(w.start <= w.tca <= w.end for w in point_windows)


def test_a_polygon_is_reachable_whenever_a_point_inside_it_is(
    point_windows: list[AccessWindow], square_windows: list[AccessWindow]
) -> None:
    for window in point_windows:
        around = matching(window, square_windows)
        assert around.start <= window.start and window.end <= around.end


def test_a_polygon_is_reachable_on_passes_that_miss_its_centre(
    point_windows: list[AccessWindow], square_windows: list[AccessWindow]
) -> None:
    assert len(square_windows) > len(point_windows)


def test_polygon_off_nadir_range_spans_the_centres(
    point_windows: list[AccessWindow], square_windows: list[AccessWindow]
) -> None:
    for window in point_windows:
        around = matching(window, square_windows)
        assert around.off_nadir_min_deg <= window.off_nadir_min_deg + 0.05
        assert around.off_nadir_max_deg >= window.off_nadir_max_deg - 0.05
        assert around.off_nadir_max_deg > around.off_nadir_min_deg


def test_a_track_over_the_polygon_sees_it_at_nadir(square_windows: list[AccessWindow]) -> None:
    overhead = [w for w in square_windows if w.ground_track.intersects(SQUARE)]
    assert overhead
    assert all(w.off_nadir_min_deg < 1.0 for w in overhead)
    assert any(w.off_nadir_min_deg == 0.0 for w in overhead)


def test_a_multipolygon_reaches_both_of_its_parts(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    far = box(TOULOUSE[0] + 3.0, TOULOUSE[1] - 0.2, TOULOUSE[0] + 3.5, TOULOUSE[1] + 0.2)
    both = search(constellation, cache, MultiPolygon([SQUARE, far]), max_off_nadir_deg=30.0)
    one = search(constellation, cache, far, max_off_nadir_deg=30.0)
    for window in one:
        assert any(same_pass(window, other) for other in both)


def test_a_tighter_off_nadir_keeps_only_the_steeper_passes(
    constellation: Constellation, cache: EphemerisCache, point_windows: list[AccessWindow]
) -> None:
    steep = search(constellation, cache, max_off_nadir_deg=15.0)
    expected = [w for w in point_windows if w.off_nadir_min_deg <= 15.0]
    assert [(w.satellite.name, w.tca) for w in steep] == [
        (w.satellite.name, w.tca) for w in expected
    ]


def test_a_tighter_off_nadir_shortens_the_window(
    constellation: Constellation, cache: EphemerisCache, point_windows: list[AccessWindow]
) -> None:
    for window in search(constellation, cache, max_off_nadir_deg=15.0):
        wider = matching(window, point_windows)
        assert wider.start < window.start and window.end < wider.end


def test_the_sensor_limit_caps_a_looser_constraint(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    windows = search(constellation, cache, max_off_nadir_deg=60.0, sensors=frozenset({"micro"}))
    assert windows
    assert max(w.off_nadir_min_deg for w in windows) == pytest.approx(40.0, abs=0.5)
    assert all(w.off_nadir_min_deg <= 40.0 + 1e-6 for w in windows)


def test_a_sensor_constraint_keeps_only_its_satellites(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    windows = search(constellation, cache, sensors=frozenset({"vhr30"}))
    assert windows
    assert {w.satellite.sensor.name for w in windows} == {"vhr30"}


def test_a_satellite_constraint_keeps_only_those_satellites(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    windows = search(constellation, cache, satellites=frozenset({"PHR-01", "PHR-02"}))
    assert windows
    assert {w.satellite.name for w in windows} <= {"PHR-01", "PHR-02"}


def test_an_unknown_satellite_is_refused(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    with pytest.raises(ValueError, match="unknown satellites: NOPE-1"):
        search(constellation, cache, satellites=frozenset({"NOPE-1"}))


def test_an_unknown_sensor_is_refused(constellation: Constellation, cache: EphemerisCache) -> None:
    with pytest.raises(ValueError, match="unknown sensors: sar"):
        search(constellation, cache, sensors=frozenset({"sar"}))


def test_every_window_has_the_sun_above_the_limit(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    windows = search(constellation, cache, min_sun_elevation_deg=24.0)
    assert windows
    assert all(w.sun_elevation_deg >= 24.0 for w in windows)


def test_a_higher_sun_limit_drops_the_lower_sun_windows(
    constellation: Constellation, cache: EphemerisCache, point_windows: list[AccessWindow]
) -> None:
    high = search(constellation, cache, max_off_nadir_deg=30.0, min_sun_elevation_deg=24.0)
    expected = [w for w in point_windows if w.sun_elevation_deg >= 24.0]
    assert len(high) == len(expected)


def test_the_sensors_own_sun_limit_applies(point_windows: list[AccessWindow]) -> None:
    assert all(
        w.sun_elevation_deg >= w.satellite.sensor.min_sun_elevation_deg for w in point_windows
    )


def test_a_satellite_out_of_service_is_not_offered(constellation: Constellation) -> None:
    sats = list(constellation.satellites)
    sats[0] = replace(sats[0], status=SatelliteStatus.MAINTENANCE)
    windows = find_access_windows(sats, POINT, T0, T0 + WEEK)
    assert windows
    assert sats[0].name not in {w.satellite.name for w in windows}


def test_late_morning_daylight_passes_are_descending(point_windows: list[AccessWindow]) -> None:
    morning = [w for w in point_windows if w.satellite.sensor.name == "micro"]
    assert morning
    assert all(w.direction is PassDirection.DESCENDING for w in morning)


def test_the_ground_track_runs_from_start_to_end_with_altitude(
    point_windows: list[AccessWindow],
) -> None:
    for window in point_windows:
        track = window.ground_track
        assert isinstance(track, LineString) and track.has_z
        lon, lat, altitude = track.coords[0]
        assert 450_000 < altitude < 620_000
        south = window.direction is PassDirection.DESCENDING
        assert (track.coords[-1][1] < lat) == south


def test_the_footprint_covers_the_point(point_windows: list[AccessWindow]) -> None:
    for window in point_windows:
        assert isinstance(window.footprint, Polygon) and window.footprint.is_valid
        assert window.footprint.contains(POINT)


def test_the_footprint_is_about_one_swath_wide_at_nadir(
    point_windows: list[AccessWindow],
) -> None:
    steep = [w for w in point_windows if w.off_nadir_min_deg < 5]
    assert steep
    for window in steep:
        km2 = window.footprint.area * 111.32**2 * 0.72  # deg^2 to km^2 at 43.6 N
        swath = window.satellite.sensor.swath_km
        assert km2 == pytest.approx(swath * swath, rel=0.15)


def test_a_window_cut_by_the_search_start_begins_with_it(
    constellation: Constellation, point_windows: list[AccessWindow]
) -> None:
    window = point_windows[3]
    middle = window.start + (window.end - window.start) / 2
    cut = find_access_windows(
        constellation.satellites,
        POINT,
        middle,
        middle + timedelta(hours=1),
        AccessConstraints(max_off_nadir_deg=30.0),
    )
    assert cut[0].satellite == window.satellite
    assert cut[0].start == middle
    assert abs((cut[0].end - window.end).total_seconds()) < 0.1


def test_an_empty_selection_finds_nothing(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    assert search(constellation, cache, statuses=frozenset({SatelliteStatus.RETIRED})) == []


def test_a_window_that_ends_before_it_starts_is_refused(constellation: Constellation) -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        find_access_windows(constellation.satellites, POINT, T0, T0)


def test_naive_datetimes_are_refused(constellation: Constellation) -> None:
    with pytest.raises(ValueError, match="time zone"):
        find_access_windows(constellation.satellites, POINT, datetime(2026, 11, 20), T0)


def test_a_line_is_not_an_aoi(constellation: Constellation) -> None:
    with pytest.raises(ValueError, match="Point, Polygon or MultiPolygon"):
        find_access_windows(constellation.satellites, LineString([(0, 0), (1, 1)]), T0, T0 + WEEK)


def test_coordinates_must_be_lon_lat(constellation: Constellation) -> None:
    with pytest.raises(ValueError, match="longitude, latitude"):
        find_access_windows(constellation.satellites, Point(500_000, 4_800_000), T0, T0 + WEEK)


def test_an_off_nadir_limit_must_be_an_angle_below_90() -> None:
    with pytest.raises(ValueError, match="outside"):
        AccessConstraints(max_off_nadir_deg=95.0)
