"""Order items get their own cloud-delivery configuration; contracts billed monthly get
statements.

``order_items.cloud_delivery`` is the item's own configuration and path (null: the
order's); ``order_items.cloud_config_id`` the configuration its products are pushed to
(its own or the order's), so a configuration still in use is found by index. Existing
items of orders that name a configuration get its id. ``monthly_statements``: one row per
monthly contract and calendar month, what was owed in the month.

Revision ID: 0020
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)


def _backfill() -> None:
    conn = op.get_bind()
    named = (
        "delivery ? 'cloud'"
        if conn.dialect.name == "postgresql"
        else "json_extract(delivery, '$.cloud') IS NOT NULL"
    )
    orders = sa.table("orders", sa.column("pk", sa.BigInteger), sa.column("delivery", JSON_TYPE))
    items = sa.table(
        "order_items", sa.column("order_pk", sa.BigInteger), sa.column("cloud_config_id")
    )
    rows = conn.execute(sa.select(orders.c.pk, orders.c.delivery).where(sa.text(named)))
    for pk, delivery in rows.all():
        config = ((delivery or {}).get("cloud") or {}).get("config")
        if config:
            conn.execute(
                items.update().where(items.c.order_pk == pk).values(cloud_config_id=config)
            )


def upgrade() -> None:
    with op.batch_alter_table("order_items") as batch:
        batch.add_column(sa.Column("cloud_delivery", JSON_TYPE, nullable=True))
        batch.add_column(sa.Column("cloud_config_id", sa.String(36), nullable=True))
        batch.create_index("ix_items_cloud_config_id", ["cloud_config_id"])
    _backfill()
    op.create_table(
        "monthly_statements",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("contract_id", sa.String(36), sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("lines", JSON_TYPE, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "contract_id", "month", name="uq_monthly_statements_contract_month"
        ),
    )
    op.create_index(
        "ix_monthly_statements_organisation_id", "monthly_statements", ["organisation_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_monthly_statements_organisation_id", "monthly_statements")
    op.drop_table("monthly_statements")
    with op.batch_alter_table("order_items") as batch:
        batch.drop_index("ix_items_cloud_config_id")
        batch.drop_column("cloud_config_id")
        batch.drop_column("cloud_delivery")
