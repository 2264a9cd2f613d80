"""Administering API clients: list them, disable and re-enable them, rotate their credentials.

An organisation's admin (an API client with the ``admin`` role) administers its
own organisation's clients through the native API; the provider administers any
client through the CLI (``principal`` is None then). A client of another
organisation answers like a missing one.

Every change takes effect on the next request that is not served from the
authentication cache, which keeps callers for at most a second
(``auth_cache_seconds``): a disabled client's API key and access tokens, a
replaced API key, and tokens issued under a replaced secret are all refused
from then on (tokens carry a fingerprint of the secret they were issued under).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from skyorder.core.errors import Conflict, NotFound
from skyorder.core.tenants import ApiClient, Principal, Role
from skyorder.services.credentials import hash_api_key, hash_secret, new_api_key, new_secret
from skyorder.store.uow import UnitOfWork


@dataclass(frozen=True)
class RotatedCredential:
    """A client after a rotation, with the only copy of its new API key or secret."""

    client: ApiClient
    value: str


def _admin(principal: Principal | None, doing: str) -> None:
    if principal is not None:
        principal.require(Role.ADMIN, doing)


def _find(uow: UnitOfWork, principal: Principal | None, client_id: str) -> ApiClient:
    found = (
        uow.tenants.client_by_client_id(client_id)
        if principal is None
        else uow.tenants.get_client(principal, client_id)
    )
    if found is None:
        raise NotFound(f"API client {client_id} not found")
    return found


def list_clients(uow: UnitOfWork, principal: Principal) -> list[ApiClient]:
    """The caller's organisation's API clients (admins only)."""
    _admin(principal, "listing API clients")
    return uow.tenants.list_clients(principal)


def set_disabled(
    uow: UnitOfWork, principal: Principal | None, client_id: str, disabled: bool
) -> ApiClient:
    """Disable or re-enable a client; doing it twice changes nothing.

    An admin may not disable the client it calls with: that would lock its
    organisation out of this very operation.
    """
    _admin(principal, ("disabling" if disabled else "enabling") + " API clients")
    client = _find(uow, principal, client_id)
    if disabled and principal is not None and principal.client_id == client.client_id:
        raise Conflict(
            f"API client {client_id} is the one making this request; disable it with "
            "another admin client (or `skyorder admin disable-client`)"
        )
    changed = replace(client, disabled=disabled)
    uow.tenants.save_client_credentials(changed)
    return changed


def rotate_api_key(
    uow: UnitOfWork, principal: Principal | None, client_id: str
) -> RotatedCredential:
    """Give a client a new API key; the old one stops working."""
    _admin(principal, "rotating API keys")
    client = _find(uow, principal, client_id)
    key = new_api_key()
    changed = replace(client, api_key_hash=hash_api_key(key))
    uow.tenants.save_client_credentials(changed)
    return RotatedCredential(changed, key)


def rotate_secret(
    uow: UnitOfWork, principal: Principal | None, client_id: str
) -> RotatedCredential:
    """Give a client a new secret; the old one and the tokens issued under it stop working."""
    _admin(principal, "rotating client secrets")
    client = _find(uow, principal, client_id)
    secret = new_secret()
    changed = replace(client, secret_hash=hash_secret(secret))
    uow.tenants.save_client_credentials(changed)
    return RotatedCredential(changed, secret)
