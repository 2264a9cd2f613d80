"""Users of an organisation, their roles, and the actor recorded on what they change.

People act for an organisation as users (an email, a display name, a role);
machines act as service accounts: API clients that belong to the organisation
and to no user. An API client may belong to a user, and then whatever it does is
the user's doing. Orders and their items record who created them and who last
changed them as an :class:`Actor`, the way the vendors show it (``created_by``,
``user_id``, ``user_email``, ``updated_by``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from skyorder.core.errors import FieldError, PermissionDenied, ValidationFailed


class UserRole(StrEnum):
    """What a user may do in their organisation (each role may do what the ones below may)."""

    ADMIN = "admin"
    """Also manage the organisation's users."""
    MEMBER = "member"
    """Also place and cancel orders."""
    VIEWER = "viewer"
    """Search, price and follow the organisation's orders; never place or cancel one."""


_RANK = {UserRole.VIEWER: 0, UserRole.MEMBER: 1, UserRole.ADMIN: 2}

_EMAIL = re.compile(
    r"[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+"
)
MAX_EMAIL = 254
MAX_DISPLAY_NAME = 200
MIN_PASSWORD = 10
MAX_PASSWORD = 256


@dataclass(frozen=True)
class User:
    """A person of an organisation."""

    id: str
    organisation_id: str
    email: str
    display_name: str
    role: UserRole
    created_at: datetime

    def may(self, role: UserRole) -> bool:
        """Whether this user's role reaches ``role``."""
        return _RANK[self.role] >= _RANK[role]


@dataclass(frozen=True)
class NewUser:
    """What an administrator gives to create a user (validated by :meth:`checked`)."""

    email: str
    display_name: str = ""
    role: UserRole = UserRole.MEMBER

    def checked(self) -> NewUser:
        """The same user with the email lower-cased and the name trimmed.

        Raises:
            ValidationFailed: listing every invalid field.
        """
        email = self.email.strip().lower()
        name = self.display_name.strip()
        problems: list[FieldError] = []
        if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
            problems.append(FieldError("email", "must be an email address such as ada@example.com"))
        if len(name) > MAX_DISPLAY_NAME:
            problems.append(
                FieldError("display_name", f"must be at most {MAX_DISPLAY_NAME} characters")
            )
        if problems:
            raise ValidationFailed.of(problems)
        return NewUser(email, name or email.split("@")[0], self.role)


@dataclass(frozen=True)
class Actor:
    """Who did something: a user through one of their API clients, or a service account.

    ``client_id`` is the API client that made the call (always known); ``user_id``
    and ``email`` are the user it belongs to, or None for a service account.
    """

    client_id: str
    user_id: str | None = None
    email: str | None = None

    @property
    def is_service_account(self) -> bool:
        """Whether no user acted (an organisation's API client did, on its own)."""
        return self.user_id is None

    @classmethod
    def of(cls, client_id: str | None, user_id: str | None, email: str | None) -> Actor | None:
        """An actor from its stored parts (None when nothing was recorded)."""
        return cls(client_id, user_id, email) if client_id is not None else None


def require_user_role(user: User | None, role: UserRole, doing: str) -> None:
    """Refuse (PermissionDenied) a user whose role does not reach ``role``.

    A service account (no user) acts for the whole organisation and is never
    refused here: the provider's administrator created it for that purpose.
    """
    if user is not None and not user.may(role):
        raise PermissionDenied(
            f"{doing} needs the {role.value!r} user role or higher; {user.email} is a "
            f"{user.role.value!r} (ask an administrator of your organisation)"
        )


def check_password(password: str, field_name: str = "password") -> None:
    """Refuse (ValidationFailed) a password too short or too long to be a good one.

    Only the length is judged (as NIST SP 800-63B advises): no composition rules.
    """
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationFailed.on(
            field_name,
            f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long (a passphrase of a "
            "few words is a good one)",
        )
