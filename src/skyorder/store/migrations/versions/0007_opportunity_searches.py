"""STAPI asynchronous opportunity searches.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from skyorder.store.types import UTCDateTime, json_type

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opportunity_searches",
        sa.Column("pk", PK, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("request", json_type(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("result", json_type(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )  # fmt: skip
    op.create_index(
        "ix_opportunity_searches_org", "opportunity_searches", ["organisation_id", "pk"]
    )


def downgrade() -> None:
    op.drop_index("ix_opportunity_searches_org", table_name="opportunity_searches")
    op.drop_table("opportunity_searches")
