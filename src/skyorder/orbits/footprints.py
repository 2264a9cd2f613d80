"""Ground tracks and approximate strip footprints of access windows, built in batches.

A strip is what a push-broom sensor images along its pass while rolled towards the AOI:
two lines parallel to the ground track, at the ground distances where the edges of the
field of view meet the Earth, over the along-track extent of the AOI (at least one scene
as long as the swath is wide). Edges are placed on the WGS84 ellipsoid with pyproj's
geodesic ``Geod.fwd``; the distances use a spherical Earth of the local radius, so the
strip is good to a few hundred metres, plenty for planning and display.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod
from shapely.geometry import LineString, Polygon

from skyorder.orbits.ephemeris import propagate_samples
from skyorder.orbits.frames import FloatArray, ecef_to_geodetic, local_east_north

TRACK_SPACING_S = 20.0
MAX_TRACK_SAMPLES = 33
STRIP_SAMPLES = 3
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Strips:
    """Where the strips of a batch of windows lie.

    Attributes:
        tca: Time (Unix s) at which each strip's along-track origin is at nadir.
        along_km: Along-track start and end of each strip, relative to nadir at ``tca``.
        cross_km: Signed cross-track distances of the two edges (positive to the right of
            the direction of travel).
        ground_speed_km_s: Speed of the sub-satellite point.
    """

    tca: FloatArray
    along_km: tuple[FloatArray, FloatArray]
    cross_km: tuple[FloatArray, FloatArray]
    ground_speed_km_s: FloatArray


def window_geometry(
    records: Sequence[Any],
    sat: NDArray[np.intp],
    span: tuple[FloatArray, FloatArray],
    strips: Strips,
) -> tuple[list[LineString], list[Polygon]]:
    """Ground tracks and strip footprints of windows (one SGP4 pass for both).

    Args:
        records: SGP4 records indexed by ``sat``.
        sat: Satellite index of each window.
        span: Start and end (Unix s) of each window.
        strips: Where each window's strip lies.

    Returns:
        Sub-satellite tracks from start to end (lon, lat in degrees, satellite altitude
        in metres), and strip polygons (lon, lat in degrees).
    """
    n = sat.size
    if n == 0:
        return [], []
    longest = float(np.max(span[1] - span[0]))
    track_samples = min(MAX_TRACK_SAMPLES, max(3, math.ceil(longest / TRACK_SPACING_S) + 1))
    track_t = _between(span[0], span[1], track_samples)
    along = _between(strips.along_km[0], strips.along_km[1], STRIP_SAMPLES)
    strip_t = strips.tca[:, None] + along / strips.ground_speed_km_s[:, None]
    times = np.concatenate((track_t.ravel(), strip_t.ravel()))
    which = np.concatenate((np.repeat(sat, track_samples), np.repeat(sat, STRIP_SAMPLES)))
    r, v = propagate_samples(records, which, times)
    lat, lon, height = ecef_to_geodetic(r)
    split = n * track_samples
    coords = np.column_stack(
        (np.degrees(lon[:split]), np.degrees(lat[:split]), height[:split] * 1000.0)
    )
    tracks = shapely.linestrings(coords, indices=np.repeat(np.arange(n), track_samples))
    east, north = local_east_north(lat[split:], lon[split:])
    heading = np.degrees(
        np.arctan2(np.sum(v[split:] * east, axis=1), np.sum(v[split:] * north, axis=1))
    )
    lon_deg, lat_deg = np.degrees(lon[split:]), np.degrees(lat[split:])
    edges = []
    for cross in strips.cross_km:
        distance = np.repeat(cross, STRIP_SAMPLES) * 1000.0
        edge_lon, edge_lat, _ = _GEOD.fwd(lon_deg, lat_deg, heading + 90.0, distance)
        edges.append(np.column_stack((edge_lon, edge_lat)).reshape(n, STRIP_SAMPLES, 2))
    ring = np.concatenate((edges[0], edges[1][:, ::-1], edges[0][:, :1]), axis=1)
    rings = shapely.linearrings(ring.reshape(-1, 2), indices=np.repeat(np.arange(n), ring.shape[1]))
    track_list: list[LineString] = np.asarray(tracks, dtype=object).tolist()
    strip_list: list[Polygon] = np.asarray(shapely.polygons(rings), dtype=object).tolist()
    return track_list, strip_list


def _between(first: FloatArray, last: FloatArray, samples: int) -> FloatArray:
    """``samples`` evenly spaced values from each ``first`` to each ``last`` (n, samples)."""
    return first[:, None] + (last - first)[:, None] * np.linspace(0.0, 1.0, samples)[None, :]
