"""Sealed secrets: the sweep's key record, and room for a sealed webhook secret.

The rows themselves are sealed at start-up (``store/repositories/sealed_secrets.py``):
a migration has no access to the keys, which live outside the database.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "secret_seal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key_id", sa.String(32), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":  # SQLite does not enforce lengths
        op.alter_column("webhook_subscriptions", "secret", type_=sa.Text())


def downgrade() -> None:
    op.drop_table("secret_seal")
