"""TokenService: signing and verifying access tokens against the platform clock."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.errors import AuthenticationFailed
from skyorder.core.tenants import ApiClient
from skyorder.services.auth import ALGORITHM, ISSUER, TokenService
from tests.unit.builders import T0

SECRET = "unit-test-signing-secret-of-at-least-32-bytes"
OTHER_SECRET = "another-signing-secret-of-at-least-32-bytes!"
TTL = timedelta(hours=1)


@pytest.fixture
def api_client() -> ApiClient:
    return ApiClient(
        id="ac-1",
        organisation_id="org-1",
        name="ci",
        client_id="cli_0123456789abcdef01234567",
        secret_hash="unused",
        api_key_hash="unused",
        created_at=T0,
    )


@pytest.fixture
def service(sandbox: SandboxClock) -> TokenService:
    return TokenService(SECRET, TTL, sandbox)


def test_an_issued_token_verifies_with_its_claims(
    service: TokenService, api_client: ApiClient
) -> None:
    claims = service.verify(service.issue(api_client, None).access_token)
    assert claims["iss"] == ISSUER
    assert claims["sub"] == api_client.client_id
    assert claims["org"] == "org-1"
    assert claims["iat"] == int(T0.timestamp())
    assert claims["exp"] == int((T0 + TTL).timestamp())
    assert claims["jti"]
    assert "aud" not in claims


def test_an_issued_token_is_a_bearer_token_with_its_lifetime(
    service: TokenService, api_client: ApiClient
) -> None:
    issued = service.issue(api_client, None)
    assert issued.token_type == "Bearer"
    assert issued.expires_in == 3600


def test_an_audience_is_carried_in_the_token(service: TokenService, api_client: ApiClient) -> None:
    claims = service.verify(service.issue(api_client, "https://api.example").access_token)
    assert claims["aud"] == "https://api.example"


def test_each_token_has_its_own_id(service: TokenService, api_client: ApiClient) -> None:
    first = service.verify(service.issue(api_client, None).access_token)
    second = service.verify(service.issue(api_client, None).access_token)
    assert first["jti"] != second["jti"]


def test_a_token_still_verifies_just_before_it_expires(
    service: TokenService, api_client: ApiClient, sandbox: SandboxClock
) -> None:
    token = service.issue(api_client, None).access_token
    sandbox.advance(TTL - timedelta(seconds=1))
    assert service.verify(token)["sub"] == api_client.client_id


def test_a_token_expires_when_the_sandbox_clock_passes_its_lifetime(
    service: TokenService, api_client: ApiClient, sandbox: SandboxClock
) -> None:
    token = service.issue(api_client, None).access_token
    sandbox.advance(TTL + timedelta(seconds=1))
    with pytest.raises(AuthenticationFailed) as exc:
        service.verify(token)
    assert "expired" in exc.value.detail


def test_a_token_is_expired_at_the_exact_expiry_second(
    service: TokenService, api_client: ApiClient, sandbox: SandboxClock
) -> None:
    token = service.issue(api_client, None).access_token
    sandbox.advance(TTL)
    with pytest.raises(AuthenticationFailed, match="expired"):
        service.verify(token)


def test_a_token_signed_with_another_secret_is_refused(
    sandbox: SandboxClock, service: TokenService, api_client: ApiClient
) -> None:
    forged = TokenService(OTHER_SECRET, TTL, sandbox).issue(api_client, None).access_token
    with pytest.raises(AuthenticationFailed) as exc:
        service.verify(forged)
    assert exc.value.detail == "the access token is invalid"


def _b64(data: dict[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_token_with_an_altered_payload_is_refused(
    service: TokenService, api_client: ApiClient
) -> None:
    token = service.issue(api_client, None).access_token
    header, _, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["org"] = "org-evil"
    with pytest.raises(AuthenticationFailed, match="invalid"):
        service.verify(f"{header}.{_b64(claims)}.{signature}")


def test_a_token_with_an_altered_signature_is_refused(
    service: TokenService, api_client: ApiClient
) -> None:
    token = service.issue(api_client, None).access_token
    head, _, signature = token.rpartition(".")
    altered = ("A" if signature[0] != "A" else "B") + signature[1:]
    with pytest.raises(AuthenticationFailed, match="invalid"):
        service.verify(f"{head}.{altered}")


def test_an_unsigned_token_is_refused(service: TokenService) -> None:
    claims = {"iss": ISSUER, "sub": "cli_x", "org": "org-1", "exp": int(T0.timestamp()) + 60}
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    with pytest.raises(AuthenticationFailed, match="invalid"):
        service.verify(token)


def test_garbage_is_refused(service: TokenService) -> None:
    with pytest.raises(AuthenticationFailed, match="invalid"):
        service.verify("not-a-jwt")


def test_a_token_from_another_issuer_is_refused(service: TokenService) -> None:
    claims = {"iss": "someone-else", "sub": "cli_x", "org": "org-1", "exp": 4102444800}
    token = jwt.encode(claims, SECRET, algorithm=ALGORITHM)
    with pytest.raises(AuthenticationFailed, match="invalid"):
        service.verify(token)


@pytest.mark.parametrize("missing", ["exp", "sub", "org"])
def test_a_token_missing_a_required_claim_is_refused(service: TokenService, missing: str) -> None:
    claims = {"iss": ISSUER, "sub": "cli_x", "org": "org-1", "exp": 4102444800}
    del claims[missing]
    token = jwt.encode(claims, SECRET, algorithm=ALGORITHM)
    with pytest.raises(AuthenticationFailed, match="invalid"):
        service.verify(token)


def test_a_token_issued_in_the_distant_past_verifies_while_sandbox_time_stands_still(
    api_client: ApiClient,
) -> None:
    clock = SandboxClock(base=FixedClock(datetime(2001, 1, 1, tzinfo=UTC)))
    service = TokenService(SECRET, timedelta(seconds=30), clock)
    token = service.issue(api_client, None).access_token
    assert service.verify(token)["sub"] == api_client.client_id


def test_a_token_expires_in_sandbox_time_even_when_the_host_clock_is_earlier(
    api_client: ApiClient,
) -> None:
    clock = SandboxClock(base=FixedClock(datetime(2100, 1, 1, tzinfo=UTC)))
    service = TokenService(SECRET, TTL, clock)
    token = service.issue(api_client, None).access_token
    clock.advance(TTL * 2)
    with pytest.raises(AuthenticationFailed, match="expired"):
        service.verify(token)
