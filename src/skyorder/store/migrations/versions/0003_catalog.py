"""Archive catalog: STAC collections and items, with a spatial index on item geometry.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from skyorder.store.spatial_ddl import drop_spatial_index, install_spatial_index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)
PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "collections",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("license", sa.String(100), nullable=False),
        sa.Column("document", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "catalog_items",
        sa.Column("pk", PK, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("collection_id", sa.String(100), sa.ForeignKey("collections.id"), nullable=False),
        sa.Column("datetime", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geometry", JSON_TYPE, nullable=False),
        sa.Column("min_x", sa.Float(), nullable=False),
        sa.Column("min_y", sa.Float(), nullable=False),
        sa.Column("max_x", sa.Float(), nullable=False),
        sa.Column("max_y", sa.Float(), nullable=False),
        sa.Column("cloud_cover", sa.Float(), nullable=True),
        sa.Column("off_nadir", sa.Float(), nullable=True),
        sa.Column("sun_elevation", sa.Float(), nullable=True),
        sa.Column("gsd", sa.Float(), nullable=True),
        sa.Column("platform", sa.String(100), nullable=True),
        sa.Column("constellation", sa.String(100), nullable=True),
        sa.Column("properties", JSON_TYPE, nullable=False),
        sa.Column("assets", JSON_TYPE, nullable=False),
        sa.Column("stac_extensions", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("collection_id", "id", name="uq_catalog_items_collection_id"),
    )
    op.create_index("ix_catalog_items_datetime", "catalog_items", ["datetime"])
    op.create_index(
        "ix_catalog_items_collection_datetime", "catalog_items", ["collection_id", "datetime"]
    )
    op.create_index("ix_catalog_items_cloud_cover", "catalog_items", ["cloud_cover"])
    op.create_index("ix_catalog_items_id", "catalog_items", ["id"])
    install_spatial_index(op.get_bind(), "catalog_items", "geometry")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # The common archive search (where, when, how cloudy) in one GiST scan.
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
        bind.exec_driver_sql(
            "CREATE INDEX ix_catalog_items_geom_datetime_cloud ON catalog_items "
            "USING GIST (geom, datetime, cloud_cover)"
        )


def downgrade() -> None:
    drop_spatial_index(op.get_bind(), "catalog_items")
    op.drop_table("catalog_items")
    op.drop_table("collections")
