"""The people of the caller's organisation."""

from __future__ import annotations

from skyorder.core.tenants import Principal
from skyorder.core.users import NewUser, User
from skyorder.facade.base import Resource
from skyorder.services import users
from skyorder.services.tenants import ClientCredentials

__all__ = ["ClientCredentials", "NewUser", "Users"]


class Users(Resource):
    """The caller's organisation's users; another organisation's are never visible."""

    def add(self, principal: Principal, new: NewUser) -> User:
        """Add a user (``POST /v1/users``); only an admin user or a service account may."""
        with self._rt.uow() as uow:
            user = users.add_user(uow, self._clock(principal), principal, new)
            uow.commit()
        return user

    def list(self, principal: Principal) -> list[User]:
        """Every user of the organisation, oldest first (``GET /v1/users``)."""
        with self._rt.uow(readonly=True) as uow:
            return users.list_users(uow, principal)

    def get(self, principal: Principal, user_id: str) -> User:
        """One user of the organisation (``GET /v1/users/{id}``)."""
        with self._rt.uow(readonly=True) as uow:
            return users.get_user(uow, principal, user_id)

    def mint_client(
        self, principal: Principal, user_id: str, name: str | None
    ) -> ClientCredentials:
        """A new API client (id, secret and key, shown once) of a user (admins only).

        ``POST /v1/users/{id}/clients``; revoke it with ``POST /v1/clients/{id}/disable``.
        """
        with self._rt.uow() as uow:
            creds = users.mint_user_client(uow, self._clock(principal), principal, user_id, name)
            uow.commit()
        return creds
