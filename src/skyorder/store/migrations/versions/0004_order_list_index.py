"""Orders listed by status, newest first, without walking the whole created_at index.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_orders_org_status_created",
        "orders",
        ["organisation_id", "status", "created_at", "pk"],
        postgresql_include=["updated_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_orders_org_status_created", table_name="orders")
