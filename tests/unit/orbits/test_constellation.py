"""The demo constellation and constellation files."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from skyorder.orbits.constellation import (
    Constellation,
    ConstellationError,
    SatelliteStatus,
    constellation_from_dict,
    constellation_to_dict,
    load_constellation,
)
from skyorder.orbits.demo import build_demo_constellation
from skyorder.orbits.ephemeris import propagate_grid, satrecs
from skyorder.orbits.frames import ecef_to_geodetic, julian_dates, unix_seconds
from skyorder.orbits.tle import check_tle, sso_inclination_deg, tle_epoch
from tests.unit.orbits.conftest import T0

DAYS_30 = unix_seconds(T0) + np.arange(0.0, 30 * 86_400.0, 120.0)


@pytest.fixture
def document(constellation: Constellation) -> dict[str, Any]:
    return copy.deepcopy(constellation_to_dict(constellation))


def test_demo_has_at_least_24_satellites(constellation: Constellation) -> None:
    assert len(constellation.satellites) >= 24


def test_demo_has_several_sensor_types(constellation: Constellation) -> None:
    names = {s.name for s in constellation.sensors}
    assert {"micro", "PHR", "vhr30", "hyperspectral"} <= names
    assert {s.sensor.name for s in constellation.satellites} == names


def test_phr_sensor_has_half_metre_pan_and_two_metre_multispectral(
    constellation: Constellation,
) -> None:
    gsd = {band.name: band.gsd_m for band in constellation.sensor("PHR").bands}
    assert gsd["pan"] == 0.5 and gsd["red"] == 2.0


def test_every_demo_tle_has_valid_checksums(constellation: Constellation) -> None:
    for sat in constellation.satellites:
        check_tle(sat.tle_line1, sat.tle_line2)


def test_every_demo_tle_is_parsed_by_sgp4(constellation: Constellation) -> None:
    for sat in constellation.satellites:
        assert Satrec.twoline2rv(sat.tle_line1, sat.tle_line2, WGS72).error == 0


def test_every_demo_satellite_propagates_30_days_without_error(
    constellation: Constellation,
) -> None:
    jd, fr = julian_dates(DAYS_30)
    for record in satrecs(constellation.satellites):
        errors, _, _ = record.sgp4_array(jd, fr)
        assert not errors.any()


def test_every_demo_satellite_flies_between_450_and_620_km(constellation: Constellation) -> None:
    r, _ = propagate_grid(satrecs(constellation.satellites), DAYS_30)
    _, _, height = ecef_to_geodetic(r)
    assert 450.0 <= height.min() and height.max() <= 620.0


def test_every_demo_satellite_is_sun_synchronous(constellation: Constellation) -> None:
    for record in satrecs(constellation.satellites):
        a_km = record.a * 6378.135  # semi-major axis in Earth radii (WGS72)
        expected = sso_inclination_deg(a_km - 6378.135, record.ecco)
        assert math.degrees(record.inclo) == pytest.approx(expected, abs=0.1)


def test_demo_epochs_are_around_2026_11_20(constellation: Constellation) -> None:
    for sat in constellation.satellites:
        assert abs((tle_epoch(sat.tle_line1) - T0).days) <= 1


def test_demo_satellites_are_spread_over_planes_and_phases(constellation: Constellation) -> None:
    elements = {(sat.tle_line2[17:25], sat.tle_line2[43:51]) for sat in constellation.satellites}
    planes = {raan for raan, _ in elements}
    assert len(elements) == len(constellation.satellites)
    assert len(planes) >= 6


def test_shipped_file_is_what_the_generator_makes(constellation: Constellation) -> None:
    assert constellation == build_demo_constellation()


def test_a_provider_file_is_loaded(tmp_path: Path, document: dict[str, Any]) -> None:
    document["name"] = "provider"
    document["satellites"] = document["satellites"][:2]
    path = tmp_path / "constellation.json"
    path.write_text(json.dumps(document), "utf-8")
    loaded = load_constellation(path)
    assert loaded.name == "provider" and len(loaded.satellites) == 2


def test_round_trip_through_the_document_is_lossless(constellation: Constellation) -> None:
    assert constellation_from_dict(constellation_to_dict(constellation)) == constellation


def test_status_defaults_to_operational(document: dict[str, Any]) -> None:
    del document["satellites"][0]["status"]
    sat = constellation_from_dict(document).satellites[0]
    assert sat.status is SatelliteStatus.OPERATIONAL


def test_a_bad_checksum_is_reported_with_the_satellites_path(document: dict[str, Any]) -> None:
    line = document["satellites"][3]["tle_line1"]
    document["satellites"][3]["tle_line1"] = line[:-1] + str((int(line[-1]) + 1) % 10)
    with pytest.raises(ConstellationError, match=r"satellites\[3\]: line 1 checksum"):
        constellation_from_dict(document)


def test_an_unknown_sensor_is_reported(document: dict[str, Any]) -> None:
    document["satellites"][0]["sensor"] = "sar"
    with pytest.raises(ConstellationError, match=r"satellites\[0\]\.sensor: unknown sensor"):
        constellation_from_dict(document)


def test_a_missing_field_is_reported(document: dict[str, Any]) -> None:
    del document["sensors"][1]["swath_km"]
    with pytest.raises(ConstellationError, match=r"sensors\[1\]\.swath_km: missing"):
        constellation_from_dict(document)


def test_an_out_of_range_value_is_reported(document: dict[str, Any]) -> None:
    document["sensors"][0]["max_off_nadir_deg"] = 95
    with pytest.raises(ConstellationError, match=r"max_off_nadir_deg: 95.0 is outside"):
        constellation_from_dict(document)


def test_a_norad_id_that_does_not_match_the_tle_is_reported(document: dict[str, Any]) -> None:
    document["satellites"][0]["norad_id"] = 12_345
    with pytest.raises(ConstellationError, match="not 12345"):
        constellation_from_dict(document)


def test_duplicate_satellite_names_are_refused(document: dict[str, Any]) -> None:
    document["satellites"][1]["name"] = document["satellites"][0]["name"]
    with pytest.raises(ConstellationError, match="appears twice"):
        constellation_from_dict(document)


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "constellation.json"
    path.write_text("{not json", "utf-8")
    with pytest.raises(ConstellationError, match="not valid JSON"):
        load_constellation(path)


def test_unknown_satellite_name_raises_key_error(constellation: Constellation) -> None:
    with pytest.raises(KeyError):
        constellation.satellite("NOPE-1")
