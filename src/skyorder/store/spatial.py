"""Index-backed spatial filters: PostGIS GiST on PostgreSQL, R*Tree plus shapely on SQLite."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, column, func, literal_column, select, table
from sqlalchemy.engine import Connection

from skyorder.core.geometry import BBox, intersects
from skyorder.store.spatial_ddl import SPATIAL_TABLES, rtree_name


def intersects_bbox(conn: Connection, tbl: Table, box: BBox) -> ColumnElement[bool]:
    """A condition on ``tbl`` true for rows whose geometry intersects ``box`` exactly."""
    geo_column = SPATIAL_TABLES[tbl.name]
    if conn.dialect.name == "postgresql":
        envelope = func.ST_MakeEnvelope(box.west, box.south, box.east, box.north, 4326)
        return func.ST_Intersects(literal_column(f"{tbl.name}.geom"), envelope)
    rtree = table(
        rtree_name(tbl.name),
        column("id"),
        column("min_x"),
        column("max_x"),
        column("min_y"),
        column("max_y"),
    )
    candidates = select(rtree.c.id).where(
        rtree.c.max_x >= box.west,
        rtree.c.min_x <= box.east,
        rtree.c.max_y >= box.south,
        rtree.c.min_y <= box.north,
    )
    rows = conn.execute(select(tbl.c.pk, tbl.c[geo_column]).where(tbl.c.pk.in_(candidates))).all()
    exact = [pk for pk, geojson in rows if geojson and intersects(geojson, box)]
    return tbl.c.pk.in_(exact)
