"""Catalogue owners: each collection belongs to a provider organisation.

Existing collections go to the oldest organisation that has an API client with
the provider role (the demo organisation, in a demo deployment); with no such
organisation they stay unowned, and only the operator writes them until one is
given with ``skyorder catalog ingest --owner``. Event entity ids widen to hold a
catalogue item's ``<collection>/<item>`` (PostgreSQL only: SQLite does not
enforce lengths).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("collections", sa.Column("owner_id", sa.String(36), nullable=True))
    op.execute(
        "UPDATE collections SET owner_id = (SELECT o.id FROM organisations o WHERE EXISTS ("
        "SELECT 1 FROM api_clients c WHERE c.organisation_id = o.id "
        "AND ',' || c.roles || ',' LIKE '%,provider,%') ORDER BY o.created_at, o.id LIMIT 1)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("events", "entity_id", type_=sa.String(301))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DELETE FROM events WHERE length(entity_id) > 36")
        op.alter_column("events", "entity_id", type_=sa.String(36))
    with op.batch_alter_table("collections") as batch:
        batch.drop_column("owner_id")
