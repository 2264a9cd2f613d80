"""Fixtures for the orbital engine: the demo constellation and an independent skyfield."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from skyorder.orbits.constellation import Constellation, load_constellation
from skyorder.orbits.ephemeris import EphemerisCache

T0 = datetime(2026, 11, 20, tzinfo=UTC)
TOULOUSE = (1.44, 43.60)


@dataclass(frozen=True)
class Skyfield:
    """skyfield's timescale and JPL ephemeris, loaded from the skyfield-data package."""

    ts: Any
    eph: Any


@pytest.fixture(scope="session")
def constellation() -> Constellation:
    """The built-in demo constellation."""
    return load_constellation()


@pytest.fixture(scope="session")
def cache() -> EphemerisCache:
    """One ephemeris cache shared by the tests that search the demo constellation."""
    return EphemerisCache()


@pytest.fixture(scope="session")
def skyfield() -> Iterator[Skyfield]:
    """skyfield with DE421 and its built-in time data, without the network."""
    from skyfield.api import Loader
    from skyfield_data import get_skyfield_data_path

    with warnings.catch_warnings():
        # skyfield-data checks its bundled Earth-orientation file against today's date and
        # warns once it has expired; UT1 - UTC (< 0.9 s) is below what these tests resolve.
        warnings.filterwarnings(
            "ignore", message="The file finals2000A.all has expired", category=RuntimeWarning
        )
        load = Loader(get_skyfield_data_path())
        timescale = load.timescale(builtin=True)
    eph = load("de421.bsp")
    yield Skyfield(ts=timescale, eph=eph)
    eph.close()
