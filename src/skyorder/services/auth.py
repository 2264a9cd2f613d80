"""Authentication: OAuth2 client-credentials tokens (JWT) and API keys → a Principal."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from skyorder.core.clock import Clock
from skyorder.core.errors import AuthenticationFailed, Hint, UnknownContract
from skyorder.core.ids import new_id
from skyorder.core.tenants import ApiClient, Principal, Role
from skyorder.core.users import User
from skyorder.services.credentials import check_secret, hash_api_key, secret_fingerprint
from skyorder.store.uow import UnitOfWork

ALGORITHM = "HS256"
ISSUER = "skyorder"


@dataclass(frozen=True)
class IssuedToken:
    """An access token as the token endpoint returns it."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"


class TokenService:
    """Signs and verifies the platform's JWT access tokens."""

    def __init__(self, secret: str, ttl: timedelta, clock: Clock) -> None:
        self._secret = secret
        self._ttl = ttl
        self._clock = clock

    def issue(self, client: ApiClient, audience: str | None) -> IssuedToken:
        """A signed, expiring token for ``client``."""
        now = self._clock.now()
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "sub": client.client_id,
            "org": client.organisation_id,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()) - 5,
            "exp": int((now + self._ttl).timestamp()),
            "jti": new_id(),
            "cred": secret_fingerprint(client.secret_hash),
        }
        if audience:
            claims["aud"] = audience
        token = jwt.encode(claims, self._secret, algorithm=ALGORITHM)
        return IssuedToken(token, int(self._ttl.total_seconds()))

    def mac(self, purpose: str, value: str) -> str:
        """An HMAC-SHA256 of ``value`` under the token key, for one ``purpose`` (hex)."""
        return hmac.new(
            self._secret.encode(), f"{purpose}\x00{value}".encode(), hashlib.sha256
        ).hexdigest()

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a valid token; raises AuthenticationFailed otherwise.

        Expiry is judged against the clock given (the runtime gives the wall clock:
        advancing sandbox time expires no token; tests give a fake one), so PyJWT
        checks only the signature and the claims' presence.
        """
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={
                    "require": ["exp", "sub", "org", "cred"],
                    "verify_aud": False,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise AuthenticationFailed("the access token is invalid") from None
        if not isinstance(claims["exp"], int | float):
            raise AuthenticationFailed("the access token is invalid")
        if self._clock.now().timestamp() >= claims["exp"]:
            raise AuthenticationFailed("the access token has expired; request a new one")
        return claims


def printable(text: str) -> bool:
    """Whether a credential is text a client could have been given (no NUL, no lone surrogate)."""
    return "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


def authenticate_client(uow: UnitOfWork, client_id: str, client_secret: str) -> ApiClient:
    """The API client whose id and secret match, or AuthenticationFailed."""
    if not (printable(client_id) and printable(client_secret)):
        raise AuthenticationFailed("invalid client_id or client_secret")
    client = uow.tenants.client_by_client_id(client_id)
    if client is None or not check_secret(client_secret, client.secret_hash):
        raise AuthenticationFailed("invalid client_id or client_secret")
    _refuse_disabled(client)  # only to whoever holds the right secret
    return client


def principal_for(uow: UnitOfWork, client: ApiClient, contract_id: str | None) -> Principal:
    """The principal of an authenticated client, under the contract it chose, with its user."""
    user = (
        uow.users.owner_of_client(client.organisation_id, client.user_id)
        if client.user_id is not None
        else None
    )
    return _principal(
        uow, client.organisation_id, client.client_id, client.roles, user, contract_id
    )


def principal_for_user(
    uow: UnitOfWork,
    user: User,
    client_id: str,
    roles: tuple[Role, ...],
    contract_id: str | None,
) -> Principal:
    """The principal of a signed-in user (the console), under the contract they chose."""
    return _principal(uow, user.organisation_id, client_id, roles, user, contract_id)


def _principal(
    uow: UnitOfWork,
    organisation_id: str,
    client_id: str,
    roles: tuple[Role, ...],
    user: User | None,
    contract_id: str | None,
) -> Principal:
    contract_ids = uow.tenants.contract_ids(organisation_id)
    if contract_id is not None and contract_id not in contract_ids:
        raise UnknownContract(
            f"contract {contract_id} not found", hint=Hint.LIST_CONTRACTS, contract_id=contract_id
        )
    return Principal(organisation_id, client_id, contract_ids, contract_id, roles, user)


def client_for_api_key(uow: UnitOfWork, key: str) -> ApiClient:
    """The API client owning ``key``, or AuthenticationFailed."""
    if not printable(key):
        raise AuthenticationFailed("invalid API key")
    client = uow.tenants.client_by_api_key_hash(hash_api_key(key))
    if client is None:
        raise AuthenticationFailed("invalid API key")
    _refuse_disabled(client)
    return client


def client_for_claims(uow: UnitOfWork, claims: dict[str, Any]) -> ApiClient:
    """The API client a verified token was issued to (refused if since disabled or rotated)."""
    client = uow.tenants.client_by_client_id(str(claims["sub"]))
    if client is None or client.organisation_id != claims["org"]:
        raise AuthenticationFailed("the access token's client no longer exists")
    _refuse_disabled(client)
    if claims.get("cred") != secret_fingerprint(client.secret_hash):
        raise AuthenticationFailed(
            "the access token was issued before the client secret was rotated; "
            "request a new token with the new secret"
        )
    return client


def _refuse_disabled(client: ApiClient) -> None:
    if client.disabled:
        raise AuthenticationFailed(
            f"API client {client.client_id} is disabled; an admin of your organisation "
            f"can enable it again (POST /v1/clients/{client.client_id}/enable)"
        )
