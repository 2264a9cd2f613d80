"""What a capture images on the ground: its centre line, and its priority as a number.

A capture records the satellite's sub-track (``ground_track``: longitude, latitude and
the satellite's altitude in metres) and the strip it images (``footprint``). Aleph shows
a capture as the line along the middle of the imaged strip, on the ground: the
sub-track's shape moved onto the strip's centre, clipped to the strip, with the ground
height (km above the ellipsoid; 0 without a terrain model) as the third coordinate.
"""

from __future__ import annotations

import json
from typing import Any

import shapely
import shapely.geometry
from shapely.affinity import translate
from shapely.geometry import LineString, shape

from skyorder.core.orders import Priority

GROUND_HEIGHT_KM = 0.0
"""The height of the imaged ground: the ellipsoid (skyorder has no terrain model)."""

PRIORITY_RANK = {Priority.STANDARD: 50, Priority.RUSH: 75}
"""A capture's numeric priority (Aleph's ``metadata.priority``) by its item's class.

The planner serves higher numbers first and lets a rush capture (75) take a standard
one's (50) satellite time; within a class, the earlier window end goes first.
"""


def product_footprint(
    aoi: dict[str, Any] | None, source: dict[str, Any] | None
) -> dict[str, Any] | None:
    """A product's polygon: the ordered AOI clipped to its scene or strip.

    A point (or no AOI) orders the whole scene; without a known source the AOI stands.
    """
    whole = aoi is None or aoi.get("type") == "Point"
    if source is None:
        return None if whole else aoi
    if whole:
        return source
    assert aoi is not None
    clipped = shape(aoi).intersection(shape(source))
    if clipped.is_empty or clipped.area == 0:
        return source
    rounded = shapely.set_precision(clipped, 1e-9)
    out: dict[str, Any] = shapely.geometry.mapping(rounded)
    stored: dict[str, Any] = json.loads(json.dumps(out))  # tuples to lists, as stored
    return stored


def _line(coords: Any) -> list[list[float]]:
    return [[round(x, 9), round(y, 9), GROUND_HEIGHT_KM] for x, y, *_ in coords]


def imaged_centre_line(
    ground_track: dict[str, Any] | None, footprint: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The 3-D GeoJSON LineString along the middle of the imaged strip (None if unknown)."""
    if not footprint:
        return None
    strip = shape(footprint)
    if strip.is_empty:
        return None
    centre = strip.centroid
    track = shape(ground_track) if ground_track else None
    if isinstance(track, LineString) and track.length > 0:
        mid = track.interpolate(0.5, normalized=True)
        moved = translate(LineString([c[:2] for c in track.coords]), centre.x - mid.x,
                          centre.y - mid.y)  # fmt: skip
        line = moved.intersection(strip) if strip.area > 0 else moved
        if isinstance(line, LineString) and not line.is_empty and line.length > 0:
            return {"type": "LineString", "coordinates": _line(line.coords)}
        if not line.is_empty and hasattr(line, "geoms"):
            longest = max(line.geoms, key=lambda g: g.length)
            if isinstance(longest, LineString) and longest.length > 0:
                return {"type": "LineString", "coordinates": _line(longest.coords)}
    # No sub-track: the strip's long axis through its centre.
    rect = shapely.minimum_rotated_rectangle(strip)
    corners = list(rect.exterior.coords)[:4] if hasattr(rect, "exterior") else []
    if len(corners) < 4:
        return {"type": "LineString", "coordinates": _line([centre.coords[0]] * 2)}
    a, b, c, d = corners
    side1 = LineString([a, b]).length
    side2 = LineString([b, c]).length
    ends = ((a, b), (d, c)) if side1 <= side2 else ((a, d), (b, c))
    mids = [((p[0] + q[0]) / 2, (p[1] + q[1]) / 2) for p, q in ends]
    return {"type": "LineString", "coordinates": _line(mids)}
