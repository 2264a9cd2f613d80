"""Administering API clients through the native API: list, disable, enable, rotate."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.tenants import Role
from skyorder.runtime import Runtime
from skyorder.services import api_clients
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms, create_client
from skyorder.settings import Settings

Creds = dict[str, Any]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """The shared settings with an HMAC key long enough for PyJWT not to warn."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        jwt_secret="integration-test-secret-of-at-least-32-bytes",
        settle_heap=False,
        wake_queue=False,
    )


def _org(runtime: Runtime, name: str, roles: tuple[Role, ...]) -> Creds:
    creds = provision_organisation(
        runtime.uow,
        runtime.clock,
        name,
        "http://testserver",
        ContractTerms(name=f"{name} contract"),
        roles=roles,
    )
    creds["headers"] = {"X-API-Key": creds["api_key"]}
    return creds


@pytest.fixture
def admin(runtime: Runtime) -> Creds:
    """An organisation whose first API client holds the admin role."""
    return _org(runtime, "Admin Org", (Role.ADMIN,))


@pytest.fixture
def colleague(runtime: Runtime, admin: Creds) -> Creds:
    """A second, customer-only client of the admin's organisation."""
    with runtime.uow() as uow:
        made = create_client(uow, runtime.clock, admin["organisation_id"], "colleague")
        uow.commit()
    return {
        "client_id": made.client_id,
        "client_secret": made.client_secret,
        "api_key": made.api_key,
        "headers": {"X-API-Key": made.api_key},
    }


def _token(client: TestClient, creds: Creds, secret: str | None = None) -> Any:
    return client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": secret or creds["client_secret"],
        },
    )


def _bearer(client: TestClient, creds: Creds) -> dict[str, str]:
    response = _token(client, creds)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _act(client: TestClient, admin: Creds, client_id: str, action: str) -> Any:
    return client.post(f"/v1/clients/{client_id}/{action}", headers=admin["headers"])


def test_an_admin_lists_its_organisations_clients_without_secrets(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    response = client.get("/v1/clients", headers=admin["headers"])
    assert response.status_code == 200, response.text
    listed = {c["client_id"]: c for c in response.json()}
    assert set(listed) == {admin["client_id"], colleague["client_id"]}
    assert listed[admin["client_id"]]["roles"] == ["customer", "admin"]
    assert admin["client_secret"] not in response.text
    assert admin["api_key"] not in response.text


def test_a_client_without_the_admin_role_is_refused_naming_the_role(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    response = _act(client, colleague, admin["client_id"], "disable")
    assert response.status_code == 403
    assert "'admin' role" in response.json()["detail"]


def test_a_disabled_clients_api_key_is_refused_saying_it_is_disabled(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    assert client.get("/v1/orders", headers=colleague["headers"]).status_code == 200
    assert _act(client, admin, colleague["client_id"], "disable").json()["disabled"] is True
    response = client.get("/v1/orders", headers=colleague["headers"])
    assert response.status_code == 401
    assert f"API client {colleague['client_id']} is disabled" in response.json()["detail"]


def test_a_disabled_clients_access_token_is_refused(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    bearer = _bearer(client, colleague)
    assert client.get("/v1/orders", headers=bearer).status_code == 200
    _act(client, admin, colleague["client_id"], "disable")
    response = client.get("/v1/orders", headers=bearer)
    assert response.status_code == 401
    assert "is disabled" in response.json()["detail"]


def test_a_disabled_client_gets_no_new_token(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    _act(client, admin, colleague["client_id"], "disable")
    response = _token(client, colleague)
    assert response.status_code == 401
    assert "is disabled" in response.json()["error_description"]


def test_an_enabled_client_works_again(client: TestClient, admin: Creds, colleague: Creds) -> None:
    _act(client, admin, colleague["client_id"], "disable")
    assert _act(client, admin, colleague["client_id"], "enable").json()["disabled"] is False
    assert client.get("/v1/orders", headers=colleague["headers"]).status_code == 200


def test_a_rotated_api_key_works_and_the_old_one_does_not(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    assert client.get("/v1/orders", headers=colleague["headers"]).status_code == 200
    response = _act(client, admin, colleague["client_id"], "rotate-key")
    assert response.status_code == 200, response.text
    new_key = response.json()["api_key"]
    assert client.get("/v1/orders", headers=colleague["headers"]).status_code == 401
    assert client.get("/v1/orders", headers={"X-API-Key": new_key}).status_code == 200


def test_a_rotated_secret_gets_tokens_and_the_old_secret_does_not(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    response = _act(client, admin, colleague["client_id"], "rotate-secret")
    assert response.status_code == 200, response.text
    assert _token(client, colleague).status_code == 401
    assert _token(client, colleague, response.json()["client_secret"]).status_code == 200


def test_tokens_issued_before_a_secret_rotation_are_refused(
    client: TestClient, admin: Creds, colleague: Creds
) -> None:
    bearer = _bearer(client, colleague)
    assert client.get("/v1/orders", headers=bearer).status_code == 200
    _act(client, admin, colleague["client_id"], "rotate-secret")
    response = client.get("/v1/orders", headers=bearer)
    assert response.status_code == 401
    assert "secret was rotated" in response.json()["detail"]


@pytest.mark.parametrize("action", ["disable", "enable", "rotate-key", "rotate-secret"])
def test_another_organisations_client_answers_like_a_missing_one(
    client: TestClient, admin: Creds, runtime: Runtime, action: str
) -> None:
    other = _org(runtime, "Other Org", ())
    response = _act(client, admin, other["client_id"], action)
    assert response.status_code == 404
    assert client.get("/v1/orders", headers=other["headers"]).status_code == 200


def test_another_organisations_clients_are_not_listed(
    client: TestClient, admin: Creds, runtime: Runtime
) -> None:
    other = _org(runtime, "Other Org", ())
    listed = client.get("/v1/clients", headers=admin["headers"]).json()
    assert other["client_id"] not in {c["client_id"] for c in listed}


def test_an_admin_cannot_disable_the_client_it_calls_with(client: TestClient, admin: Creds) -> None:
    response = _act(client, admin, admin["client_id"], "disable")
    assert response.status_code == 409
    assert client.get("/v1/orders", headers=admin["headers"]).status_code == 200


def test_a_client_disabled_by_another_process_is_refused_within_a_second(
    client: TestClient, runtime: Runtime, colleague: Creds
) -> None:
    assert client.get("/v1/orders", headers=colleague["headers"]).status_code == 200  # cached
    with runtime.uow() as uow:  # as `skyorder admin disable-client` does, beside the server
        api_clients.set_disabled(uow, None, colleague["client_id"], True)
        uow.commit()
    time.sleep(runtime.settings.auth_cache_seconds + 0.05)
    assert client.get("/v1/orders", headers=colleague["headers"]).status_code == 401
