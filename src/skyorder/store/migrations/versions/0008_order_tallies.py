"""Day tallies of orders, for exact counts of long order lists.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_tallies",
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("contract_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "field", "status", "day", "contract_id"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for field in ("created_at", "updated_at"):
        day = f"({field} AT TIME ZONE 'UTC')::date" if postgres else f"date({field})"
        op.execute(
            "INSERT INTO order_tallies (organisation_id, contract_id, field, status, day, n) "
            f"SELECT organisation_id, contract_id, '{field}', status, {day}, count(*) "
            f"FROM orders GROUP BY organisation_id, contract_id, status, {day}"
        )


def downgrade() -> None:
    op.drop_table("order_tallies")
