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
    # Rank each organisation's tasking items once (a window function), then look each rank
    # up by primary key: counting earlier items per item was quadratic (hours at 400,000).
    op.execute("CREATE TEMPORARY TABLE task_ranks (pk BIGINT PRIMARY KEY, n BIGINT NOT NULL)")
    op.execute(
        "INSERT INTO task_ranks (pk, n) SELECT pk, ROW_NUMBER() OVER ("
        "PARTITION BY organisation_id ORDER BY pk) FROM order_items WHERE kind = 'tasking'"
    )
    op.execute(
        "UPDATE order_items SET task_id = CAST(1000000 + ("
        "SELECT n FROM task_ranks WHERE task_ranks.pk = order_items.pk) AS VARCHAR(32)) "
        "WHERE kind = 'tasking'"
    )
    op.execute("DROP TABLE task_ranks")
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
