"""Console sign-in: sessions (migration 0018), failed sign-ins and the pauses they started
(migration 0025); SQLAlchemy Core.

A failure's key names what is counted: ``pair:<email>|<address>``, ``client:<address>`` or
``email:<email>`` (see :mod:`skyorder.services.sign_in_attempts`).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table

from skyorder.store.tables import ID, PK, metadata
from skyorder.store.types import UTCDateTime

console_sessions = Table(
    "console_sessions",
    metadata,
    # The SHA-256 of the random token in the console's cookie (the token is never stored).
    Column("token_hash", String(64), primary_key=True),
    Column(
        "user_id",
        String(ID),
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_sign_in_failures_key_at", "key", "at"),
    Index("ix_sign_in_failures_at", "at"),
)

sign_in_pauses = Table(
    "sign_in_pauses",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("until", UTCDateTime, nullable=False),
)
