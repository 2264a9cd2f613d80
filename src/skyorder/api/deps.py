"""FastAPI dependencies: the runtime, the caller, and list queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from skyorder.core.errors import AuthenticationFailed
from skyorder.core.tenants import Principal
from skyorder.runtime import Runtime
from skyorder.services import auth
from skyorder.services.credentials import hash_api_key


async def get_runtime(request: Request) -> Runtime:
    """The runtime the app was built with (async: no thread is needed to read it)."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _credentials(request: Request) -> tuple[str, str]:
    """("bearer", token) or ("key", api_key) from the request headers."""
    header = request.headers.get("authorization") or request.headers.get("authorizationtoken")
    api_key = request.headers.get("x-api-key")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            value = value.strip()
            return ("key", value) if value.startswith("sko_") else ("bearer", value)
        if not value:
            return ("key", scheme)
        raise AuthenticationFailed(
            "the Authorization header must be 'Bearer <token>' or an API key"
        )
    if api_key:
        return ("key", api_key.strip())
    raise AuthenticationFailed(
        "no credentials: send 'Authorization: Bearer <token>' (from POST /oauth/token) "
        "or an API key in 'Authorization' or 'X-API-Key'"
    )


def principal_lookup(
    runtime: Runtime, request: Request, contract_header: str
) -> tuple[tuple[str, ...], Callable[[], Principal]]:
    """The cache key of the request's caller, and how to load it on a miss.

    A bearer token is verified here (signature and expiry), on every request.
    """
    kind, value = _credentials(request)
    contract_id = request.headers.get(contract_header) or ""
    key: tuple[str, ...]
    if kind == "bearer":
        claims = runtime.tokens.verify(value)  # signature and expiry: every request
        key = ("token", str(claims["sub"]), str(claims["org"]), str(claims["cred"]), contract_id)
    else:
        claims = {}
        key = ("key", hash_api_key(value), contract_id)

    def load() -> Principal:
        with runtime.uow(readonly=True) as uow:
            if kind == "bearer":
                client = auth.client_for_claims(uow, claims)
            else:
                client = auth.client_for_api_key(uow, value)
            return auth.principal_for(uow, client, contract_id or None)

    return key, load


async def resolve_principal(runtime: Runtime, request: Request, contract_header: str) -> Principal:
    """Authenticate the request and choose its contract (shared by every front end).

    A cached caller costs no thread; loading one reads the database in the thread pool.
    """
    key, load = principal_lookup(runtime, request, contract_header)
    cached = runtime.principals.cached(key)
    if cached is not None:
        return cached
    return await run_in_threadpool(runtime.principals.get, key, load)


async def get_principal(request: Request, runtime: RuntimeDep) -> Principal:
    """The authenticated caller of a native API request."""
    return await resolve_principal(runtime, request, "x-contract-id")


PrincipalDep = Annotated[Principal, Depends(get_principal)]
