"""Console sign-in: users' password and invitation hashes, and sign-in sessions.

These reads find a user across organisations (by email, or by a token's hash) because
they happen before anyone is signed in; everything after sign-in is scoped as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.engine import Connection

from skyorder.core.users import User
from skyorder.store import tables as t
from skyorder.store.repositories.users import user_of
from skyorder.store.sign_in_tables import console_sessions


@dataclass(frozen=True)
class Credentials:
    """A user and their stored password hash (None: no password chosen yet)."""

    user: User
    password_hash: str | None


@dataclass(frozen=True)
class SignedIn:
    """A session's user and when the session ends."""

    user: User
    expires_at: datetime


class SignInRepository:
    """Reads and writes what signing in needs."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def by_email(self, email: str) -> list[Credentials]:
        """Every user with ``email`` (already lower-cased), in any organisation, oldest first."""
        rows = self.conn.execute(
            select(t.users).where(t.users.c.email == email).order_by(t.users.c.created_at)
        )
        return [Credentials(user_of(r), r.password_hash) for r in rows]

    def set_password(self, user_id: str, password_hash: str) -> None:
        """Store a user's new password hash; any open invitation is used up."""
        self.conn.execute(
            update(t.users)
            .where(t.users.c.id == user_id)
            .values(password_hash=password_hash, invitation_hash=None, invitation_expires_at=None)
        )

    def set_invitation(self, user_id: str, token_hash: str, expires_at: datetime) -> None:
        """Give a user a new one-time invitation (a previous one stops working)."""
        self.conn.execute(
            update(t.users)
            .where(t.users.c.id == user_id)
            .values(invitation_hash=token_hash, invitation_expires_at=expires_at)
        )

    def by_invitation(self, token_hash: str) -> tuple[User, datetime] | None:
        """The user an invitation token was given to, and when it expires."""
        row = self.conn.execute(
            select(t.users).where(t.users.c.invitation_hash == token_hash)
        ).first()
        return (user_of(row), row.invitation_expires_at) if row else None

    def add_session(
        self, token_hash: str, user_id: str, created_at: datetime, expires_at: datetime
    ) -> None:
        """Record a new session."""
        self.conn.execute(
            console_sessions.insert(),
            {
                "token_hash": token_hash,
                "user_id": user_id,
                "created_at": created_at,
                "expires_at": expires_at,
            },
        )

    def session(self, token_hash: str) -> SignedIn | None:
        """The session with this token hash and its user."""
        row: Row[Any] | None = self.conn.execute(
            select(t.users, console_sessions.c.expires_at)
            .join(console_sessions, console_sessions.c.user_id == t.users.c.id)
            .where(console_sessions.c.token_hash == token_hash)
        ).first()
        return SignedIn(user_of(row), row.expires_at) if row else None

    def end_session(self, token_hash: str) -> None:
        """Forget a session (signing out)."""
        self.conn.execute(
            delete(console_sessions).where(console_sessions.c.token_hash == token_hash)
        )

    def end_expired(self, now: datetime) -> None:
        """Forget every session that has ended."""
        self.conn.execute(delete(console_sessions).where(console_sessions.c.expires_at <= now))
