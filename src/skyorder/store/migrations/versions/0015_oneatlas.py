"""Catalogue UUIDs, and km² subscriptions with what orders drew from them.

Each archive scene gets a stable UUID distinct from its source id.

OneAtlas-style clients order a scene by its catalogue UUID alone, without naming its
collection; the scene's own id (``DS_PHR1A_...``) stays its source id. Existing scenes
get the UUID derived from their collection and id (``core.catalog.scene_uuid``), the one
new scenes get when none is given. A contract may hold km² subscriptions: a quota per
period that orders draw from (``subscription_draws``, one row per order).

Revision ID: 0015
Revises: 0013
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

SCENE_NAMESPACE = uuid.UUID("5b0f3c38-8a51-4d1e-9a57-6f3e2f1c9d40")  # core.catalog's
BATCH = 1000


def upgrade() -> None:
    op.add_column("catalog_items", sa.Column("uuid", sa.String(36), nullable=True))
    bind = op.get_bind()
    items = sa.table(
        "catalog_items",
        sa.column("pk", sa.BigInteger),
        sa.column("id", sa.String),
        sa.column("collection_id", sa.String),
        sa.column("uuid", sa.String),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(items.c.pk, items.c.id, items.c.collection_id)
            .where(items.c.pk > last)
            .order_by(items.c.pk)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            items.update().where(items.c.pk == sa.bindparam("row_pk")),
            [
                {
                    "row_pk": r.pk,
                    "uuid": str(uuid.uuid5(SCENE_NAMESPACE, f"{r.collection_id}/{r.id}")),
                }
                for r in rows
            ],
        )
        last = rows[-1].pk
    op.create_index("ix_catalog_items_uuid", "catalog_items", ["uuid"], unique=True)
    op.create_table(
        "km2_subscriptions",
        sa.Column("pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("contract_id", sa.String(36), sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("quota_km2", sa.Float, nullable=False),
        sa.Column("period_months", sa.Integer, nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_km2_subscriptions_contract", "km2_subscriptions", ["contract_id"])
    op.create_table(
        "subscription_draws",
        sa.Column("pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("subscription_id", sa.String(36), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False, unique=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("km2", sa.Float, nullable=False),
        sa.Column("given_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_subscription_draws_period", "subscription_draws", ["subscription_id", "period_start"]
    )


def downgrade() -> None:
    op.drop_table("subscription_draws")
    op.drop_table("km2_subscriptions")
    op.drop_index("ix_catalog_items_uuid", table_name="catalog_items")
    with op.batch_alter_table("catalog_items") as batch:
        batch.drop_column("uuid")
