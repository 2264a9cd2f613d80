"""The almanac Sun against skyfield with the JPL DE421 ephemeris."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from skyorder.orbits.frames import unix_seconds
from skyorder.orbits.sun import (
    sun_elevation_azimuth,
    sun_elevation_deg,
    sun_right_ascension_declination,
)
from tests.unit.orbits.conftest import Skyfield

CASES = [
    (datetime(2026, 11, 20, 10, 30, tzinfo=UTC), 1.44, 43.60),
    (datetime(2026, 6, 21, 4, 0, tzinfo=UTC), -70.65, -33.45),
    (datetime(2026, 12, 21, 23, 0, tzinfo=UTC), -122.42, 37.77),
    (datetime(2027, 3, 20, 12, 0, tzinfo=UTC), 139.69, 35.69),
    (datetime(2030, 9, 1, 6, 15, tzinfo=UTC), 18.42, -33.92),
    (datetime(2026, 11, 25, 9, 0, tzinfo=UTC), 20.0, 78.0),
    (datetime(2026, 1, 3, 17, 45, tzinfo=UTC), -47.9, -15.8),
]


def skyfield_sun(
    skyfield: Skyfield, moment: datetime, lon: float, lat: float
) -> tuple[float, float]:
    from skyfield.api import wgs84

    observer = skyfield.eph["earth"] + wgs84.latlon(lat, lon)
    alt, az, _ = (
        observer.at(skyfield.ts.from_datetime(moment))
        .observe(skyfield.eph["sun"])
        .apparent()
        .altaz()
    )
    return float(alt.degrees), float(az.degrees)


@pytest.mark.parametrize(("moment", "lon", "lat"), CASES)
def test_sun_elevation_matches_skyfield_to_five_hundredths_of_a_degree(
    skyfield: Skyfield, moment: datetime, lon: float, lat: float
) -> None:
    expected, _ = skyfield_sun(skyfield, moment, lon, lat)
    t = np.array(unix_seconds(moment))
    assert float(sun_elevation_deg(t, np.array(lon), np.array(lat))) == pytest.approx(
        expected, abs=0.05
    )


@pytest.mark.parametrize(("moment", "lon", "lat"), CASES)
def test_sun_azimuth_matches_skyfield_to_a_tenth_of_a_degree(
    skyfield: Skyfield, moment: datetime, lon: float, lat: float
) -> None:
    _, expected = skyfield_sun(skyfield, moment, lon, lat)
    t = np.array(unix_seconds(moment))
    _, azimuth = sun_elevation_azimuth(t, np.radians(lat), np.radians(lon))
    difference = (np.degrees(azimuth) - expected + 180.0) % 360.0 - 180.0
    assert abs(difference) < 0.1


def test_right_ascension_and_declination_match_skyfield_of_date(skyfield: Skyfield) -> None:
    moment = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    t = skyfield.ts.from_datetime(moment)
    ra, dec, _ = skyfield.eph["earth"].at(t).observe(skyfield.eph["sun"]).apparent().radec(epoch=t)
    my_ra, my_dec = sun_right_ascension_declination(np.array(unix_seconds(moment)))
    assert np.degrees(my_ra) == pytest.approx(ra._degrees, abs=0.01)
    assert np.degrees(my_dec) == pytest.approx(dec.degrees, abs=0.01)


def test_sun_elevation_is_vectorised_over_times() -> None:
    t = unix_seconds(datetime(2026, 11, 20, tzinfo=UTC)) + np.arange(0.0, 86_400.0, 3_600.0)
    elevation = sun_elevation_deg(t, np.array(1.44), np.array(43.6))
    assert elevation.shape == (24,)
    assert elevation.max() > 20.0 and elevation.min() < -60.0
