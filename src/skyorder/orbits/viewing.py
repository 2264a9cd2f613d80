"""Viewing geometry: off-nadir and elevation angles, and the AOI as points to look at.

Off-nadir is the angle at the satellite between its nadir (the geodetic vertical, the
direction to its sub-satellite point on the ellipsoid) and the line of sight to a target;
elevation is the angle of the satellite above the target's local horizontal; the
incidence angle is 90 degrees minus the elevation.

A polygon AOI is looked at through "probes": the vertices of its rings, densified so
that no two are more than ``spacing_km`` apart (10 km; wider for AOIs whose outline
would need more than 256 probes), plus a reference point inside it. The nearest part of
a polygon seen from a satellite outside it lies on its boundary, and the farthest at a
vertex, so the probes give the off-nadir range over the AOI, and the moment it comes into
reach, to within what the spacing allows (tens of metres, a few milliseconds). When the
nadir point is inside the polygon, the smallest off-nadir angle is zero.

Coordinates are lon/lat on WGS84; an AOI crossing the antimeridian must be split first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from skyorder.orbits.frames import (
    FloatArray,
    geodetic_to_ecef,
    local_east_north,
    local_up,
)

DEFAULT_PROBE_SPACING_KM = 10.0
MAX_PROBES = 256
KM_PER_DEGREE = 111.32

Aoi = Point | Polygon | MultiPolygon


def look_angles(
    sat: FloatArray, nadir: FloatArray, target: FloatArray, target_up: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Off-nadir and elevation (rad) of targets seen from satellites; arrays broadcast.

    Args:
        sat: Satellite positions (..., 3), ECEF km.
        nadir: Unit nadir directions at the satellites (..., 3).
        target: Target positions (..., 3), ECEF km.
        target_up: Unit ellipsoid normals at the targets (..., 3).
    """
    line_of_sight = target - sat
    distance = np.sqrt(np.sum(line_of_sight * line_of_sight, axis=-1))
    cos_off_nadir = np.sum(line_of_sight * nadir, axis=-1) / distance
    sin_elevation = -np.sum(line_of_sight * target_up, axis=-1) / distance
    return np.arccos(np.clip(cos_off_nadir, -1.0, 1.0)), np.arcsin(np.clip(sin_elevation, -1, 1))


def dot_table(a: FloatArray, b: FloatArray) -> FloatArray:
    """Dot products (n, P) of every vector of ``a`` (n, 3) with every vector of ``b`` (P, 3).

    Written out component by component: for these thin matrices that beats BLAS, whose
    threads only add contention on a busy machine.
    """
    table: FloatArray = a[:, 0, None] * b[None, :, 0]
    table += a[:, 1, None] * b[None, :, 1]
    table += a[:, 2, None] * b[None, :, 2]
    return table


def probe_cosines(
    sat: FloatArray, nadir: FloatArray, probes: FloatArray, probes_up: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Cosine of the off-nadir angle and sine of the elevation, (n, P), of probes (P, 3).

    Seen from satellites ``sat`` (n, 3); written as matrix products, no trigonometry.
    """
    distance = np.sqrt(
        np.maximum(
            np.sum(sat * sat, axis=1)[:, None]
            + np.sum(probes * probes, axis=1)[None, :]
            - 2.0 * dot_table(sat, probes),
            1e-12,
        )
    )
    cos_off_nadir = (dot_table(nadir, probes) - np.sum(sat * nadir, axis=1)[:, None]) / distance
    sin_elevation = (
        dot_table(sat, probes_up) - np.sum(probes * probes_up, axis=1)[None, :]
    ) / distance
    return cos_off_nadir, sin_elevation


def probe_angles(
    sat: FloatArray, nadir: FloatArray, probes: FloatArray, probes_up: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Off-nadir and elevation (rad) of every probe (P, 3) from every satellite (n, 3).

    The same angles as ``look_angles`` for an (n, P) grid.
    """
    cos_off_nadir, sin_elevation = probe_cosines(sat, nadir, probes, probes_up)
    return (
        np.arccos(np.clip(cos_off_nadir, -1.0, 1.0)),
        np.arcsin(np.clip(sin_elevation, -1.0, 1.0)),
    )


def azimuth_to(
    origin: FloatArray, lat: FloatArray, lon: FloatArray, other: FloatArray
) -> FloatArray:
    """Azimuth (rad, clockwise from north) of ``other`` seen from ``origin`` at (lat, lon)."""
    east, north = local_east_north(lat, lon)
    d = other - origin
    azimuth: FloatArray = np.mod(
        np.arctan2(np.sum(d * east, axis=-1), np.sum(d * north, axis=-1)), 2 * np.pi
    )
    return azimuth


def ground_range_km(
    off_nadir: FloatArray, radius_km: FloatArray, earth_km: FloatArray | float
) -> FloatArray:
    """Signed ground distance from nadir to where a ray ``off_nadir`` (rad) meets a sphere.

    Beyond the horizon the ray misses the Earth; the horizon distance is returned.
    """
    sin_look = radius_km / earth_km * np.sin(np.abs(off_nadir))
    horizon = np.arccos(np.minimum(1.0, earth_km / radius_km))
    central = np.where(
        sin_look < 1.0, np.arcsin(np.minimum(sin_look, 1.0)) - np.abs(off_nadir), horizon
    )
    distance: FloatArray = (
        np.sign(off_nadir) * earth_km * np.minimum(np.maximum(central, 0.0), horizon)
    )
    return distance


def access_central_angle(
    max_off_nadir: FloatArray, radius_km: FloatArray, earth_km: float
) -> FloatArray:
    """Largest Earth-centre angle (rad) between a satellite and a target it can image.

    Limited by the off-nadir angle and by the target's horizon (spherical Earth).
    """
    return ground_range_km(max_off_nadir, radius_km, earth_km) / earth_km


@dataclass(frozen=True)
class Target:
    """An AOI prepared for the access search (positions in ECEF km, angles in radians).

    Attributes:
        aoi: The (simplified, prepared) AOI geometry in lon/lat degrees.
        is_point: Whether the AOI is a single point.
        reference_lonlat: The point the pass geometry is reported for (degrees).
        reference: ECEF position of the reference point.
        reference_up: Ellipsoid normal at the reference point.
        probes_lonlat: (P, 2) lon/lat degrees of the probes (the reference point first).
        probes: (P, 3) ECEF positions of the probes.
        probes_up: (P, 3) ellipsoid normals at the probes.
        radius: Largest Earth-centre angle from the reference point to a probe.
        min_radius_km: Smallest geocentric radius among the probes.
    """

    aoi: BaseGeometry
    is_point: bool
    reference_lonlat: tuple[float, float]
    reference: FloatArray
    reference_up: FloatArray
    probes_lonlat: FloatArray
    probes: FloatArray
    probes_up: FloatArray
    radius: float
    min_radius_km: float

    def contains(self, lon_deg: FloatArray, lat_deg: FloatArray) -> NDArray[np.bool_]:
        """Whether each lon/lat point lies in the AOI (always False for a point AOI)."""
        if self.is_point:
            return np.zeros(np.shape(lon_deg), dtype=bool)
        inside: NDArray[np.bool_] = np.asarray(shapely.contains_xy(self.aoi, lon_deg, lat_deg))
        return inside


def _check_aoi(aoi: BaseGeometry) -> None:
    if not isinstance(aoi, Point | Polygon | MultiPolygon):
        raise ValueError(f"the AOI must be a Point, Polygon or MultiPolygon, not {aoi.geom_type}")
    if aoi.is_empty:
        raise ValueError("the AOI is empty")
    west, south, east, north = aoi.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("AOI coordinates must be longitude, latitude in degrees")
    if not isinstance(aoi, Point) and not aoi.is_valid:
        raise ValueError("the AOI polygon is not valid (self-intersecting or badly closed)")


def _reference(aoi: BaseGeometry) -> Point:
    if isinstance(aoi, Point):
        return aoi
    centroid = aoi.centroid
    return centroid if aoi.contains(centroid) else aoi.representative_point()


def make_target(aoi: BaseGeometry, spacing_km: float = DEFAULT_PROBE_SPACING_KM) -> Target:
    """Prepare an AOI (lon/lat degrees) for the access search.

    Raises:
        ValueError: the AOI is not a valid Point, Polygon or MultiPolygon in lon/lat.
    """
    _check_aoi(aoi)
    reference = _reference(aoi)
    shape = aoi
    lonlat = np.array([[reference.x, reference.y]])
    if not isinstance(aoi, Point):
        shape = aoi.simplify(0.1 / KM_PER_DEGREE, preserve_topology=True)
        perimeter_deg = float(shape.boundary.length)
        spacing_deg = max(spacing_km / KM_PER_DEGREE, perimeter_deg / MAX_PROBES)
        dense = shapely.segmentize(shape.boundary, spacing_deg)
        vertices = np.unique(shapely.get_coordinates(dense), axis=0)
        lonlat = np.vstack((lonlat, vertices))
        shapely.prepare(shape)
    lat, lon = np.radians(lonlat[:, 1]), np.radians(lonlat[:, 0])
    probes = geodetic_to_ecef(lat, lon, np.zeros_like(lat))
    units = probes / np.linalg.norm(probes, axis=1, keepdims=True)
    cos_spread = np.clip(np.sum(units * units[0], axis=1), -1.0, 1.0)
    return Target(
        aoi=shape,
        is_point=isinstance(aoi, Point),
        reference_lonlat=(float(lonlat[0, 0]), float(lonlat[0, 1])),
        reference=probes[0],
        reference_up=local_up(lat[0], lon[0]),
        probes_lonlat=lonlat,
        probes=probes,
        probes_up=local_up(lat, lon),
        radius=float(math.acos(float(cos_spread.min()))),
        min_radius_km=float(np.linalg.norm(probes, axis=1).min()),
    )
