"""Console sign-in: users get a password (hashed) and an invitation, and sign-in sessions.

A user invited by an administrator holds the hash of a one-time invitation token until
they choose a password with it. A session is the hash of a random token carried in the
console's cookie, the user it signs in, and when it ends (on the wall clock).

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
        batch.add_column(sa.Column("invitation_hash", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("invitation_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.create_index("ix_users_invitation_hash", ["invitation_hash"], unique=True)
        batch.create_index("ix_users_email", ["email"])
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.String(36),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("console_sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_email")
        batch.drop_index("ix_users_invitation_hash")
        batch.drop_column("invitation_expires_at")
        batch.drop_column("invitation_hash")
        batch.drop_column("password_hash")
