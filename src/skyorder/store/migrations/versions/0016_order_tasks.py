"""Order items get names and tasks (one per occurrence or archive image); organisations
keep cloud-delivery configurations (their secrets sealed).

Existing items keep no name; their tasks are made when they are next read or changed
(the task table starts empty).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


JSON_TYPE = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)


def _actor(event: str) -> list[sa.Column[str]]:
    return [
        sa.Column(f"{event}_by", sa.String(64), nullable=True),
        sa.Column(f"{event}_by_user_id", sa.String(36), nullable=True),
        sa.Column(f"{event}_by_email", sa.String(254), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("order_items") as batch:
        batch.add_column(sa.Column("name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("validation_errors", JSON_TYPE, nullable=True))
        batch.create_index("ix_items_org_created", ["organisation_id", "created_at"])
    with op.batch_alter_table("deliverables") as batch:
        batch.add_column(sa.Column("scene_id", sa.String(200), nullable=True))
    op.create_table(
        "order_tasks",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("number_of_strips", sa.Integer(), nullable=True),
        sa.Column("tokens_used", sa.BigInteger(), nullable=True),
        sa.Column("transaction_id", sa.String(36), nullable=True),
        sa.Column("delivery_status", sa.String(20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_actor("created"),
        *_actor("updated"),
        sa.UniqueConstraint("item_id", "position", name="uq_order_tasks_item_position"),
    )
    op.create_index("ix_order_tasks_order_id", "order_tasks", ["order_id"])
    op.create_table(
        "cloud_delivery_configs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("prefix", sa.String(500), nullable=False),
        sa.Column("access_key_id", sa.String(200), nullable=False),
        sa.Column("secret_access_key", sa.Text(), nullable=False),
        sa.Column("endpoint_url", sa.String(500), nullable=True),
        sa.Column("region", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_actor("created"),
        sa.UniqueConstraint("organisation_id", "name", name="uq_cloud_delivery_configs_org_name"),
    )
    op.create_index(
        "ix_cloud_delivery_configs_organisation_id", "cloud_delivery_configs", ["organisation_id"]
    )
    op.create_index("ix_order_tasks_item_id", "order_tasks", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_cloud_delivery_configs_organisation_id", "cloud_delivery_configs")
    op.drop_table("cloud_delivery_configs")
    op.drop_index("ix_order_tasks_item_id", "order_tasks")
    op.drop_index("ix_order_tasks_order_id", "order_tasks")
    op.drop_table("order_tasks")
    with op.batch_alter_table("deliverables") as batch:
        batch.drop_column("scene_id")
    with op.batch_alter_table("order_items") as batch:
        batch.drop_index("ix_items_org_created")
        batch.drop_column("validation_errors")
        batch.drop_column("name")
