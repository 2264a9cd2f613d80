"""Billing: quotes, the double-entry ledger, checkouts; prices on orders, items, contracts.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)
PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("pricing", JSON_TYPE, nullable=True))
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(
            sa.Column("charge_on", sa.String(20), nullable=False, server_default="delivery")
        )
        batch.add_column(
            sa.Column("discount_percentage", sa.String(20), nullable=False, server_default="0")
        )
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("quote_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("currency", sa.String(10), nullable=True))
        batch.add_column(sa.Column("total_amount", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("payment_status", sa.String(30), nullable=True))
    with op.batch_alter_table("order_items") as batch:
        batch.add_column(sa.Column("price", JSON_TYPE, nullable=True))
    op.create_table(
        "quotes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("contract_id", sa.String(36), sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("request", JSON_TYPE, nullable=False),
        sa.Column("lines", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=True),
    )
    op.create_index("ix_quotes_org_created", "quotes", ["organisation_id", "created_at"])
    op.create_table(
        "ledger_entries",
        sa.Column("pk", PK, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("transaction_id", sa.String(36), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("contract_id", sa.String(36), sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("account", sa.String(20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=True),
        sa.Column("item_id", sa.String(36), nullable=True),
        sa.Column("deliverable_id", sa.String(36), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ledger_entries_transaction_id", "ledger_entries", ["transaction_id"])
    op.create_index("ix_ledger_contract_account", "ledger_entries", ["contract_id", "account"])
    op.create_index("ix_ledger_order", "ledger_entries", ["order_id"])
    op.create_index("ix_ledger_entries_deliverable_id", "ledger_entries", ["deliverable_id"])
    op.create_table(
        "checkouts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False, unique=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("checkouts")
    op.drop_table("ledger_entries")
    op.drop_table("quotes")
    with op.batch_alter_table("order_items") as batch:
        batch.drop_column("price")
    with op.batch_alter_table("orders") as batch:
        for name in ("payment_status", "total_amount", "currency", "quote_id"):
            batch.drop_column(name)
    with op.batch_alter_table("products") as batch:
        batch.drop_column("pricing")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("discount_percentage")
        batch.drop_column("charge_on")
