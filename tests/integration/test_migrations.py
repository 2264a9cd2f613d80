"""The migrations build exactly the schema the code declares."""

from __future__ import annotations

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SAWarning

from skyorder.store import catalog_tables  # noqa: F401  (registers the catalog tables)
from skyorder.store.tables import metadata


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Skip what the spatial DDL adds outside the metadata (R*Trees, PostGIS columns)."""
    if type_ == "table" and name is not None and ("_rtree" in name or name == "spatial_ref_sys"):
        return False
    if type_ == "column" and name == "geom":
        return False
    return not (type_ == "index" and name is not None and "_geom" in name)


def test_the_migrated_database_matches_the_declared_tables(engine: Engine) -> None:
    with warnings.catch_warnings(), engine.connect() as conn:
        # SQLAlchemy does not know PostGIS's geometry type; those columns are skipped anyway.
        warnings.filterwarnings("ignore", "Did not recognize type 'geometry'", SAWarning)
        context = MigrationContext.configure(
            conn, opts={"include_object": _ours, "compare_type": False}
        )
        diff = compare_metadata(context, metadata)
    assert diff == []
