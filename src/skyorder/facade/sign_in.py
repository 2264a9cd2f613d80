"""Signing people in to the console: sessions, invitations and the CSRF token of a session.

A session token reaches the façade from the console's cookie; the CSRF token of a
session is derived from it with the server's key, so a page can be given it and a
write can be checked without reading the database.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from skyorder.core.clock import Clock, wall_clock
from skyorder.core.errors import AuthenticationFailed, PermissionDenied
from skyorder.core.tenants import Principal
from skyorder.core.users import User
from skyorder.facade.base import Resource
from skyorder.services import sign_in as service
from skyorder.services.sign_in import Session

__all__ = ["Invitation", "Session", "SignIns"]

CSRF_PURPOSE = "console-csrf"


@dataclass(frozen=True)
class Invitation:
    """A link with which a user chooses a password (shown once to the administrator)."""

    user: User
    url: str
    expires_at: datetime


class SignIns(Resource):
    """Console sessions: sign in, sign out, invitations."""

    @property
    def _wall(self) -> Clock:
        return wall_clock(self._rt.clock)

    @property
    def _ttl(self) -> timedelta:
        return timedelta(seconds=self._rt.settings.session_ttl_seconds)

    def sign_in(self, email: str, password: str, client: str) -> Session:
        """Open a session for an email and password (AuthenticationFailed when wrong).

        ``client`` is the caller's network address. After too many failures for the
        email from the address, from the address, or for the email from anywhere,
        attempts are refused for a while (TooManyAttempts).
        """
        attempts = self._rt.sign_in_attempts
        now = self._wall.now()
        with self._rt.uow(readonly=True) as uow:
            attempts.check(uow, email, client, now)
        try:
            with self._rt.uow() as uow:
                session = service.sign_in(uow, now, email, password, self._ttl)
                attempts.succeeded(uow, email, client)
                uow.commit()
        except AuthenticationFailed:
            with self._rt.uow() as uow:
                attempts.failed(uow, email, client, now)
                uow.commit()
            raise
        return session

    def sign_out(self, token: str) -> None:
        """End a session at once, in this process and (within a second) in every other."""
        with self._rt.uow() as uow:
            user = service.session_user(uow, token, self._wall.now())
            service.sign_out(uow, token)
            uow.commit()
        self._rt.principals.forget(service.CONSOLE_CLIENT + user.id)

    def user(self, token: str) -> User:
        """The signed-in user of a session (AuthenticationFailed for a forged or ended one)."""
        with self._rt.uow(readonly=True) as uow:
            return service.session_user(uow, token, self._wall.now())

    def principal(self, token: str, contract_id: str | None) -> Principal:
        """The caller a session signs in (reads the database: call it off the event loop)."""
        with self._rt.uow(readonly=True) as uow:
            return service.session_principal(uow, token, self._wall.now(), contract_id)

    def csrf_token(self, token: str) -> str:
        """The token a page of this session sends back with every write."""
        return self._rt.tokens.mac(CSRF_PURPOSE, token)

    def check_csrf(self, token: str, presented: str | None) -> None:
        """Refuse (PermissionDenied) a write of a session without its CSRF token."""
        if not presented or not hmac.compare_digest(presented, self.csrf_token(token)):
            raise PermissionDenied(
                "this write comes with a signed-in session but without its CSRF token: send "
                "the page's token in the X-CSRF-Token header (reload the console if it is old)"
            )

    def invite(self, principal: Principal, user_id: str) -> Invitation:
        """A one-time link for a user of the organisation to choose a password (admins only)."""
        ttl = timedelta(seconds=self._rt.settings.invitation_ttl_seconds)
        now = self._wall.now()
        with self._rt.uow() as uow:
            user, token = service.invite(uow, principal, user_id, now, ttl)
            uow.commit()
        url = f"{self._rt.settings.base_url()}/console/invitation/{token}"
        return Invitation(user, url, now + ttl)

    def accept_invitation(self, token: str, password: str) -> Session:
        """Choose a password with an invitation, and sign in."""
        with self._rt.uow() as uow:
            session = service.accept_invitation(uow, token, password, self._wall.now(), self._ttl)
            uow.commit()
        return session
