"""Mission planning on the demo constellation: strips, slots, satellite time, priority."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import Point, Polygon, shape
from shapely.ops import unary_union

from skyorder.core.mission import Booking, PastAttempt, PlannedAttempt, TaskingRequest
from skyorder.core.orders import Priority
from skyorder.orbits.constellation import Constellation
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.sim.planner import MissionPlanner, split_strips

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
DAY = timedelta(days=1)
TOULOUSE = Point(1.44, 43.60)
# About 35 x 30 km: wider than the narrowest demo swath (14 km).
WIDE = Polygon([(1.25, 43.50), (1.70, 43.48), (1.72, 43.75), (1.30, 43.78), (1.25, 43.50)])


def request(**overrides: object) -> TaskingRequest:
    values: dict[str, object] = {
        "item_id": "item-1",
        "aoi": TOULOUSE,
        "start": T0,
        "end": T0 + 5 * DAY,
        "max_off_nadir": 30.0,
        "max_cloud": 20.0,
    }
    values.update(overrides)
    return TaskingRequest(**values)  # type: ignore[arg-type]


def only(attempts: list[PlannedAttempt]) -> PlannedAttempt:
    assert len(attempts) == 1
    return attempts[0]


def test_a_point_gets_one_attempt_on_the_first_pass_within_limits(
    planner: MissionPlanner,
) -> None:
    attempt = only(planner.plan([request()], T0))
    assert T0 < attempt.start < attempt.end <= T0 + 5 * DAY
    assert (attempt.strip, attempt.strips) == (0, 1)
    assert attempt.max_off_nadir <= 30.0
    sensor_min_sun = min(s.sensor.min_sun_elevation_deg for s in planner.satellites)
    assert attempt.min_sun_elevation >= sensor_min_sun - 0.5


def test_the_ground_track_carries_the_altitude_in_metres(planner: MissionPlanner) -> None:
    track = only(planner.plan([request()], T0)).ground_track
    assert track["type"] == "LineString"
    assert all(len(c) == 3 and 300_000 < c[2] < 900_000 for c in track["coordinates"])


def test_the_footprint_covers_the_point(planner: MissionPlanner) -> None:
    attempt = only(planner.plan([request()], T0))
    assert shape(attempt.footprint).buffer(0.01).contains(TOULOUSE)


def test_an_aoi_wider_than_the_swath_is_planned_as_parallel_strips(
    planner: MissionPlanner,
) -> None:
    attempts = planner.plan([request(aoi=WIDE)], T0)
    assert len(attempts) > 1
    assert sorted(a.strip for a in attempts) == list(range(attempts[0].strips))
    assert all(shape(a.footprint).intersects(WIDE) for a in attempts)


def test_strips_tile_the_aoi() -> None:
    strips = split_strips(WIDE, swath_km=20.0)
    assert len(strips) == 3  # ~35 km wide / (0.8 x 20 km)
    assert unary_union(strips).symmetric_difference(WIDE).area < 1e-9


def test_a_point_is_one_strip() -> None:
    assert split_strips(TOULOUSE, swath_km=1.0) == [TOULOUSE]


def test_a_strip_with_an_attempt_to_come_gets_no_other(planner: MissionPlanner) -> None:
    pending = (PastAttempt(0, T0 + DAY, None),)
    assert planner.plan([request(history=pending)], T0) == []


def test_a_collected_strip_without_revisit_needs_nothing_more(planner: MissionPlanner) -> None:
    done = (PastAttempt(0, T0 + DAY, True),)
    assert planner.plan([request(history=done)], T0 + DAY) == []


def test_a_failed_strip_without_revisit_is_retried_on_a_later_pass(
    planner: MissionPlanner,
) -> None:
    first = only(planner.plan([request()], T0))
    failed = (PastAttempt(0, first.start, False),)
    retry = only(planner.plan([request(history=failed)], first.start))
    assert retry.start > first.end


def test_with_a_revisit_period_the_next_attempt_is_in_another_period(
    planner: MissionPlanner,
) -> None:
    first = only(planner.plan([request(revisit=DAY)], T0))
    failed = (PastAttempt(0, first.start, False),)
    retry = only(planner.plan([request(revisit=DAY, history=failed)], first.start))
    first_slot = (first.start - T0) // DAY
    assert (retry.start - T0) // DAY > first_slot


def test_with_a_revisit_period_a_collection_is_followed_by_the_next_period(
    planner: MissionPlanner,
) -> None:
    first = only(planner.plan([request(revisit=DAY)], T0))
    done = (PastAttempt(0, first.start, True),)
    following = only(planner.plan([request(revisit=DAY, history=done)], first.start))
    assert (following.start - T0) // DAY > (first.start - T0) // DAY


def test_an_ended_window_gets_nothing(planner: MissionPlanner) -> None:
    assert planner.plan([request()], T0 + 5 * DAY) == []


def test_only_allowed_sensors_are_used(planner: MissionPlanner) -> None:
    attempt = only(planner.plan([request(sensors=frozenset({"PHR"}))], T0))
    assert attempt.satellite.startswith("PHR")


def test_no_allowed_satellite_means_no_attempt(planner: MissionPlanner) -> None:
    assert planner.plan([request(sensors=frozenset({"radar"}))], T0) == []


def test_a_satellite_takes_one_capture_at_a_time(planner: MissionPlanner) -> None:
    a, b = planner.plan([request(item_id="a"), request(item_id="b")], T0)
    assert (a.satellite, a.start) != (b.satellite, b.start)
    if a.satellite == b.satellite:
        assert a.end < b.start or b.end < a.start


def test_rush_gets_the_contended_pass_whatever_the_order(planner: MissionPlanner) -> None:
    alone = only(planner.plan([request(item_id="rush")], T0))
    standard = request(item_id="standard", end=T0 + 2 * DAY)
    rush = request(item_id="rush", priority=Priority.RUSH)
    planned = {a.item_id: a for a in planner.plan([standard, rush], T0)}
    assert (planned["rush"].satellite, planned["rush"].start) == (alone.satellite, alone.start)
    assert planned["standard"].start != alone.start


def booking_of(attempt: PlannedAttempt, priority: Priority) -> Booking:
    return Booking(
        "cap-1", attempt.satellite, attempt.start, attempt.end, attempt.max_off_nadir, priority
    )


def test_booked_time_is_not_planned_again(planner: MissionPlanner) -> None:
    first = only(planner.plan([request()], T0))
    other = only(planner.plan([request()], T0, [booking_of(first, Priority.STANDARD)]))
    assert (other.satellite, other.start) != (first.satellite, first.start)
    assert other.displaces == ()


def test_rush_displaces_a_booked_standard_capture(planner: MissionPlanner) -> None:
    first = only(planner.plan([request()], T0))
    booked = [booking_of(first, Priority.STANDARD)]
    rush = only(planner.plan([request(priority=Priority.RUSH)], T0, booked))
    assert (rush.satellite, rush.start, rush.displaces) == (
        first.satellite,
        first.start,
        ("cap-1",),
    )


def test_rush_does_not_displace_a_booked_rush_capture(planner: MissionPlanner) -> None:
    first = only(planner.plan([request()], T0))
    booked = [booking_of(first, Priority.RUSH)]
    rush = only(planner.plan([request(priority=Priority.RUSH)], T0, booked))
    assert rush.displaces == () and rush.start != first.start


def test_a_slow_slewing_sensor_needs_a_longer_gap(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    fast = MissionPlanner(constellation.satellites, cache)
    first = only(fast.plan([request()], T0))
    # A capture on the same satellite ending 60 s before: a 1°/s platform rolls in time.
    before = Booking(
        "cap-0",
        first.satellite,
        first.start - timedelta(seconds=70),
        first.start - timedelta(seconds=60),
        10.0,
        Priority.RUSH,
    )
    again = only(fast.plan([request()], T0, [before]))
    assert (again.satellite, again.start) == (first.satellite, first.start)
    slow_sats = [
        replace(s, sensor=replace(s.sensor, slew_rate_deg_s=0.2)) for s in constellation.satellites
    ]
    slow = MissionPlanner(slow_sats, EphemerisCache())
    moved = only(slow.plan([request()], T0, [before]))
    assert (moved.satellite, moved.start) != (first.satellite, first.start)


@pytest.mark.parametrize("limit", [10.0, 25.0])
def test_every_attempt_sees_its_strip_within_the_off_nadir_limit(
    planner: MissionPlanner, limit: float
) -> None:
    attempts = planner.plan([request(aoi=WIDE, max_off_nadir=limit)], T0)
    assert attempts and all(a.max_off_nadir <= limit for a in attempts)


def test_a_sensor_may_declare_its_slew_rate(constellation: Constellation) -> None:
    from skyorder.orbits.constellation import constellation_to_dict, sensor_from_dict

    data = constellation_to_dict(constellation)["sensors"][0]
    assert "slew_rate_deg_s" not in data
    assert sensor_from_dict({**data, "slew_rate_deg_s": 2.5}).slew_rate_deg_s == 2.5
    assert sensor_from_dict(data).slew_rate_deg_s is None


def test_a_minimum_off_nadir_skips_passes_that_see_the_aoi_more_steeply(
    planner: MissionPlanner,
) -> None:
    steep = only(planner.plan([request()], T0))
    floor = steep.min_off_nadir + 5.0
    oblique = only(planner.plan([request(min_off_nadir=floor)], T0))
    assert oblique.min_off_nadir >= floor
    assert oblique.start > steep.start
