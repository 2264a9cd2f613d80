"""API clients of the caller's organisation: list, disable, enable, rotate credentials.

Every change is dropped from this process's cache of callers at once; other
processes see it when their cache entry ages out (``SKYORDER_AUTH_CACHE_SECONDS``,
at most one second).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from skyorder.core.tenants import ApiClient, Principal
from skyorder.facade.base import Resource
from skyorder.services import api_clients as service
from skyorder.services.api_clients import RotatedCredential
from skyorder.store.uow import UnitOfWork

__all__ = ["Clients", "RotatedCredential"]

T = TypeVar("T")


class Clients(Resource):
    """The organisation's API clients (the admin role administers them)."""

    def list(self, principal: Principal) -> list[ApiClient]:
        """The organisation's API clients, without their secrets."""
        with self._rt.uow(readonly=True) as uow:
            return service.list_clients(uow, principal)

    def _change(self, client_id: str, change: Callable[[UnitOfWork], T]) -> T:
        with self._rt.uow() as uow:
            changed = change(uow)
            uow.commit()
        self._rt.principals.forget(client_id)
        return changed

    def set_disabled(self, principal: Principal, client_id: str, disabled: bool) -> ApiClient:
        """Disable a client (its key and tokens are refused) or enable it again."""
        return self._change(
            client_id, lambda uow: service.set_disabled(uow, principal, client_id, disabled)
        )

    def rotate_key(self, principal: Principal, client_id: str) -> RotatedCredential:
        """A new API key for a client, shown once; the previous key stops working."""
        return self._change(
            client_id, lambda uow: service.rotate_api_key(uow, principal, client_id)
        )

    def rotate_secret(self, principal: Principal, client_id: str) -> RotatedCredential:
        """A new client secret, shown once; tokens issued with the previous one stop working."""
        return self._change(client_id, lambda uow: service.rotate_secret(uow, principal, client_id))
