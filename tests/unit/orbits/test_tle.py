"""TLE checksums, checks and generated sun-synchronous orbits."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from skyorder.orbits.ephemeris import propagate_grid
from skyorder.orbits.frames import ecef_to_geodetic, unix_seconds
from skyorder.orbits.tle import (
    TLEError,
    check_tle,
    circular_mean_motion,
    make_sso_tle,
    make_tle,
    raan_for_ltan,
    sso_inclination_deg,
    tle_checksum,
    tle_epoch,
)

# Vallado's ISS example (AIAA 2006-6753), a published TLE with known checksums.
ISS_1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
ISS_2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"
EPOCH = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)


def sso(altitude_km: float = 500.0, ltan_hours: float = 22.5) -> tuple[str, str]:
    return make_sso_tle(
        norad_id=99_999,
        epoch=EPOCH,
        altitude_km=altitude_km,
        ltan_hours=ltan_hours,
        mean_anomaly_deg=0.0,
    )


def test_checksum_of_a_published_tle_matches_its_last_digit() -> None:
    assert tle_checksum(ISS_1) == 7
    assert tle_checksum(ISS_2) == 7


def test_a_published_tle_passes_the_checks() -> None:
    check_tle(ISS_1, ISS_2)


def test_a_wrong_checksum_is_refused_naming_the_line() -> None:
    with pytest.raises(TLEError, match="line 2 checksum"):
        check_tle(ISS_1, ISS_2[:-1] + "8")


def test_lines_of_different_satellites_are_refused() -> None:
    other = ISS_2[:2] + "25545" + ISS_2[7:68]
    with pytest.raises(TLEError, match="catalogue numbers differ"):
        check_tle(ISS_1, other + str(tle_checksum(other)))


def test_a_truncated_line_is_refused() -> None:
    with pytest.raises(TLEError, match="69"):
        check_tle(ISS_1[:60], ISS_2)


def test_epoch_is_read_from_line_one() -> None:
    expected = datetime(2008, 1, 1, tzinfo=UTC) + timedelta(days=264.51782528 - 1)
    assert abs((tle_epoch(ISS_1) - expected).total_seconds()) < 1e-3


def test_generated_tle_has_valid_checksums() -> None:
    line1, line2 = sso()
    check_tle(line1, line2)
    assert len(line1) == len(line2) == 69


def test_sgp4_reads_back_the_generated_elements() -> None:
    line1, line2 = make_tle(
        norad_id=12_345,
        epoch=EPOCH,
        inclination_deg=97.5,
        raan_deg=123.4567,
        eccentricity=0.0012345,
        arg_perigee_deg=90.0,
        mean_anomaly_deg=359.9,
        mean_motion_rev_per_day=15.2345678,
        bstar=-1.2345e-5,
    )
    sat = Satrec.twoline2rv(line1, line2, WGS72)
    assert sat.error == 0
    assert sat.satnum == 12_345
    assert math.degrees(sat.nodeo) == pytest.approx(123.4567, abs=1e-4)
    assert sat.ecco == pytest.approx(0.0012345, abs=1e-7)
    assert sat.bstar == pytest.approx(-1.2345e-5, rel=1e-4)
    assert sat.no_kozai * 1440 / (2 * math.pi) == pytest.approx(15.2345678, abs=1e-8)
    assert abs((tle_epoch(line1) - EPOCH).total_seconds()) < 1e-3  # 1e-8 day resolution


@pytest.mark.parametrize(("altitude_km", "inclination_deg"), [(500, 97.40), (600, 97.79)])
def test_sun_synchronous_inclination_matches_published_values(
    altitude_km: float, inclination_deg: float
) -> None:
    assert sso_inclination_deg(altitude_km) == pytest.approx(inclination_deg, abs=0.02)


def test_mean_motion_of_a_500_km_orbit_is_about_15_2_revolutions_a_day() -> None:
    assert circular_mean_motion(500.0) == pytest.approx(15.22, abs=0.01)


def test_generated_orbit_flies_at_the_requested_altitude() -> None:
    line1, line2 = sso(altitude_km=550.0)
    t = unix_seconds(EPOCH) + np.arange(0.0, 86_400.0, 60.0)
    r, _ = propagate_grid([Satrec.twoline2rv(line1, line2, WGS72)], t)
    _, _, height = ecef_to_geodetic(r)
    # Over an orbit the geodetic height swings with the Earth's flattening (~21 km).
    assert 540.0 < height.min() and height.max() < 590.0


def test_ascending_node_passes_at_the_requested_local_time() -> None:
    line1, line2 = sso(ltan_hours=22.5)
    t = unix_seconds(EPOCH) + np.arange(0.0, 6_000.0, 1.0)
    r, _ = propagate_grid([Satrec.twoline2rv(line1, line2, WGS72)], t)
    lat, lon, _ = ecef_to_geodetic(r[0])
    node = np.flatnonzero((lat[:-1] < 0) & (lat[1:] >= 0))[0]
    local_hours = ((t[node] % 86_400) / 3_600 + math.degrees(lon[node]) / 15) % 24
    assert local_hours == pytest.approx(22.5, abs=2 / 60)


def test_raan_moves_with_the_requested_local_time() -> None:
    assert (raan_for_ltan(EPOCH, 23.5) - raan_for_ltan(EPOCH, 22.5)) % 360 == pytest.approx(15)


def test_an_altitude_without_sun_synchronous_orbit_is_refused() -> None:
    with pytest.raises(ValueError, match="no sun-synchronous orbit"):
        sso_inclination_deg(8_000.0)
