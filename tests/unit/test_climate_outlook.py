"""The climatological cloud outlook used until a weather model replaces it."""

from __future__ import annotations

from datetime import UTC, datetime

from skyorder.services.tasking import ClimateOutlook

JULY = datetime(2026, 7, 15, tzinfo=UTC)
JANUARY = datetime(2026, 1, 15, tzinfo=UTC)


def test_cloud_fractions_stay_between_five_and_ninety_five_percent() -> None:
    outlook = ClimateOutlook()
    values = [
        outlook.expected_cloud(lat, 0.0, at) for lat in range(-90, 91, 5) for at in (JANUARY, JULY)
    ]
    assert min(values) >= 0.05 and max(values) <= 0.95


def test_the_tropics_are_cloudier_than_the_subtropical_highs() -> None:
    outlook = ClimateOutlook()
    assert outlook.expected_cloud(5.0, 0.0, JANUARY) > outlook.expected_cloud(-25.0, 0.0, JANUARY)


def test_the_storm_tracks_are_cloudier_than_the_subtropics() -> None:
    outlook = ClimateOutlook()
    assert outlook.expected_cloud(-55.0, 0.0, JULY) > outlook.expected_cloud(-25.0, 0.0, JULY)


def test_the_rain_belt_follows_the_sun() -> None:
    outlook = ClimateOutlook()
    assert outlook.expected_cloud(14.0, 0.0, JULY) > outlook.expected_cloud(14.0, 0.0, JANUARY)
