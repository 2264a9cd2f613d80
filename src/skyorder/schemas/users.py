"""Users, and who created or last changed an order or an item."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


class Authorship(BaseModel):
    """Who created an entity and who last changed it (the pipeline's own steps do not count)."""

    created_by: str | None = Field(None, description="the API client that created it")
    created_by_user: UserRef | None = Field(
        None, description="the user that API client belongs to; null for a service account"
    )
    updated_by: str | None = Field(None, description="the API client that last changed it")
    updated_by_user: UserRef | None = Field(
        None, description="the user that API client belongs to; null for a service account"
    )


def _user_json(actor: Actor | None) -> dict[str, str | None] | None:
    if actor is None or actor.user_id is None:
        return None
    return {"id": actor.user_id, "email": actor.email}


def authorship(created: Actor | None, updated: Actor | None) -> dict[str, Any]:
    """:class:`Authorship`'s fields as JSON-ready values (model fields accept them too)."""
    return {
        "created_by": created.client_id if created else None,
        "created_by_user": _user_json(created),
        "updated_by": updated.client_id if updated else None,
        "updated_by_user": _user_json(updated),
    }


class InvitationOut(BaseModel):
    """A one-time link with which the user chooses a password for the console (shown once)."""

    user_id: str
    email: str
    url: str = Field(description="open it in a browser to choose a password and sign in")
    expires_at: datetime


class UserClientCreate(BaseModel):
    """A new API client of a user."""

    name: str = Field("", max_length=200, examples=["Ada's notebook"])


class UserClientOut(BaseModel):
    """A user's new API client: its id, secret and key, shown only this once."""

    client_id: str
    client_secret: str
    api_key: str
