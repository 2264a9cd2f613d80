"""Mean elements read from a TLE, for the satellite listing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skyorder.orbits.tle import TLEError, make_sso_tle, mean_elements, sso_inclination_deg

EPOCH = datetime(2026, 11, 20, tzinfo=UTC)


def test_a_generated_orbit_reads_back_its_design_values() -> None:
    line1, line2 = make_sso_tle(
        norad_id=99_500, epoch=EPOCH, altitude_km=500.0, ltan_hours=22.5, mean_anomaly_deg=0.0
    )
    elements = mean_elements(line1, line2)
    assert elements.epoch == EPOCH
    assert elements.altitude_km == pytest.approx(500.0, abs=0.5)
    assert elements.inclination_deg == pytest.approx(sso_inclination_deg(500.0), abs=0.001)
    assert elements.period_min == pytest.approx(94.6, abs=0.1)
    assert elements.perigee_km <= elements.altitude_km <= elements.apogee_km


def test_a_malformed_tle_is_refused() -> None:
    line1, line2 = make_sso_tle(
        norad_id=99_500, epoch=EPOCH, altitude_km=500.0, ltan_hours=22.5, mean_anomaly_deg=0.0
    )
    with pytest.raises(TLEError):
        mean_elements(line1[:-1] + str((int(line1[-1]) + 1) % 10), line2)
