"""The seeded cloud model: deterministic, in range, seasonal, zonal, land and sea apart."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest

from skyorder.sim.climatology import climatological_cloud, land_fraction
from skyorder.sim.weather import FixedSky, SimWeather, WeatherModel, weather_for

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
    assert all(
        0.0 <= climatological_cloud(lat, lon, JUL) <= 1.0
        for lat in range(-90, 91, 5)
        for lon in range(-180, 180, 20)
    )


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
    places = [(50.0, lon, JAN + timedelta(days=d)) for d in range(60) for lon in range(0, 360, 12)]
    realised = statistics.fmean(model.cloud_at(*p) for p in places)
    expected = statistics.fmean(model.expected_cloud(*p) for p in places)
    assert realised == pytest.approx(expected, abs=0.06)


def zonal(lat: float, at: datetime) -> float:
    """The mean over all longitudes of a latitude circle."""
    return statistics.fmean(climatological_cloud(lat, lon, at) for lon in range(-180, 180, 5))


def test_the_itcz_is_cloudier_than_the_subtropical_highs() -> None:
    assert zonal(8.0, JUL) > zonal(25.0, JUL) + 0.1


def test_the_itcz_follows_the_sun() -> None:
    assert zonal(12.0, JUL) > zonal(12.0, JAN)
    assert zonal(-10.0, JAN) > zonal(-10.0, JUL)


def test_storm_tracks_are_cloudier_in_their_own_winter() -> None:
    assert zonal(50.0, JAN) > zonal(50.0, JUL)


def test_the_southern_ocean_is_the_cloudiest_zone() -> None:
    cloudiest = max(range(-85, 90, 5), key=lambda lat: zonal(lat, JAN) + zonal(lat, JUL))
    assert -65 <= cloudiest <= -50


def test_the_sahara_is_clearer_than_the_south_atlantic_deck_at_its_latitude() -> None:
    sahara, deck = (23.0, 12.0), (-15.0, 4.0)
    oct_ = datetime(2026, 10, 15, 12, tzinfo=UTC)
    assert climatological_cloud(*sahara, JUL) < 0.2
    assert climatological_cloud(*deck, oct_) > climatological_cloud(*sahara, oct_) + 0.5


def test_the_sea_is_cloudier_than_the_land_at_the_same_latitude() -> None:
    land = climatological_cloud(31.0, -100.0, JUL)  # Texas
    sea = climatological_cloud(31.0, -60.0, JUL)  # the Sargasso Sea
    assert sea > land + 0.1


def test_the_indian_monsoon_clouds_the_summer_and_clears_the_winter() -> None:
    assert climatological_cloud(22.0, 79.0, JUL) > 0.7
    assert climatological_cloud(22.0, 79.0, JAN) < 0.3


def test_the_land_table_tells_land_from_sea() -> None:
    assert land_fraction(24.0, 12.0) == 1.0  # the Sahara
    assert land_fraction(-40.0, -30.0) == 0.0  # the South Atlantic
    assert 0.0 < land_fraction(-38.0, -57.55) < 1.0  # Mar del Plata, on the coast
    assert land_fraction(-89.9, 0.0) == 1.0 and land_fraction(89.9, 0.0) == 0.0


def test_a_fixed_sky_is_the_same_everywhere_and_always() -> None:
    clear = weather_for(SimWeather.CLEAR, 1)
    overcast = weather_for(SimWeather.OVERCAST, 1)
    assert clear.cloud_at(-57.0, 90.0, JUL) == 0.0 == clear.expected_cloud(0.0, 0.0, JAN)
    assert overcast.cloud_at(24.0, 12.0, JUL) == 1.0 == overcast.expected_cloud(0.0, 0.0, JAN)
    assert isinstance(weather_for(SimWeather.CLIMATE, 1), WeatherModel)
    with pytest.raises(ValueError, match="between 0 and 1"):
        FixedSky(1.5)


def test_weather_wraps_across_the_antimeridian() -> None:
    model = WeatherModel(9)
    assert model.cloud_at(10.0, 180.0, JAN) == pytest.approx(model.cloud_at(10.0, -180.0, JAN))


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        WeatherModel(1).cloud_at(0.0, 0.0, datetime(2026, 1, 1))


def test_a_latitude_beyond_the_pole_is_refused() -> None:
    with pytest.raises(ValueError, match="latitude"):
        WeatherModel(1).expected_cloud(91.0, 0.0, JAN)


def test_a_20_percent_limit_over_mar_del_plata_in_december_is_met_about_one_time_in_four() -> None:
    days = [datetime(2026, 12, 1, 13, tzinfo=UTC) + timedelta(days=d) for d in range(31)]
    clouds = [
        WeatherModel(seed).cloud_at(-37.94, -57.58, day) for seed in range(40) for day in days
    ]
    assert 0.15 < sum(c <= 0.2 for c in clouds) / len(clouds) < 0.35
