"""FastAPI dependencies shared by the front ends: the façade and the caller.

Each front end says which headers carry its callers' credentials and which header
chooses a contract (``Callers``); resolving them is the same for all.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from skyorder.core.errors import AuthenticationFailed
from skyorder.core.tenants import Principal
from skyorder.facade import Facade
from skyorder.facade.auth import Credential

API_KEY_PREFIX = "sko_"
SESSION_COOKIE = "skyorder_session"
"""The console's session cookie (HttpOnly): the native API accepts it beside its headers."""
CSRF_HEADER = "x-csrf-token"
"""Where a console page sends its session's CSRF token with every write."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_facade(request: Request) -> Facade:
    """The façade the app was built with (async: no thread is needed to read it)."""
    facade: Facade = request.app.state.facade
    return facade


FacadeDep = Annotated[Facade, Depends(get_facade)]


def read_credential(
    request: Request,
    authorization_headers: Sequence[str],
    key_headers: Sequence[str],
    session_cookie: str | None = None,
) -> Credential:
    """The bearer token, API key or console session a request carries.

    ``authorization_headers`` hold ``Bearer <token>`` or a bare API key (the first
    present is read); ``key_headers`` hold an API key only; ``session_cookie`` names
    the cookie of a signed-in console user (read only when no header is sent).

    Raises:
        AuthenticationFailed: no credentials, or a malformed header.
    """
    header = next((request.headers[h] for h in authorization_headers if h in request.headers), "")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            value = value.strip()
            return Credential("key" if value.startswith(API_KEY_PREFIX) else "bearer", value)
        if not value:
            return Credential("key", scheme)
        raise AuthenticationFailed(
            "the Authorization header must be 'Bearer <token>' or an API key"
        )
    api_key = next((request.headers[h] for h in key_headers if h in request.headers), "")
    if api_key:
        return Credential("key", api_key.strip())
    session = request.cookies.get(session_cookie) if session_cookie else None
    if session:
        return Credential("session", session)
    raise AuthenticationFailed(
        "no credentials: send 'Authorization: Bearer <token>' (from POST /oauth/token) "
        "or an API key in 'Authorization' or 'X-API-Key'"
    )


async def resolve_principal(facade: Facade, credential: Credential, contract_id: str) -> Principal:
    """The caller behind a credential, under the contract it chose.

    A cached caller costs no thread; loading one reads the database in the thread pool.
    """
    key, load = facade.auth.lookup(credential, contract_id or None)
    cached = facade.auth.cached(key)
    if cached is not None:
        return cached
    return await run_in_threadpool(facade.auth.load, key, load)


@dataclass(frozen=True)
class Callers:
    """How a front end's callers authenticate and choose a contract."""

    authorization_headers: tuple[str, ...] = ("authorization",)
    """Headers holding ``Bearer <token>`` or a bare API key (the first present is read)."""
    key_headers: tuple[str, ...] = ("x-api-key",)
    """Headers holding an API key only."""
    contract_header: str = "x-contract-id"
    """The header a caller names its contract in (the contract's id)."""
    contract_ref: Callable[[str], str] = str.strip
    """The contract's id from the header's value (e.g. without a vendor's ``cont.`` prefix)."""
    session_cookie: str | None = None
    """The console's session cookie, when these callers may be signed-in console users.

    A write (any method but GET, HEAD, OPTIONS) with the cookie must carry the session's
    CSRF token in ``X-CSRF-Token``.
    """

    def dependency(self) -> Callable[[Request, Facade], Coroutine[Any, Any, Principal]]:
        """A FastAPI dependency that authenticates these callers."""

        async def get_principal(request: Request, facade: FacadeDep) -> Principal:
            credential = read_credential(
                request, self.authorization_headers, self.key_headers, self.session_cookie
            )
            if credential.kind == "session" and request.method not in SAFE_METHODS:
                facade.sign_ins.check_csrf(credential.value, request.headers.get(CSRF_HEADER))
            contract_id = self.contract_ref(request.headers.get(self.contract_header, ""))
            return await resolve_principal(facade, credential, contract_id)

        return get_principal


NATIVE_CALLERS = Callers(session_cookie=SESSION_COOKIE)
"""Callers of the native API, STAC and STAPI (the console's signed-in users among them)."""

get_principal = NATIVE_CALLERS.dependency()

PrincipalDep = Annotated[Principal, Depends(get_principal)]
