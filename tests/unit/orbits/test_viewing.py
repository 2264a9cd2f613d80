"""Viewing geometry and AOI probes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Point, Polygon, box

from skyorder.orbits.frames import geodetic_to_ecef, local_up
from skyorder.orbits.viewing import (
    access_central_angle,
    ground_range_km,
    look_angles,
    make_target,
    probe_angles,
)

R = 6371.0


def test_a_target_straight_below_is_at_zero_off_nadir_and_zenith() -> None:
    lat, lon = np.radians(43.6), np.radians(1.44)
    sat = geodetic_to_ecef(lat, lon, np.array(500.0))
    ground = geodetic_to_ecef(lat, lon, np.array(0.0))
    up = local_up(lat, lon)
    off_nadir, elevation = look_angles(sat, -up, ground, up)
    assert off_nadir == pytest.approx(0.0, abs=1e-7)
    assert elevation == pytest.approx(math.pi / 2, abs=1e-7)


def test_probe_angles_match_look_angles() -> None:
    lat = np.radians(np.array([10.0, 40.0, -20.0]))
    lon = np.radians(np.array([0.0, 3.0, 100.0]))
    sats = geodetic_to_ecef(lat, lon, np.array([500.0, 550.0, 600.0]))
    nadir = -local_up(lat, lon)
    probe_lat, probe_lon = np.radians([11.0, 38.0]), np.radians([1.0, 2.0])
    probes = geodetic_to_ecef(probe_lat, probe_lon, np.zeros(2))
    ups = local_up(probe_lat, probe_lon)
    table = probe_angles(sats, nadir, probes, ups)
    pairwise = look_angles(sats[:, None], nadir[:, None], probes[None], ups[None])
    assert np.abs(table[0] - pairwise[0]).max() < 1e-9
    assert np.abs(table[1] - pairwise[1]).max() < 1e-9


def test_ground_range_is_zero_at_nadir_and_signed() -> None:
    angles = np.radians([-20.0, 0.0, 20.0])
    ranges = ground_range_km(angles, np.array(R + 500.0), R)
    assert ranges[1] == 0.0 and ranges[0] == -ranges[2]
    # A flat Earth would give 500 tan(20 deg) = 182 km; the curve adds a little.
    assert 182.0 < ranges[2] < 190.0


def test_beyond_the_horizon_the_ground_range_is_the_horizons() -> None:
    horizon = R * math.acos(R / (R + 500.0))
    assert ground_range_km(np.radians(np.array(85.0)), np.array(R + 500.0), R) == pytest.approx(
        horizon
    )


def test_access_angle_grows_with_the_off_nadir_limit() -> None:
    angles = access_central_angle(np.radians([10.0, 30.0, 45.0]), np.array(R + 500.0), R)
    assert np.all(np.diff(angles) > 0)


def test_a_point_target_is_its_own_reference_and_only_probe() -> None:
    target = make_target(Point(1.44, 43.6))
    assert target.is_point and target.reference_lonlat == (1.44, 43.6)
    assert target.probes.shape == (1, 3) and target.radius == 0.0


def test_polygon_probes_include_every_vertex() -> None:
    square = box(1.0, 43.0, 1.5, 43.4)
    target = make_target(square)
    probes = {tuple(np.round(p, 9)) for p in target.probes_lonlat}
    for vertex in square.exterior.coords:
        assert tuple(np.round(vertex, 9)) in probes


def test_polygon_probes_are_at_most_10_km_apart_along_the_boundary() -> None:
    square = box(1.0, 43.0, 1.5, 43.4)
    target = make_target(square)
    assert len(target.probes) >= 1 + square.exterior.length * 111.32 / 10.0 * 0.7
    assert target.aoi.contains(Point(target.reference_lonlat))


def test_a_concave_polygons_reference_point_is_inside_it() -> None:
    horseshoe = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3), (0, 0)])
    target = make_target(horseshoe)
    assert horseshoe.contains(Point(target.reference_lonlat))


def test_an_invalid_polygon_is_refused() -> None:
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    with pytest.raises(ValueError, match="not valid"):
        make_target(bowtie)
