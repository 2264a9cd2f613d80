"""Signing people in to the console: passwords, invitations and sessions.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second
recommended profile); a hash made with older parameters is re-made on the next
sign-in. A session is a random token held only by the browser (in an HttpOnly
cookie); the database keeps its SHA-256, the user and when it ends. Sessions and
invitations age on the wall clock, never on the sandbox clock. A signed-in user acts
as a :class:`Principal` whose client id names the console and the user, so what they
do is recorded as their doing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from skyorder.core.errors import AuthenticationFailed, NotFound
from skyorder.core.tenants import Principal, Role
from skyorder.core.users import User, UserRole, check_password
from skyorder.services.auth import principal_for_user, printable
from skyorder.store.uow import UnitOfWork

CONSOLE_CLIENT = "console:"
"""The client id of a signed-in user's calls starts with this, then names the user."""
WRONG = "wrong email or password"

_hasher = PasswordHasher()
_NOBODY = _hasher.hash(secrets.token_urlsafe(16))
"""Checked against when no user has the email, so an unknown email costs the same time."""


def token_hash(token: str) -> str:
    """What is stored of a session or invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """A password's Argon2id hash, after checking its length (ValidationFailed)."""
    check_password(password)
    return _hasher.hash(password)


def _verifies(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Session:
    """A new session: the token for the cookie (shown once), its user and its end."""

    token: str
    user: User
    expires_at: datetime


def sign_in(uow: UnitOfWork, now: datetime, email: str, password: str, ttl: timedelta) -> Session:
    """Open a session for the user whose email and password match.

    An email held by users of several organisations signs in the oldest whose
    password matches.

    Raises:
        AuthenticationFailed: no user with that email has that password (the same
            answer whether the email is unknown, has no password yet, or the password
            is wrong).
    """
    if not (printable(email) and printable(password)) or len(password) > 1024:
        raise AuthenticationFailed(WRONG)
    candidates = uow.sign_in.by_email(email.strip().lower())
    hashed = [c for c in candidates if c.password_hash]
    if not hashed:
        _verifies(_NOBODY, password)
        raise AuthenticationFailed(WRONG)
    for found in hashed:
        assert found.password_hash is not None
        if _verifies(found.password_hash, password):
            if _hasher.check_needs_rehash(found.password_hash):
                uow.sign_in.set_password(found.user.id, _hasher.hash(password))
            return _open(uow, found.user, now, ttl)
    raise AuthenticationFailed(WRONG)


def _open(uow: UnitOfWork, user: User, now: datetime, ttl: timedelta) -> Session:
    uow.sign_in.end_expired(now)
    token = secrets.token_urlsafe(32)
    uow.sign_in.add_session(token_hash(token), user.id, now, now + ttl)
    return Session(token, user, now + ttl)


def sign_out(uow: UnitOfWork, token: str) -> None:
    """End a session (nothing happens for an unknown one)."""
    uow.sign_in.end_session(token_hash(token))


def session_user(uow: UnitOfWork, token: str, now: datetime) -> User:
    """The user a session token signs in.

    Raises:
        AuthenticationFailed: an unknown, forged, ended or expired session.
    """
    if not printable(token):
        raise AuthenticationFailed("your session is not valid; sign in again")
    found = uow.sign_in.session(token_hash(token))
    if found is None:
        raise AuthenticationFailed("your session is not valid; sign in again")
    if now >= found.expires_at:
        raise AuthenticationFailed("your session has expired; sign in again")
    return found.user


def session_principal(
    uow: UnitOfWork, token: str, now: datetime, contract_id: str | None
) -> Principal:
    """The principal a signed-in user acts as (AuthenticationFailed: see session_user)."""
    user = session_user(uow, token, now)
    roles = (Role.CUSTOMER, Role.ADMIN) if user.may(UserRole.ADMIN) else (Role.CUSTOMER,)
    return principal_for_user(uow, user, CONSOLE_CLIENT + user.id, roles, contract_id)


def invite(
    uow: UnitOfWork, principal: Principal, user_id: str, now: datetime, ttl: timedelta
) -> tuple[User, str]:
    """A user of the caller's organisation, and a one-time token to choose a password with.

    A new invitation replaces an earlier one; a user who has a password may be invited
    again (to reset it).

    Raises:
        PermissionDenied: the caller is a user below the admin role.
        NotFound: no such user in the caller's organisation.
    """
    principal.require_user_role(UserRole.ADMIN, "inviting a user")
    user = uow.users.get(principal, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    token = secrets.token_urlsafe(32)
    uow.sign_in.set_invitation(user.id, token_hash(token), now + ttl)
    return user, token


def accept_invitation(
    uow: UnitOfWork, token: str, password: str, now: datetime, ttl: timedelta
) -> Session:
    """Choose a password with an invitation token, and sign in.

    Raises:
        NotFound: an unknown, used or expired invitation.
        ValidationFailed: a password too short or too long.
    """
    found = uow.sign_in.by_invitation(token_hash(token)) if printable(token) else None
    if found is None or now >= found[1]:
        raise NotFound(
            "this invitation is unknown, used or expired; ask an administrator for a new one"
        )
    uow.sign_in.set_password(found[0].id, hash_password(password))
    return _open(uow, found[0], now, ttl)


def set_password(uow: UnitOfWork, user: User, password: str) -> None:
    """Set a user's password (the demo, the CLI)."""
    uow.sign_in.set_password(user.id, hash_password(password))
