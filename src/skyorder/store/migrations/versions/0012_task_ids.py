"""Task ids: each tasking item gets its organisation's next task id (Aleph's ``task_id``).

Existing tasking items are numbered in the order they were written; each
organisation's counter continues after them.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(
            sa.Column("task_sequence", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("order_items") as batch:
        batch.add_column(sa.Column("task_id", sa.String(32), nullable=True))
    op.create_index("ix_items_org_task_id", "order_items", ["organisation_id", "task_id"])
    op.execute(
        "UPDATE order_items SET task_id = CAST(1000000 + ("
        "SELECT COUNT(*) FROM order_items AS earlier "
        "WHERE earlier.organisation_id = order_items.organisation_id "
        "AND earlier.kind = 'tasking' AND earlier.pk <= order_items.pk) AS VARCHAR(32)) "
        "WHERE kind = 'tasking'"
    )
    op.execute(
        "UPDATE organisations SET task_sequence = ("
        "SELECT COUNT(*) FROM order_items "
        "WHERE order_items.organisation_id = organisations.id AND order_items.kind = 'tasking')"
    )


def downgrade() -> None:
    op.drop_index("ix_items_org_task_id", "order_items")
    with op.batch_alter_table("order_items") as batch:
        batch.drop_column("task_id")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("task_sequence")
