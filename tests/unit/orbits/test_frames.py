"""Time, TEME to ECEF and geodetic conversions, against pyproj and skyfield."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from pyproj import Transformer
from sgp4.api import WGS72, Satrec

from skyorder.orbits.frames import (
    ecef_to_geodetic,
    geodetic_to_ecef,
    gmst_rad,
    julian_dates,
    teme_to_ecef,
    to_datetime,
    unix_seconds,
)
from tests.unit.orbits.conftest import T0, Skyfield

LAT = np.radians([0.0, 43.6, -33.9, 89.999, -90.0, 60.0])
LON = np.radians([0.0, 1.44, 151.2, 10.0, -45.0, -179.9])
HEIGHT = np.array([0.0, 0.15, 500.0, 620.0, 0.0, -0.05])
ISS_1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
ISS_2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"


def test_unix_seconds_of_an_aware_datetime() -> None:
    moment = datetime(2026, 11, 20, 1, 0, tzinfo=timezone(timedelta(hours=1)))
    assert unix_seconds(moment) == datetime(2026, 11, 20, tzinfo=UTC).timestamp()


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        unix_seconds(datetime(2026, 11, 20))


def test_to_datetime_inverts_unix_seconds_to_the_microsecond() -> None:
    moment = datetime(2026, 11, 20, 10, 31, 7, 123_456, tzinfo=UTC)
    assert to_datetime(unix_seconds(moment)) == moment


def test_julian_date_of_j2000() -> None:
    jd, fr = julian_dates(np.array([unix_seconds(datetime(2000, 1, 1, 12, tzinfo=UTC))]))
    assert jd[0] + fr[0] == 2_451_545.0


def test_gmst_at_j2000_is_the_published_value() -> None:
    # GMST at 2000-01-01 12:00 UT1 is 18h 41m 50.54841s (IAU 1982).
    t = np.array(unix_seconds(datetime(2000, 1, 1, 12, tzinfo=UTC)))
    assert np.degrees(gmst_rad(t)) == pytest.approx(280.460_618_4, abs=1e-6)


def test_geodetic_to_ecef_matches_pyproj() -> None:
    to_ecef = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    x, y, z = to_ecef.transform(np.degrees(LON), np.degrees(LAT), HEIGHT * 1000)
    expected = np.column_stack((x, y, z)) / 1000
    assert np.abs(geodetic_to_ecef(LAT, LON, HEIGHT) - expected).max() < 1e-6


def test_ecef_to_geodetic_inverts_geodetic_to_ecef() -> None:
    lat, lon, height = ecef_to_geodetic(geodetic_to_ecef(LAT, LON, HEIGHT))
    assert np.abs(lat - LAT).max() < 1e-10
    assert np.abs(np.angle(np.exp(1j * (lon - LON)))).max() < 1e-10
    assert np.abs(height - HEIGHT).max() < 1e-6


def test_teme_to_ecef_matches_skyfields_gmst_rotation() -> None:
    from skyfield.sgp4lib import TEME_to_ITRF

    sat = Satrec.twoline2rv(ISS_1, ISS_2, WGS72)
    t = unix_seconds(T0) + np.array([0.0, 4321.5, 86_400.0 * 3.3])
    jd, fr = julian_dates(t)
    _, r_teme, v_teme = sat.sgp4_array(jd, fr)
    r, v = teme_to_ecef(r_teme, v_teme, t)
    for i in range(t.size):
        r_ref, v_ref = TEME_to_ITRF(jd[i], r_teme[i], v_teme[i] * 86_400, fraction_ut1=fr[i])
        assert np.abs(r[i] - r_ref).max() < 1e-6  # km
        assert np.abs(v[i] - v_ref / 86_400).max() < 1e-6  # km/s


def test_teme_to_ecef_agrees_with_skyfields_itrs_frame_given_ut1(skyfield: Skyfield) -> None:
    from skyfield.api import EarthSatellite
    from skyfield.framelib import itrs

    body = EarthSatellite(ISS_1, ISS_2, "ISS", skyfield.ts)
    moment = skyfield.ts.from_datetime(T0 + timedelta(hours=5))
    sat = Satrec.twoline2rv(ISS_1, ISS_2, WGS72)
    jd, fr = julian_dates(np.array([unix_seconds(T0 + timedelta(hours=5))]))
    _, r_teme, v_teme = sat.sgp4_array(jd, fr)
    ut1_seconds = (moment.ut1 - 2_440_587.5) * 86_400.0
    r, _ = teme_to_ecef(r_teme, v_teme, np.array([ut1_seconds]))
    # skyfield's full frame chain (precession, nutation, polar motion) differs from the
    # GMST-82 rotation that defines TEME by metres only.
    assert np.abs(r[0] - body.at(moment).frame_xyz(itrs).km).max() < 0.05
