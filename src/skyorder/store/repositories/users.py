"""Users of an organisation; every read is scoped to the caller's organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.engine import Connection

from skyorder.core.tenants import Principal
from skyorder.core.users import User, UserRole
from skyorder.store import tables as t
from skyorder.store.repositories.base import scoped


def user_of(row: Row[Any]) -> User:
    """A user from a row of the users table."""
    return User(
        id=row.id,
        organisation_id=row.organisation_id,
        email=row.email,
        display_name=row.display_name,
        role=UserRole(row.role),
        created_at=row.created_at,
    )


class UserRepository:
    """Reads and writes users."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def readable(self, principal: Principal) -> Any:
        """The one statement every user read starts from."""
        return select(t.users).where(scoped(t.users, principal))

    def add(self, user: User) -> None:
        """Insert a user (an email already taken in the organisation raises IntegrityError)."""
        self.conn.execute(
            t.users.insert(),
            {
                "id": user.id,
                "organisation_id": user.organisation_id,
                "email": user.email,
                "display_name": user.display_name,
                "role": user.role.value,
                "created_at": user.created_at,
            },
        )

    def list(self, principal: Principal) -> list[User]:
        """The users of the caller's organisation, oldest first (then by email)."""
        rows = self.conn.execute(
            self.readable(principal).order_by(t.users.c.created_at, t.users.c.email)
        )
        return [user_of(r) for r in rows]

    def get(self, principal: Principal, user_id: str) -> User | None:
        """One user of the caller's organisation."""
        row = self.conn.execute(self.readable(principal).where(t.users.c.id == user_id)).first()
        return user_of(row) if row else None

    def by_email(self, principal: Principal, email: str) -> User | None:
        """The user of the caller's organisation with ``email`` (already lower-cased)."""
        row = self.conn.execute(self.readable(principal).where(t.users.c.email == email)).first()
        return user_of(row) if row else None

    def owner_of_client(self, organisation_id: str, user_id: str) -> User | None:
        """The user an authenticated API client belongs to (authentication only)."""
        row = self.conn.execute(
            select(t.users).where(
                t.users.c.organisation_id == organisation_id, t.users.c.id == user_id
            )
        ).first()
        return user_of(row) if row else None
