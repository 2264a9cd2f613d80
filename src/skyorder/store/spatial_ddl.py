"""Spatial indexes installed by the migrations, one way per database.

PostgreSQL: PostGIS ``geom`` columns filled from the GeoJSON column by a trigger
and indexed with GiST. SQLite: an R*Tree virtual table per geometry-bearing
table, kept in step with the bounding-box columns by triggers. Either way the
repositories only write GeoJSON and a bounding box; the database keeps its
index right.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

# table -> the GeoJSON column its spatial index covers (every table, whichever migration made it)
SPATIAL_TABLES = {
    "order_items": "aoi",
    "captures": "footprint",
    "deliverables": "footprint",
    "catalog_items": "geometry",
}

# The tables migration 0001 created; later migrations call install_spatial_index themselves.
INITIAL_SPATIAL_TABLES = ("order_items", "captures", "deliverables")


def rtree_name(table: str) -> str:
    """The SQLite R*Tree table that indexes ``table``."""
    return f"{table}_rtree"


def install_spatial_indexes(conn: Connection) -> None:
    """Create the spatial index structures of migration 0001's tables."""
    for table in INITIAL_SPATIAL_TABLES:
        install_spatial_index(conn, table, SPATIAL_TABLES[table])


def drop_spatial_indexes(conn: Connection) -> None:
    """Remove what ``install_spatial_indexes`` created."""
    for table in INITIAL_SPATIAL_TABLES:
        drop_spatial_index(conn, table)


def install_spatial_index(conn: Connection, table: str, column: str) -> None:
    """Index ``table``'s GeoJSON ``column`` (and its bbox columns) the connected database's way."""
    if conn.dialect.name == "postgresql":
        _install_postgis(conn, table, column)
    else:
        _install_rtree(conn, table)


def drop_spatial_index(conn: Connection, table: str) -> None:
    """Remove what ``install_spatial_index`` created for ``table``."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_geom ON {table}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {table}_set_geom()")
        conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN IF EXISTS geom")
    else:
        for suffix in ("insert", "update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_rtree_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {rtree_name(table)}")


def _install_postgis(conn: Connection, table: str, column: str) -> None:
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN geom geometry(Geometry, 4326)")
    conn.exec_driver_sql(f"CREATE INDEX ix_{table}_geom ON {table} USING GIST (geom)")
    conn.exec_driver_sql(
        f"""
        CREATE FUNCTION {table}_set_geom() RETURNS trigger AS $$
        BEGIN
          IF NEW.{column} IS NULL OR jsonb_typeof(NEW.{column}) <> 'object' THEN
            NEW.geom := NULL;
          ELSE
            NEW.geom := ST_SetSRID(ST_GeomFromGeoJSON(NEW.{column}::text), 4326);
          END IF;
          RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER {table}_geom BEFORE INSERT OR UPDATE OF {column} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_set_geom()"
    )


def _install_rtree(conn: Connection, table: str) -> None:
    rtree = rtree_name(table)
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {rtree} USING rtree(id, min_x, max_x, min_y, max_y)"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER {table}_rtree_insert AFTER INSERT ON {table} "
        f"WHEN NEW.min_x IS NOT NULL BEGIN "
        f"INSERT INTO {rtree} VALUES (NEW.pk, NEW.min_x, NEW.max_x, NEW.min_y, NEW.max_y); END"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER {table}_rtree_update AFTER UPDATE OF min_x, min_y, max_x, max_y "
        f"ON {table} BEGIN DELETE FROM {rtree} WHERE id = OLD.pk; "
        f"INSERT INTO {rtree} SELECT NEW.pk, NEW.min_x, NEW.max_x, NEW.min_y, NEW.max_y "
        f"WHERE NEW.min_x IS NOT NULL; END"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER {table}_rtree_delete AFTER DELETE ON {table} "
        f"BEGIN DELETE FROM {rtree} WHERE id = OLD.pk; END"
    )
