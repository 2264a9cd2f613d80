"""Users: people of an organisation, API clients that belong to one, and who did what.

Orders, their items, captures and deliverables record who created and last
changed them: the API client (``created_by`` on orders already held it) and, when
the client belongs to a user, the user's id and email. Existing rows get their
order's client and no user.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _actor(event: str, client: bool = True) -> list[sa.Column[str]]:
    columns = [
        sa.Column(f"{event}_by_user_id", sa.String(36), nullable=True),
        sa.Column(f"{event}_by_email", sa.String(254), nullable=True),
    ]
    return [sa.Column(f"{event}_by", sa.String(64), nullable=True), *columns] if client else columns


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organisation_id", "email", name="uq_users_org_email"),
    )
    op.create_index("ix_users_organisation_id", "users", ["organisation_id"])
    with op.batch_alter_table("api_clients") as batch:
        batch.add_column(sa.Column("user_id", sa.String(36), nullable=True))
        batch.create_foreign_key("fk_api_clients_user_id", "users", ["user_id"], ["id"])
    with op.batch_alter_table("orders") as batch:
        for column in (*_actor("created", client=False), *_actor("updated")):
            batch.add_column(column)
    for table in ("order_items", "captures", "deliverables"):
        with op.batch_alter_table(table) as batch:
            for column in (*_actor("created"), *_actor("updated")):
                batch.add_column(column)
    # The items of existing orders were created by the order's client.
    op.execute(
        "UPDATE order_items SET created_by = "
        "(SELECT created_by FROM orders WHERE orders.pk = order_items.order_pk)"
    )
    for table in ("captures", "deliverables"):
        op.execute(
            f"UPDATE {table} SET created_by = "
            f"(SELECT created_by FROM orders WHERE orders.pk = {table}.order_pk)"
        )
    for table in ("orders", "order_items", "captures", "deliverables"):
        op.execute(f"UPDATE {table} SET updated_by = created_by")


def downgrade() -> None:
    for table in ("order_items", "captures", "deliverables"):
        with op.batch_alter_table(table) as batch:
            for name in ("created", "updated"):
                for suffix in ("", "_user_id", "_email"):
                    batch.drop_column(f"{name}_by{suffix}")
    with op.batch_alter_table("orders") as batch:
        for suffix in ("_user_id", "_email"):
            batch.drop_column(f"created_by{suffix}")
        for suffix in ("", "_user_id", "_email"):
            batch.drop_column(f"updated_by{suffix}")
    with op.batch_alter_table("api_clients") as batch:
        batch.drop_constraint("fk_api_clients_user_id", type_="foreignkey")
        batch.drop_column("user_id")
    op.drop_index("ix_users_organisation_id", "users")
    op.drop_table("users")
