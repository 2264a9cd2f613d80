"""Index-backed geometry tests on catalog items, the way each database does them.

PostgreSQL: PostGIS predicates on the trigger-maintained ``geom`` column, which
the GiST index serves. SQLite: the R*Tree narrows the rows to those whose
bounding box meets the query's, then a shapely predicate registered as the SQL
function ``skyorder_geo`` decides exactly; both are plain SQL conditions, so
they combine with ``OR`` and ``NOT`` like any other.
"""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    ColumnElement,
    and_,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.engine import Connection

from skyorder.core.geometry import BBox
from skyorder.store.catalog_tables import catalog_items as items
from skyorder.store.spatial_ddl import rtree_name

SQL_FUNCTION = "skyorder_geo"
POSTGIS = {
    "s_intersects": "ST_Intersects",
    "s_disjoint": "ST_Disjoint",
    "s_within": "ST_Within",
    "s_contains": "ST_Contains",
    "s_equals": "ST_Equals",
    "s_touches": "ST_Touches",
    "s_overlaps": "ST_Overlaps",
    "s_crosses": "ST_Crosses",
}
_RTREE = table(
    rtree_name("catalog_items"),
    column("id"),
    column("min_x"),
    column("max_x"),
    column("min_y"),
    column("max_y"),
)


@lru_cache(maxsize=256)
def _query_geometry(text: str) -> BaseGeometry:
    geom = shape(json.loads(text))
    shapely.prepare(geom)
    return geom


def _predicate(name: str, item_text: str | None, query_text: str) -> int | None:
    """The exact test, as SQLite calls it: ``name`` is the CQL2 function, item first."""
    if item_text is None:
        return None
    item = shape(json.loads(item_text))
    query = _query_geometry(query_text)
    tests = {
        "s_intersects": lambda: shapely.intersects(query, item),
        "s_disjoint": lambda: shapely.disjoint(query, item),
        "s_within": lambda: shapely.contains(query, item),
        "s_contains": lambda: shapely.within(query, item),
        "s_equals": lambda: shapely.equals(query, item),
        "s_touches": lambda: shapely.touches(query, item),
        "s_overlaps": lambda: shapely.overlaps(query, item),
        "s_crosses": lambda: shapely.crosses(query, item),
    }
    return int(bool(tests[name]()))


def register_sqlite_functions(conn: Connection) -> None:
    """Make ``skyorder_geo`` callable on this SQLite connection (idempotent, cheap)."""
    raw = conn.connection.driver_connection
    if isinstance(raw, sqlite3.Connection):
        raw.create_function(SQL_FUNCTION, 3, _predicate, deterministic=True)


def _boxes(box: BBox) -> list[BBox]:
    """A box across the antimeridian (west > east) as its two halves."""
    if box.west <= box.east:
        return [box]
    return [
        BBox(box.west, box.south, 180.0, box.north),
        BBox(-180.0, box.south, box.east, box.north),
    ]


def _rtree_candidates(boxes: list[BBox]) -> ColumnElement[bool]:
    conditions = [
        items.c.pk.in_(
            select(_RTREE.c.id).where(
                _RTREE.c.max_x >= b.west,
                _RTREE.c.min_x <= b.east,
                _RTREE.c.max_y >= b.south,
                _RTREE.c.min_y <= b.north,
            )
        )
        for b in boxes
    ]
    return conditions[0] if len(conditions) == 1 else or_(*conditions)


def _bounds(geojson: dict[str, Any]) -> list[BBox]:
    west, south, east, north = shape(geojson).bounds
    return [BBox(west, south, east, north)]


def spatial_condition(dialect: str, predicate: str, geojson: dict[str, Any]) -> ColumnElement[bool]:
    """Rows whose footprint satisfies ``predicate`` (a CQL2 spatial function) with ``geojson``."""
    text = json.dumps(geojson, separators=(",", ":"))
    if dialect == "postgresql":
        other = func.ST_SetSRID(func.ST_GeomFromGeoJSON(literal(text)), 4326)
        test: ColumnElement[bool] = getattr(func, POSTGIS[predicate])(
            literal_column("catalog_items.geom"), other
        )
        return test
    exact = func.skyorder_geo(predicate, items.c.geometry, literal(text)) == 1
    if predicate == "s_disjoint":
        return exact
    return and_(_rtree_candidates(_bounds(geojson)), exact)


def bbox_condition(dialect: str, box: BBox) -> ColumnElement[bool]:
    """Rows whose footprint intersects ``box`` (a box across the antimeridian works too)."""
    boxes = _boxes(box)
    if dialect == "postgresql":
        tests = [
            func.ST_Intersects(
                literal_column("catalog_items.geom"),
                func.ST_MakeEnvelope(b.west, b.south, b.east, b.north, 4326),
            )
            for b in boxes
        ]
        return tests[0] if len(tests) == 1 else or_(*tests)
    polygons = [
        [
            [
                [b.west, b.south],
                [b.east, b.south],
                [b.east, b.north],
                [b.west, b.north],
                [b.west, b.south],
            ]
        ]
        for b in boxes
    ]
    geojson = {"type": "MultiPolygon", "coordinates": polygons}
    text = json.dumps(geojson, separators=(",", ":"))
    exact = func.skyorder_geo("s_intersects", items.c.geometry, literal(text)) == 1
    return and_(_rtree_candidates(boxes), exact)
