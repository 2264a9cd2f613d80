"""Geometry rules for areas of interest and footprints (GeoJSON in WGS84).

An AOI must be a GeoJSON Point, Polygon or MultiPolygon with numeric
coordinates inside the WGS84 range, closed rings of at least four positions,
no self-intersection, and no more vertices than the deployment allows. Each
rule names the field and says what to change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from skyorder.core.errors import ValidationFailed

AOI_TYPES = ("Point", "Polygon", "MultiPolygon")
DEFAULT_MAX_VERTICES = 10_000
MAX_ABS_LATITUDE = 85.0
"""Orders and quotes take AOIs within this latitude (no priced coverage near the poles)."""


@dataclass(frozen=True)
class BBox:
    """A bounding box in degrees: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    def as_list(self) -> list[float]:
        """Return ``[west, south, east, north]``."""
        return [self.west, self.south, self.east, self.north]


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an integer too large for a float
        return False


def _position(value: Any, path: str) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise ValidationFailed.on(path, "a position must be [longitude, latitude] or with altitude")
    for i, c in enumerate(value):
        if isinstance(c, bool) or not isinstance(c, int | float) or not _finite(c):
            raise ValidationFailed.on(f"{path}[{i}]", "coordinates must be finite numbers")
    lon, lat = float(value[0]), float(value[1])
    if not -180.0 <= lon <= 180.0:
        raise ValidationFailed.on(f"{path}[0]", f"longitude {lon} is outside -180..180")
    if not -90.0 <= lat <= 90.0:
        raise ValidationFailed.on(f"{path}[1]", f"latitude {lat} is outside -90..90")
    return lon, lat


def _ring(value: Any, path: str) -> int:
    if not isinstance(value, list):
        raise ValidationFailed.on(path, "a linear ring must be an array of positions")
    if len(value) < 4:
        raise ValidationFailed.on(path, "a linear ring needs at least 4 positions (closed)")
    points = [_position(p, f"{path}[{i}]") for i, p in enumerate(value)]
    if points[0] != points[-1]:
        raise ValidationFailed.on(
            path, "the ring is not closed: its last position must equal its first"
        )
    return len(points)


def _polygon(value: Any, path: str) -> int:
    if not isinstance(value, list) or not value:
        raise ValidationFailed.on(path, "a polygon must be a non-empty array of linear rings")
    return sum(_ring(r, f"{path}[{i}]") for i, r in enumerate(value))


def parse_aoi(
    value: Any, field: str = "aoi", max_vertices: int = DEFAULT_MAX_VERTICES
) -> BaseGeometry:
    """Validate a GeoJSON AOI and return it as a shapely geometry.

    Raises:
        ValidationFailed: naming ``field`` (or a path inside it) and the broken rule.
    """
    if not isinstance(value, dict):
        raise ValidationFailed.on(field, "must be a GeoJSON geometry object")
    kind = value.get("type")
    if kind not in AOI_TYPES:
        raise ValidationFailed.on(
            f"{field}.type", f"must be one of {', '.join(AOI_TYPES)}, got {kind!r}"
        )
    coords = value.get("coordinates")
    path = f"{field}.coordinates"
    if coords is None:
        raise ValidationFailed.on(path, "is required")
    if kind == "Point":
        _position(coords, path)
        vertices = 1
    elif kind == "Polygon":
        vertices = _polygon(coords, path)
    else:
        if not isinstance(coords, list) or not coords:
            raise ValidationFailed.on(path, "a MultiPolygon needs at least one polygon")
        vertices = sum(_polygon(p, f"{path}[{i}]") for i, p in enumerate(coords))
    if vertices > max_vertices:
        raise ValidationFailed.on(
            path, f"has {vertices} vertices; at most {max_vertices} are allowed, simplify the AOI"
        )
    geom = shape({"type": kind, "coordinates": coords})
    if kind != "Point" and shapely.make_valid(geom).area == 0:
        raise ValidationFailed.on(field, _no_area(geom))
    if not geom.is_valid:
        raise ValidationFailed.on(
            field, f"is not a valid geometry ({explain_validity(geom)}); fix self-intersections"
        )
    return geom


def _no_area(geom: BaseGeometry) -> str:
    """Why a polygon encloses nothing, with the form that works for a ring around a pole.

    GeoJSON edges are straight lines in longitude/latitude (RFC 7946), so a ring
    drawn along a parallel from -180° to 180° and back encloses no area: it does
    not circle the pole it seems to.
    """
    west, south, east, north = geom.bounds
    if east - west < 360.0:
        return "has zero area: its vertices are collinear or repeated"
    lat = f"{north:g}" if north == south else f"{south:g}..{north:g}"
    pole = "90" if north > 0 else "-90"
    edge = f"{north:g}" if north > 0 else f"{south:g}"
    return (
        f"has zero area: it runs along latitude {lat} from -180° to 180° and back, and "
        "GeoJSON edges are straight in longitude/latitude (RFC 7946), so a ring cannot "
        f"circle a pole; draw a polar cap as [[-180,{edge}],[180,{edge}],[180,{pole}],"
        f"[-180,{pole}],[-180,{edge}]] (orders and quotes take AOIs within "
        f"±{MAX_ABS_LATITUDE:g}° latitude)"
    )


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """Return a shapely geometry as a GeoJSON mapping."""
    mapping: dict[str, Any] = _lists(shapely.geometry.mapping(geom))
    return mapping


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def bbox_of(geojson: dict[str, Any]) -> BBox:
    """Return the bounding box of a GeoJSON geometry."""
    west, south, east, north = shape(geojson).bounds
    return BBox(west, south, east, north)


def parse_bbox(value: str, field: str = "bbox") -> BBox:
    """Parse ``west,south,east,north`` in degrees."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ValidationFailed.on(field, "must be four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValidationFailed.on(field, "must be four numbers: west,south,east,north") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValidationFailed.on(field, "must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationFailed.on(field, "is outside WGS84 or has south above north")
    if west > east:
        raise ValidationFailed.on(field, "west is greater than east (antimeridian boxes: split)")
    return BBox(west, south, east, north)


def intersects(geojson: dict[str, Any], box: BBox) -> bool:
    """Exact test: does the geometry intersect the box."""
    return bool(shape(geojson).intersects(shapely.box(box.west, box.south, box.east, box.north)))


def right_handed(geojson: dict[str, Any]) -> dict[str, Any]:
    """A Polygon or MultiPolygon with its rings wound as RFC 7946 says (exterior rings
    counter-clockwise, holes clockwise); positions are kept exactly, a ring wound the
    other way is reversed from its first position. Other geometries are returned as is."""
    kind = geojson.get("type")
    if kind == "Polygon":
        return {**geojson, "coordinates": _wound(geojson["coordinates"])}
    if kind == "MultiPolygon":
        return {**geojson, "coordinates": [_wound(p) for p in geojson["coordinates"]]}
    return geojson


def _wound(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    out = []
    for index, ring in enumerate(rings):
        # twice the signed area (shoelace): positive when the ring turns counter-clockwise
        turn = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))
        clockwise_wanted = index > 0
        out.append([list(p) for p in (ring[::-1] if (turn < 0) != clockwise_wanted else ring)])
    return out
