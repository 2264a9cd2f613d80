"""Vectorised propagation and the ephemeris cache."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from shapely.geometry import Point, box

from skyorder.orbits.access import AccessConstraints, AccessWindow, find_access_windows
from skyorder.orbits.constellation import Constellation
from skyorder.orbits.ephemeris import (
    EphemerisCache,
    compute_ephemeris,
    propagate_grid,
    propagate_samples,
    satrecs,
)
from skyorder.orbits.frames import unix_seconds
from tests.unit.orbits.conftest import T0, TOULOUSE

DAY = timedelta(days=1)


def summary(windows: list[AccessWindow]) -> list[tuple[str, float, float, float]]:
    return [
        (w.satellite.name, w.start.timestamp(), w.end.timestamp(), w.off_nadir_min_deg)
        for w in windows
    ]


def test_grid_propagation_matches_one_satellite_at_a_time(constellation: Constellation) -> None:
    records = satrecs(constellation.satellites[:5])
    t = unix_seconds(T0) + np.arange(0.0, 3_600.0, 97.0)
    r_grid, v_grid = propagate_grid(records, t)
    sat = np.repeat(np.arange(5), t.size)
    r, v = propagate_samples(records, sat, np.tile(t, 5))
    assert np.abs(r.reshape(5, t.size, 3) - r_grid).max() < 1e-9
    assert np.abs(v.reshape(5, t.size, 3) - v_grid).max() < 1e-12


def test_samples_come_back_in_the_order_asked(constellation: Constellation) -> None:
    records = satrecs(constellation.satellites[:3])
    t = unix_seconds(T0) + np.array([10.0, 20.0, 30.0])
    shuffled, _ = propagate_samples(records, np.array([2, 0, 1]), t)
    for k, i in enumerate([2, 0, 1]):
        alone, _ = propagate_samples(records, np.array([i]), t[k : k + 1])
        assert np.array_equal(shuffled[k], alone[0])


def test_ephemeris_directions_are_unit_vectors(constellation: Constellation) -> None:
    step = 60.0
    first = int(unix_seconds(T0) // step)
    ephemeris = compute_ephemeris(satrecs(constellation.satellites[:4]), first, 100, step)
    norms = np.linalg.norm(ephemeris.directions.astype(np.float64), axis=0)
    assert np.abs(norms - 1.0).max() < 1e-6
    assert 6_800 < ephemeris.radius_max_km.min() and ephemeris.radius_max_km.max() < 7_000


def test_interpolated_directions_match_sgp4_at_every_grid_time(
    constellation: Constellation,
) -> None:
    records = satrecs(constellation.satellites)
    step, size = 60.0, 2 * 1440 + 7
    first = int(unix_seconds(T0) // step) - 3
    ephemeris = compute_ephemeris(records, first, size, step)
    r, _ = propagate_grid(records, (first + np.arange(size, dtype=np.float64)) * step)
    exact = r / np.linalg.norm(r, axis=-1, keepdims=True)
    cached = np.moveaxis(ephemeris.directions.astype(np.float64), 0, -1)
    angle = np.degrees(np.linalg.norm(np.cross(exact, cached), axis=-1))
    assert angle.max() < 0.001


def test_a_second_aoi_over_the_same_window_reuses_the_ephemeris(
    constellation: Constellation,
) -> None:
    cache = EphemerisCache()
    find_access_windows(constellation.satellites, Point(*TOULOUSE), T0, T0 + 2 * DAY, cache=cache)
    find_access_windows(constellation.satellites, Point(-3.7, 40.4), T0, T0 + 2 * DAY, cache=cache)
    assert (cache.misses, cache.hits) == (1, 1)


def test_a_window_inside_a_cached_one_reuses_it(constellation: Constellation) -> None:
    cache = EphemerisCache()
    find_access_windows(constellation.satellites, Point(*TOULOUSE), T0, T0 + 3 * DAY, cache=cache)
    find_access_windows(
        constellation.satellites, Point(*TOULOUSE), T0 + DAY, T0 + 2 * DAY, cache=cache
    )
    assert (cache.misses, cache.hits) == (1, 1)


def test_selecting_satellites_reuses_the_constellations_ephemeris(
    constellation: Constellation,
) -> None:
    cache = EphemerisCache()
    find_access_windows(constellation.satellites, Point(*TOULOUSE), T0, T0 + DAY, cache=cache)
    only = AccessConstraints(sensors=frozenset({"PHR"}))
    find_access_windows(constellation.satellites, Point(*TOULOUSE), T0, T0 + DAY, only, cache=cache)
    assert (cache.misses, cache.hits) == (1, 1)


def test_another_tle_set_is_another_entry(constellation: Constellation) -> None:
    cache = EphemerisCache()
    find_access_windows(constellation.satellites, Point(*TOULOUSE), T0, T0 + DAY, cache=cache)
    find_access_windows(constellation.satellites[:5], Point(*TOULOUSE), T0, T0 + DAY, cache=cache)
    assert (cache.misses, cache.hits, len(cache)) == (2, 0, 2)


def test_cached_and_fresh_searches_agree(constellation: Constellation) -> None:
    cache = EphemerisCache()
    aoi = box(1.2, 43.4, 1.7, 43.8)
    find_access_windows(constellation.satellites, Point(*TOULOUSE), T0, T0 + 3 * DAY, cache=cache)
    warm = find_access_windows(constellation.satellites, aoi, T0, T0 + 3 * DAY, cache=cache)
    cold = find_access_windows(constellation.satellites, aoi, T0, T0 + 3 * DAY)
    assert summary(warm) == summary(cold)


def test_the_least_recently_used_entry_is_dropped(constellation: Constellation) -> None:
    cache = EphemerisCache(max_entries=2)
    sats = constellation.satellites
    for subset in (sats[:2], sats[:3], sats[:2], sats[:4]):
        find_access_windows(subset, Point(*TOULOUSE), T0, T0 + DAY, cache=cache)
    find_access_windows(sats[:2], Point(*TOULOUSE), T0, T0 + DAY, cache=cache)
    assert (cache.misses, cache.hits, len(cache)) == (3, 2, 2)


def test_the_grid_step_is_bounded() -> None:
    with pytest.raises(ValueError, match="step_s"):
        EphemerisCache(step_s=0.5)


def test_a_finer_grid_finds_the_same_windows(constellation: Constellation) -> None:
    coarse = find_access_windows(
        constellation.satellites, Point(*TOULOUSE), T0, T0 + 2 * DAY, cache=EphemerisCache(60.0)
    )
    fine = find_access_windows(
        constellation.satellites, Point(*TOULOUSE), T0, T0 + 2 * DAY, cache=EphemerisCache(20.0)
    )
    assert [(w.satellite.name, round(w.tca.timestamp(), 2)) for w in coarse] == [
        (w.satellite.name, round(w.tca.timestamp(), 2)) for w in fine
    ]
