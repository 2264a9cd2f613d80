"""Each organisation has its own sandbox clock; each agenda step names the organisation
whose time it runs on.

An organisation's clock runs ``offset_seconds`` ahead of the server's sandbox clock
(``clock_state``); organisations without a row run on the server's. Existing steps name no
organisation and keep running on the server's time.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation_clocks",
        sa.Column(
            "organisation_id",
            sa.String(36),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("offset_seconds", sa.Float, nullable=False),
    )
    with op.batch_alter_table("agenda") as batch:
        batch.add_column(sa.Column("organisation_id", sa.String(36), nullable=True))
        batch.create_index("ix_agenda_org_state_due", ["organisation_id", "state", "due_at"])


def downgrade() -> None:
    with op.batch_alter_table("agenda") as batch:
        batch.drop_index("ix_agenda_org_state_due")
        batch.drop_column("organisation_id")
    op.drop_table("organisation_clocks")
