"""Feasibility verdicts from passes and a cloud outlook (fakes only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skyorder.core.feasibility import (
    HORIZON,
    Limits,
    Pass,
    assess,
    clear_chance,
    search_span,
)
from skyorder.core.orders import FeasibilityStatus

DAY0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
WHERE = (-37.9, -57.6)


class FlatOutlook:
    """The same expected cloud everywhere, always; remembers what it was asked."""

    def __init__(self, cloud: float) -> None:
        self.cloud = cloud
        self.asked: list[tuple[float, float, datetime]] = []

    def expected_cloud(self, lat: float, lon: float, at: datetime) -> float:
        self.asked.append((lat, lon, at))
        return self.cloud


def a_pass(day: int = 0, off_nadir: float = 10.0, satellite: str = "SAT-1", hour: int = 0) -> Pass:
    start = DAY0 + timedelta(days=day, hours=hour)
    end, at = start + timedelta(minutes=2), start + timedelta(minutes=1)
    return Pass(satellite, start, end, at, off_nadir)


def daily(days: int, off_nadir: float = 10.0) -> list[Pass]:
    return [a_pass(day, off_nadir) for day in range(days)]


def test_no_pass_fails_with_no_access() -> None:
    verdict = assess([], Limits(30, 20), FlatOutlook(0.1), WHERE)
    assert verdict.status is FeasibilityStatus.FAILED
    assert verdict.reason == "no access in the window"


def test_passes_beyond_the_off_nadir_limit_fail_naming_the_nearest() -> None:
    passes = [a_pass(0, 38.0), a_pass(1, 34.2), a_pass(2, 36.0)]
    verdict = assess(passes, Limits(30, 20), FlatOutlook(0.1), WHERE)
    assert verdict.status is FeasibilityStatus.FAILED
    assert verdict.reason == "constraints too tight: nearest pass needs 34.2° off-nadir, limit 30°"


def test_a_cloudy_window_fails_with_the_expected_cloud() -> None:
    verdict = assess(daily(3), Limits(30, 20), FlatOutlook(0.71), WHERE)
    assert verdict.status is FeasibilityStatus.FAILED
    assert verdict.reason.startswith("expected cloud too high for the window: 71% vs max 20%")


def test_many_clear_days_succeed() -> None:
    verdict = assess(daily(10), Limits(30, 20), FlatOutlook(0.3), WHERE)
    assert verdict.status is FeasibilityStatus.SUCCESS
    assert verdict.chance >= 0.8
    assert verdict.reason.startswith("10 passes within limits")


def test_a_middling_chance_is_a_weak_success() -> None:
    verdict = assess(daily(2), Limits(30, 20), FlatOutlook(0.3), WHERE)
    assert verdict.status is FeasibilityStatus.WEAK_SUCCESS
    assert 0.3 <= verdict.chance < 0.8


def test_without_a_cloud_limit_one_pass_within_limits_succeeds() -> None:
    verdict = assess([a_pass(0, 50.0), a_pass(1, 12.0)], Limits(30, None), FlatOutlook(0.9), WHERE)
    assert verdict.status is FeasibilityStatus.SUCCESS
    assert verdict.reason == "1 pass within limits, no cloud limit"


def test_passes_beyond_the_limit_are_listed_but_not_counted() -> None:
    verdict = assess([a_pass(0, 50.0), a_pass(1, 12.0)], Limits(30, 20), FlatOutlook(0.3), WHERE)
    assert [p.within_limits for p in verdict.passes] == [False, True]
    assert verdict.passes[0].clear_chance == 0.0


def test_passes_on_the_same_day_share_the_weather() -> None:
    same_day = [a_pass(0, hour=0), a_pass(0, satellite="SAT-2", hour=3)]
    two_days = [a_pass(0), a_pass(1, satellite="SAT-2")]
    one = assess(same_day, Limits(30, 20), FlatOutlook(0.3), WHERE)
    two = assess(two_days, Limits(30, 20), FlatOutlook(0.3), WHERE)
    assert one.chance < two.chance


def test_the_outlook_is_asked_at_the_aoi_at_each_pass_time() -> None:
    outlook = FlatOutlook(0.3)
    passes = daily(2)
    assess(passes, Limits(30, 20), outlook, WHERE)
    assert outlook.asked == [(*WHERE, p.at) for p in passes]


def test_passes_are_considered_in_time_order() -> None:
    verdict = assess([a_pass(2), a_pass(0), a_pass(1)], Limits(30, 20), FlatOutlook(0.3), WHERE)
    assert [p.pass_.start for p in verdict.passes] == sorted(p.pass_.start for p in verdict.passes)


def test_an_outlook_out_of_range_is_clamped() -> None:
    verdict = assess(daily(1), Limits(30, 20), FlatOutlook(1.7), WHERE)
    assert verdict.passes[0].expected_cloud == 1.0
    assert verdict.status is FeasibilityStatus.FAILED


@pytest.mark.parametrize(
    ("cloud", "limit", "expected"),
    [(0.5, 20.0, 0.2), (0.3, None, 1.0), (0.3, 100.0, 1.0), (1.0, 50.0, 0.0), (0.4, 0.0, 0.0)],
)
def test_clear_chance_follows_a_beta_one_b_cloud(
    cloud: float, limit: float | None, expected: float
) -> None:
    assert clear_chance(cloud, limit) == pytest.approx(expected)


def test_clearer_skies_give_better_chances() -> None:
    assert clear_chance(0.2, 20) > clear_chance(0.5, 20) > clear_chance(0.8, 20)


def test_the_search_starts_now_when_the_window_has_begun() -> None:
    span = search_span(DAY0, DAY0 + timedelta(days=10), DAY0 + timedelta(days=2))
    assert span == (DAY0 + timedelta(days=2), DAY0 + timedelta(days=10))


def test_the_search_stops_at_the_horizon() -> None:
    span = search_span(DAY0, DAY0 + timedelta(days=300), DAY0 - timedelta(days=1))
    assert span == (DAY0, DAY0 + HORIZON)


def test_an_ended_window_has_nothing_to_search() -> None:
    assert search_span(DAY0, DAY0 + timedelta(days=1), DAY0 + timedelta(days=1)) is None
