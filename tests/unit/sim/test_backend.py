"""The simulated backend's outcomes: clouds against the maximum, anomalies, determinism."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from skyorder.core.mission import Collected, Failed, PlannedAttempt
from skyorder.orbits.constellation import Constellation
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.sim.backend import SimulatedBackend
from skyorder.sim.weather import WeatherModel

T0 = datetime(2026, 1, 5, 10, tzinfo=UTC)


def attempt(max_cloud: float | None, start: datetime = T0) -> PlannedAttempt:
    return PlannedAttempt(
        item_id="item-1",
        strip=0,
        strips=1,
        satellite="MICRO-01",
        start=start,
        end=start + timedelta(seconds=8),
        footprint={
            "type": "Polygon",
            "coordinates": [[[1.3, 43.5], [1.5, 43.5], [1.5, 43.7], [1.3, 43.7], [1.3, 43.5]]],
        },
        ground_track={"type": "LineString", "coordinates": [[3.4, 43.5, 5e5], [3.3, 43.0, 5e5]]},
        min_off_nadir=20.0,
        max_off_nadir=21.0,
        min_sun_elevation=20.0,
        max_sun_elevation=20.1,
        max_cloud=max_cloud,
    )


def backend(
    constellation: Constellation, cache: EphemerisCache, anomaly_rate: float = 0.0
) -> SimulatedBackend:
    return SimulatedBackend(
        constellation, WeatherModel(4), cache=cache, anomaly_rate=anomaly_rate, seed=4
    )


def test_clouds_above_the_maximum_fail_the_attempt_with_the_measure(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    sim = backend(constellation, cache)
    cloud = sim.outcome(attempt(None), T0).cloud_cover
    assert cloud is not None and cloud > 1
    outcome = sim.outcome(attempt(cloud - 1), T0)
    assert outcome == Failed(
        f"cloud cover {cloud:.0f}% above the {cloud - 1:g}% maximum", cloud_cover=cloud
    )


def test_clouds_within_the_maximum_collect(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    sim = backend(constellation, cache)
    assert isinstance(sim.outcome(attempt(100.0), T0), Collected)


def test_the_same_attempt_always_gets_the_same_outcome(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    sim = backend(constellation, cache, anomaly_rate=0.5)
    starts = [T0 + timedelta(days=d) for d in range(30)]
    assert [sim.outcome(attempt(30.0, s), s) for s in starts] == [
        backend(constellation, cache, 0.5).outcome(attempt(30.0, s), s) for s in starts
    ]


def test_anomalies_fail_attempts_at_the_given_rate(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    sim = backend(constellation, cache, anomaly_rate=0.2)
    outcomes = [sim.outcome(attempt(None, T0 + timedelta(hours=h)), T0) for h in range(500)]
    anomalies = [o for o in outcomes if isinstance(o, Failed) and "anomaly" in o.reason]
    assert 60 < len(anomalies) < 140


def test_a_cloudy_place_fails_more_often_than_a_dry_one(
    constellation: Constellation, cache: EphemerisCache
) -> None:
    sim = backend(constellation, cache)
    dry = replace(
        attempt(20.0),
        footprint={"type": "Point", "coordinates": [13.0, 24.0]},  # the Sahara in January
    )
    days = [T0 + timedelta(days=d) for d in range(60)]
    wet_failures = sum(
        isinstance(sim.outcome(replace(attempt(20.0), start=d), d), Failed) for d in days
    )
    dry_failures = sum(isinstance(sim.outcome(replace(dry, start=d), d), Failed) for d in days)
    assert wet_failures > dry_failures + 15
