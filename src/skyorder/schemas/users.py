"""Users, and who created or last changed an order or an item."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from skyorder.core.users import MAX_DISPLAY_NAME, MAX_EMAIL, Actor, NewUser, User, UserRole


class UserCreate(BaseModel):
    """A user to add to your organisation."""

    email: str = Field(max_length=MAX_EMAIL, examples=["ada@example.com"])
    display_name: str = Field("", max_length=MAX_DISPLAY_NAME, examples=["Ada Lovelace"])
    role: UserRole = Field(
        UserRole.MEMBER,
        description="admin: also manages users; member: places and cancels orders; "
        "viewer: searches, prices and follows orders only",
    )

    def to_new_user(self) -> NewUser:
        """The core command."""
        return NewUser(self.email, self.display_name, self.role)


class UserOut(BaseModel):
    """A user of your organisation."""

    id: str
    organisation_id: str
    email: str
    display_name: str
    role: str
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        """Render a user."""
        return cls(
            id=user.id,
            organisation_id=user.organisation_id,
            email=user.email,
            display_name=user.display_name,
            role=user.role.value,
            created_at=user.created_at,
        )


class UserRef(BaseModel):
    """The user who did something (through one of their API clients)."""

    id: str
    email: str | None

    @classmethod
    def of(cls, actor: Actor | None) -> UserRef | None:
        """The actor's user, or None for a service account or nothing recorded."""
        if actor is None or actor.user_id is None:
            return None
        return cls(id=actor.user_id, email=actor.email)


def client_of(actor: Actor | None) -> str | None:
    """The API client id that acted (what ``created_by`` and ``updated_by`` show)."""
    return actor.client_id if actor else None


def user_ref_json(actor: Actor | None) -> dict[str, str | None] | None:
    """``UserRef.of(actor)`` as a dict."""
    if actor is None or actor.user_id is None:
        return None
    return {"id": actor.user_id, "email": actor.email}
