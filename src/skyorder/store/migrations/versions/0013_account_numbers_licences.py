"""Account numbers and licences.

Organisations and contracts gain stable integer numbers beside their UUIDs (the
way DataCosmos addresses them: organisation ``42``, contract ``456``); existing
rows are numbered in the order they were created. Products declare the licences
a buyer must accept, and orders record the licences accepted with them.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)


def _number(table: str) -> None:
    """Add ``number``, number the existing rows oldest first, then index it unique.

    The column stays nullable and the uniqueness is an index: on SQLite, making it NOT
    NULL or adding a constraint rebuilds the table, which the foreign keys pointing at
    it refuse once it holds rows. The repositories give every new row a number.
    """
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("number", sa.Integer, nullable=True))
    conn = op.get_bind()
    ids = conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY created_at, id")).scalars()
    for n, row_id in enumerate(list(ids), start=1):
        conn.execute(
            sa.text(f"UPDATE {table} SET number = :n WHERE id = :id"), {"n": n, "id": row_id}
        )
    op.create_index(f"uq_{table}_number", table, ["number"], unique=True)


def upgrade() -> None:
    _number("organisations")
    _number("contracts")
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("licences", JSON_TYPE, nullable=True))
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("licences", JSON_TYPE, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("licences")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("licences")
    for table in ("contracts", "organisations"):
        op.drop_index(f"uq_{table}_number", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("number")
