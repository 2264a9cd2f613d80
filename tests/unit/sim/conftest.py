"""Fixtures for the simulator: the demo constellation and one shared ephemeris cache."""

from __future__ import annotations

import pytest

from skyorder.orbits.constellation import Constellation, load_constellation
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.sim.planner import MissionPlanner


@pytest.fixture(scope="session")
def constellation() -> Constellation:
    return load_constellation()


@pytest.fixture(scope="session")
def cache() -> EphemerisCache:
    return EphemerisCache()


@pytest.fixture
def planner(constellation: Constellation, cache: EphemerisCache) -> MissionPlanner:
    return MissionPlanner(constellation.satellites, cache)
