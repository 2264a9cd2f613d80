"""Authentication: OAuth2 client credentials (JWT bearer tokens) and API keys."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime
from skyorder.settings import Settings
from tests.factories import advance, pass_wall_time, place

Tenant = dict[str, Any]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """The shared settings, with an HMAC key long enough for PyJWT not to warn.

    conftest's ``jwt_secret="test-secret"`` (11 bytes) makes PyJWT raise
    InsecureKeyLengthWarning, which this suite turns into an error (a 500).
    """
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        jwt_secret="integration-test-secret-of-at-least-32-bytes",
        settle_heap=False,
    )


def token_for(client: TestClient, tenant: Tenant, **extra: str) -> str:
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": tenant["client_id"],
            "client_secret": tenant["client_secret"],
            **extra,
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_unauthenticated(response: Any) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"] == "urn:skyorder:problem:unauthenticated"


# the token endpoint


def test_a_form_body_gets_a_bearer_token(
    client: TestClient, tenant: Tenant, settings: Settings
) -> None:
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": tenant["client_id"],
            "client_secret": tenant["client_secret"],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.token_ttl_seconds
    assert response.headers["cache-control"] == "no-store"


def test_a_json_body_gets_a_bearer_token(
    client: TestClient, tenant: Tenant, settings: Settings
) -> None:
    response = client.post(
        "/oauth/token",
        json={"client_id": tenant["client_id"], "client_secret": tenant["client_secret"]},
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"
    assert response.json()["expires_in"] == settings.token_ttl_seconds


def test_an_audience_is_written_into_the_token(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": tenant["client_id"],
            "client_secret": tenant["client_secret"],
            "audience": "https://api.example.test",
        },
    )
    assert response.status_code == 200
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert claims["aud"] == "https://api.example.test"
    assert claims["sub"] == tenant["client_id"]
    assert claims["org"] == tenant["organisation_id"]


def test_http_basic_credentials_get_a_bearer_token(client: TestClient, tenant: Tenant) -> None:
    pair = f"{tenant['client_id']}:{tenant['client_secret']}".encode()
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic " + base64.b64encode(pair).decode()},
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


def test_a_wrong_secret_is_an_invalid_client(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/oauth/token",
        data={"client_id": tenant["client_id"], "client_secret": "not-the-secret"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_unknown_client_is_an_invalid_client(client: TestClient) -> None:
    response = client.post(
        "/oauth/token", json={"client_id": "cli_nobody", "client_secret": "whatever"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_missing_credentials_are_an_invalid_request(client: TestClient) -> None:
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_another_grant_type_is_unsupported(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": tenant["client_id"],
            "client_secret": tenant["client_secret"],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_malformed_json_body_is_an_invalid_request(client: TestClient) -> None:
    response = client.post(
        "/oauth/token", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


# bearer tokens on the API


def test_a_bearer_token_authenticates_on_orders(client: TestClient, tenant: Tenant) -> None:
    order = place(client, tenant)
    response = client.get("/v1/orders", headers=bearer(token_for(client, tenant)))
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["results"]] == [order["id"]]


def test_a_bearer_token_can_place_an_order_recorded_as_its_client(
    client: TestClient, tenant: Tenant
) -> None:
    token = token_for(client, tenant)
    order = place(client, {"headers": bearer(token)})
    assert order["created_by"] == tenant["client_id"]
    assert order["organisation_id"] == tenant["organisation_id"]


def test_a_bearer_token_sees_only_its_own_organisation(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    place(client, other_tenant)
    page = client.get("/v1/orders", headers=bearer(token_for(client, tenant))).json()
    assert page["count"] == 0


def test_a_token_still_works_just_before_it_expires(
    client: TestClient, runtime: Runtime, tenant: Tenant, settings: Settings
) -> None:
    token = token_for(client, tenant)
    pass_wall_time(runtime, seconds=settings.token_ttl_seconds - 1)
    assert client.get("/v1/orders", headers=bearer(token)).status_code == 200


def test_an_expired_token_is_refused(
    client: TestClient, runtime: Runtime, tenant: Tenant, settings: Settings
) -> None:
    token = token_for(client, tenant)
    pass_wall_time(runtime, seconds=settings.token_ttl_seconds)
    response = client.get("/v1/orders", headers=bearer(token))
    assert_unauthenticated(response)
    assert "expired" in response.json()["detail"]


def test_a_token_minted_before_an_advance_still_works_after_it(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    token = token_for(client, tenant)
    advance(runtime, days=30)
    assert client.get("/v1/orders", headers=bearer(token)).status_code == 200


def test_a_token_minted_after_an_advance_expires_by_real_time(
    client: TestClient, runtime: Runtime, tenant: Tenant, settings: Settings
) -> None:
    advance(runtime, days=30)
    token = token_for(client, tenant)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert isinstance(runtime.clock, SandboxClock)
    assert claims["exp"] == int(runtime.clock.wall.now().timestamp()) + settings.token_ttl_seconds
    pass_wall_time(runtime, seconds=settings.token_ttl_seconds)
    assert_unauthenticated(client.get("/v1/orders", headers=bearer(token)))


def test_a_token_signed_with_another_key_is_refused(client: TestClient, tenant: Tenant) -> None:
    genuine = jwt.decode(token_for(client, tenant), options={"verify_signature": False})
    forged = jwt.encode(genuine, "not-the-server-secret-but-long-enough", algorithm="HS256")
    assert_unauthenticated(client.get("/v1/orders", headers=bearer(forged)))


def test_a_token_claiming_another_organisation_is_refused(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, settings: Settings
) -> None:
    claims = jwt.decode(token_for(client, tenant), options={"verify_signature": False})
    claims["org"] = other_tenant["organisation_id"]
    assert settings.jwt_secret is not None
    tampered = jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
    assert_unauthenticated(client.get("/v1/orders", headers=bearer(tampered)))


def test_an_unsigned_token_is_refused(client: TestClient, tenant: Tenant) -> None:
    claims = jwt.decode(token_for(client, tenant), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert_unauthenticated(client.get("/v1/orders", headers=bearer(unsigned)))


def test_a_garbage_token_is_refused(client: TestClient) -> None:
    assert_unauthenticated(client.get("/v1/orders", headers=bearer("not.a.jwt")))


def test_a_token_with_a_tampered_expiry_is_refused(client: TestClient, tenant: Tenant) -> None:
    header, payload, signature = token_for(client, tenant).split(".")
    claims = jwt.decode(f"{header}.{payload}.{signature}", options={"verify_signature": False})
    claims["exp"] += int(timedelta(days=365).total_seconds())
    longer = jwt.encode(claims, "x" * 32, algorithm="HS256").split(".")[1]
    assert_unauthenticated(
        client.get("/v1/orders", headers=bearer(f"{header}.{longer}.{signature}"))
    )


# API keys


def test_an_api_key_in_x_api_key_authenticates(client: TestClient, tenant: Tenant) -> None:
    response = client.get("/v1/orders", headers={"X-API-Key": tenant["api_key"]})
    assert response.status_code == 200


def test_an_api_key_as_the_whole_authorization_header_authenticates(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/orders", headers={"Authorization": tenant["api_key"]})
    assert response.status_code == 200


def test_an_api_key_sent_as_a_bearer_token_authenticates(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/orders", headers=bearer(tenant["api_key"]))
    assert response.status_code == 200


@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
def test_an_api_key_authenticates_as_its_own_organisation(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, header: str
) -> None:
    mine = place(client, tenant)
    place(client, other_tenant)
    page = client.get("/v1/orders", headers={header: tenant["api_key"]}).json()
    assert [o["id"] for o in page["results"]] == [mine["id"]]


@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
def test_an_unknown_api_key_is_refused(client: TestClient, header: str) -> None:
    assert_unauthenticated(client.get("/v1/orders", headers={header: "sko_not-a-real-key"}))


def test_a_request_without_credentials_is_refused(client: TestClient) -> None:
    response = client.get("/v1/orders")
    assert_unauthenticated(response)
    assert "/oauth/token" in response.json()["detail"]


def test_an_unknown_authorization_scheme_is_refused(client: TestClient, tenant: Tenant) -> None:
    headers = {"Authorization": f"Digest {tenant['api_key']}"}
    assert_unauthenticated(client.get("/v1/orders", headers=headers))


def test_an_api_key_does_not_work_as_a_client_secret(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/oauth/token", data={"client_id": tenant["client_id"], "client_secret": tenant["api_key"]}
    )
    assert response.status_code == 401
