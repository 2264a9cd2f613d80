"""The archive catalog's tables: STAC collections and their items (SQLAlchemy Core).

Items keep their STAC document in parts: the GeoJSON geometry and its bounding
box (indexed by PostGIS GiST or an SQLite R*Tree, see ``spatial_ddl``), the
acquisition time, and the common queryables copied out of the properties into
plain columns so that searches on them use ordinary B-tree indexes. Everything
else stays in ``properties`` and ``assets`` as JSON.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, String, Table, Text, UniqueConstraint

from skyorder.store.tables import ID, PK, metadata
from skyorder.store.types import UTCDateTime, json_type

COLLECTION_ID = 100
ITEM_ID = 200

collections = Table(
    "collections",
    metadata,
    Column("id", String(COLLECTION_ID), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("license", String(100), nullable=False),
    Column("document", json_type(), nullable=False),
    # the provider organisation that writes it and its items (NULL: only the operator)
    Column("owner_id", String(ID), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

catalog_items = Table(
    "catalog_items",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ITEM_ID), nullable=False),
    Column("collection_id", String(COLLECTION_ID), ForeignKey("collections.id"), nullable=False),
    Column("datetime", UTCDateTime, nullable=False),
    Column("geometry", json_type(), nullable=False),
    Column("min_x", Float, nullable=False),
    Column("min_y", Float, nullable=False),
    Column("max_x", Float, nullable=False),
    Column("max_y", Float, nullable=False),
    Column("cloud_cover", Float, nullable=True),
    Column("off_nadir", Float, nullable=True),
    Column("sun_elevation", Float, nullable=True),
    Column("gsd", Float, nullable=True),
    Column("platform", String(100), nullable=True),
    Column("constellation", String(100), nullable=True),
    Column("properties", json_type(), nullable=False),
    Column("assets", json_type(), nullable=False),
    Column("stac_extensions", json_type(), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # the stable catalogue UUID, distinct from the source id (found without the collection)
    Column("uuid", String(36), nullable=True),
    UniqueConstraint("collection_id", "id", name="uq_catalog_items_collection_id"),
    Index("ix_catalog_items_uuid", "uuid", unique=True),
    Index("ix_catalog_items_datetime", "datetime"),
    Index("ix_catalog_items_collection_datetime", "collection_id", "datetime"),
    Index("ix_catalog_items_cloud_cover", "cloud_cover"),
    Index("ix_catalog_items_id", "id"),
)
