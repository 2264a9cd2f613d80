"""Who is calling: client credentials for tokens, and the principal behind a credential.

Front ends read credentials from the headers they document and hand them here as a
``Credential``; what a token or key means, and which contract the caller acts under,
is decided once, for every front end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from skyorder.core.clock import wall_clock
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.services import auth, sign_in
from skyorder.services.auth import IssuedToken
from skyorder.services.credentials import hash_api_key
from skyorder.services.sign_in import token_hash

__all__ = ["Auth", "Credential", "IssuedToken", "PrincipalKey"]

PrincipalKey = tuple[str, ...]


@dataclass(frozen=True)
class Credential:
    """A bearer token, an API key or a console session's token, as a request carried it."""

    kind: Literal["bearer", "key", "session"]
    value: str


class Auth(Resource):
    """Tokens and callers."""

    def issue_token(self, client_id: str, client_secret: str, audience: str | None) -> IssuedToken:
        """A signed access token for an API client's id and secret.

        Raises:
            AuthenticationFailed: unknown client, wrong secret or disabled client.
        """
        with self._rt.uow(readonly=True) as uow:
            client = auth.authenticate_client(uow, client_id, client_secret)
        return self._rt.tokens.issue(client, audience)

    def lookup(
        self, credential: Credential, contract_id: str | None
    ) -> tuple[PrincipalKey, Callable[[], Principal]]:
        """The cache key of a caller, and how to load it on a miss.

        A bearer token is verified here (signature and expiry), on every request.

        Raises:
            AuthenticationFailed: a forged, malformed or expired token.
        """
        contract = contract_id or ""
        key: PrincipalKey
        if credential.kind == "bearer":
            claims = self._rt.tokens.verify(credential.value)
            # The credential tag: a token issued before a secret rotation misses the cache.
            key = ("token", str(claims["sub"]), str(claims["org"]), str(claims["cred"]), contract)
        elif credential.kind == "session":
            claims = {}
            key = ("session", token_hash(credential.value), contract)
        else:
            claims = {}
            key = ("key", hash_api_key(credential.value), contract)

        def load() -> Principal:
            if credential.kind == "session":
                now = wall_clock(self._rt.clock).now()
                with self._rt.uow(readonly=True) as uow:
                    return sign_in.session_principal(
                        uow, credential.value, now, contract_id or None
                    )
            with self._rt.uow(readonly=True) as uow:
                if credential.kind == "bearer":
                    client = auth.client_for_claims(uow, claims)
                else:
                    client = auth.client_for_api_key(uow, credential.value)
                return auth.principal_for(uow, client, contract_id or None)

        return key, load

    def cached(self, key: PrincipalKey) -> Principal | None:
        """A caller recently loaded (no database read), or None."""
        return self._rt.principals.cached(key)

    def load(self, key: PrincipalKey, load: Callable[[], Principal]) -> Principal:
        """A caller from the cache, or loaded (reads the database: call it off the event loop)."""
        return self._rt.principals.get(key, load)
