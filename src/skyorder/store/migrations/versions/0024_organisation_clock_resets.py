"""How many times each organisation's sandbox clock was reset, kept beside its offset.

Several API processes keep each organisation's sandbox clock in memory and catch up with
the offsets other processes save. A clock only moves forward, except when an admin resets
it: the count tells a process that a lower offset is a reset to follow, not an advance it
has not saved yet. A reset now keeps the row (offset 0, one more reset) instead of deleting
it.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation_clocks") as batch:
        batch.add_column(sa.Column("resets", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("organisation_clocks") as batch:
        batch.drop_column("resets")
