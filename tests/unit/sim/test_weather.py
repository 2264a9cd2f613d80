"""The seeded cloud model: deterministic, in range, seasonal and zonal."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest

from skyorder.sim.weather import WeatherModel, climatological_cloud

JAN = datetime(2026, 1, 15, 12, tzinfo=UTC)
JUL = datetime(2026, 7, 15, 12, tzinfo=UTC)


def test_the_same_seed_gives_the_same_weather() -> None:
    a, b = WeatherModel(7), WeatherModel(7)
    assert [a.cloud_at(43.6, 1.4, JAN + timedelta(hours=h)) for h in range(0, 240, 7)] == [
        b.cloud_at(43.6, 1.4, JAN + timedelta(hours=h)) for h in range(0, 240, 7)
    ]


def test_another_seed_gives_other_weather() -> None:
    days = [JAN + timedelta(days=d) for d in range(20)]
    assert [WeatherModel(1).cloud_at(43.6, 1.4, d) for d in days] != [
        WeatherModel(2).cloud_at(43.6, 1.4, d) for d in days
    ]


def test_cloud_fractions_stay_between_zero_and_one() -> None:
    model = WeatherModel(3)
    values = [
        model.cloud_at(lat, lon, JAN + timedelta(hours=7 * k))
        for k, (lat, lon) in enumerate(
            (la, lo) for la in range(-90, 91, 15) for lo in (-170, 0, 95)
        )
    ]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(0.0 <= climatological_cloud(lat, JUL) <= 1.0 for lat in range(-90, 91, 5))


def test_nearby_attempts_see_similar_skies() -> None:
    model = WeatherModel(5)
    pairs = [
        (
            model.weather(10.0 + k, 20.0, JAN),
            model.weather(10.05 + k, 20.05, JAN + timedelta(minutes=20)),
        )
        for k in range(30)
    ]
    assert max(abs(a - b) for a, b in pairs) < 0.3


def test_weather_a_month_apart_is_unrelated() -> None:
    model = WeatherModel(5)
    days = range(200)
    near = [model.weather(45.0, 5.0, JAN + timedelta(days=d)) for d in days]
    far = [model.weather(45.0, 5.0, JAN + timedelta(days=d + 30)) for d in days]
    assert abs(statistics.correlation(near, far)) < 0.3


def test_realised_cloud_averages_to_the_climatological_mean() -> None:
    model = WeatherModel(11)
    samples = [
        model.cloud_at(50.0, lon, JAN + timedelta(days=d))
        for d in range(60)
        for lon in range(0, 360, 12)
    ]
    assert statistics.fmean(samples) == pytest.approx(
        model.expected_cloud(50.0, 0.0, JAN), abs=0.06
    )


def test_the_itcz_is_cloudier_than_the_subtropical_highs() -> None:
    assert climatological_cloud(5.0, JUL) > climatological_cloud(25.0, JUL) + 0.3


def test_the_itcz_follows_the_sun() -> None:
    assert climatological_cloud(12.0, JUL) > climatological_cloud(12.0, JAN)
    assert climatological_cloud(-3.0, JAN) > climatological_cloud(-3.0, JUL)


def test_storm_tracks_are_cloudier_in_their_own_winter() -> None:
    assert climatological_cloud(50.0, JAN) > climatological_cloud(50.0, JUL)
    assert climatological_cloud(-50.0, JUL) > climatological_cloud(-50.0, JAN)


def test_mid_latitudes_are_cloudier_than_the_subtropics() -> None:
    assert climatological_cloud(55.0, JAN) > climatological_cloud(25.0, JAN) + 0.3


def test_weather_wraps_across_the_antimeridian() -> None:
    model = WeatherModel(9)
    assert model.cloud_at(10.0, 180.0, JAN) == pytest.approx(model.cloud_at(10.0, -180.0, JAN))


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        WeatherModel(1).cloud_at(0.0, 0.0, datetime(2026, 1, 1))


def test_a_latitude_beyond_the_pole_is_refused() -> None:
    with pytest.raises(ValueError, match="latitude"):
        WeatherModel(1).expected_cloud(91.0, 0.0, JAN)
