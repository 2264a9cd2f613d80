"""The webhook subscription API: create, list, read, update, delete, rotate, scoping."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

Tenant = dict[str, Any]
URL = "https://example.com/skyorder/hooks"


def create(client: TestClient, tenant: Tenant, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/webhooks", json={"url": URL, **body}, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_creating_a_webhook_answers_it_with_its_secret(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant, description="orders", event_types=["OrderAccepted"])
    assert hook["url"] == URL
    assert hook["event_types"] == ["OrderAccepted"]
    assert hook["description"] == "orders"
    assert hook["enabled"] is True
    assert hook["secret"].startswith("whsec_")


def test_the_location_header_names_the_new_webhook(client: TestClient, tenant: Tenant) -> None:
    response = client.post("/v1/webhooks", json={"url": URL}, headers=tenant["headers"])
    assert response.headers["location"] == f"/v1/webhooks/{response.json()['id']}"


def test_without_event_types_every_event_is_sent(client: TestClient, tenant: Tenant) -> None:
    assert create(client, tenant)["event_types"] == ["*"]


def test_the_secret_is_not_shown_again(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant)
    read = client.get(f"/v1/webhooks/{hook['id']}", headers=tenant["headers"]).json()
    listed = client.get("/v1/webhooks", headers=tenant["headers"]).json()["results"]
    assert "secret" not in read
    assert all("secret" not in h for h in listed)


def test_webhooks_are_listed_with_paging(client: TestClient, tenant: Tenant) -> None:
    ids = [create(client, tenant, description=str(i))["id"] for i in range(3)]
    page = client.get("/v1/webhooks?limit=2", headers=tenant["headers"]).json()
    assert page["count"] == 3
    assert [h["id"] for h in page["results"]] == ids[:2]
    assert page["next"] is not None


def test_patch_changes_only_the_fields_sent(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant, event_types=["OrderAccepted"], description="keep")
    response = client.patch(
        f"/v1/webhooks/{hook['id']}",
        json={"enabled": False, "url": "http://example.org/in"},
        headers=tenant["headers"],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["enabled"] is False and body["url"] == "http://example.org/in"
    assert body["event_types"] == ["OrderAccepted"] and body["description"] == "keep"


def test_patch_with_null_event_types_sends_every_event(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant, event_types=["OrderAccepted"])
    body = client.patch(
        f"/v1/webhooks/{hook['id']}", json={"event_types": None}, headers=tenant["headers"]
    ).json()
    assert body["event_types"] == ["*"]


def test_deleting_a_webhook_removes_it(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant)
    response = client.delete(f"/v1/webhooks/{hook['id']}", headers=tenant["headers"])
    assert response.status_code == 204
    assert client.get(f"/v1/webhooks/{hook['id']}", headers=tenant["headers"]).status_code == 404


def test_rotating_the_secret_answers_a_new_one(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant)
    response = client.post(f"/v1/webhooks/{hook['id']}/rotate-secret", headers=tenant["headers"])
    assert response.status_code == 200
    assert response.json()["secret"].startswith("whsec_")
    assert response.json()["secret"] != hook["secret"]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"enabled": False}),
        ("DELETE", "", None),
        ("POST", "/rotate-secret", None),
        ("POST", "/test", None),
        ("GET", "/deliveries", None),
    ],
)
def test_another_organisations_webhook_is_not_found(
    client: TestClient,
    tenant: Tenant,
    other_tenant: Tenant,
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    hook = create(client, tenant)
    response = client.request(
        method, f"/v1/webhooks/{hook['id']}{suffix}", json=body, headers=other_tenant["headers"]
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_another_organisations_webhooks_are_not_listed(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    create(client, tenant)
    assert client.get("/v1/webhooks", headers=other_tenant["headers"]).json()["count"] == 0


def test_webhooks_require_credentials(client: TestClient) -> None:
    assert client.post("/v1/webhooks", json={"url": URL}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({}, "url"),
        ({"url": URL, "event_types": ["Order Accepted"]}, "event_types[0]"),
        ({"url": URL, "event_types": []}, "event_types"),
        ({"url": URL, "enabled": "sometimes"}, "enabled"),
        ({"url": URL, "colour": "blue"}, "colour"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    client: TestClient, tenant: Tenant, body: dict[str, Any], field: str
) -> None:
    response = client.post("/v1/webhooks", json=body, headers=tenant["headers"])
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_bad_patch_changes_nothing(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant)
    response = client.patch(
        f"/v1/webhooks/{hook['id']}",
        json={"enabled": False, "url": "gopher://x"},
        headers=tenant["headers"],
    )
    assert response.status_code == 422
    read = client.get(f"/v1/webhooks/{hook['id']}", headers=tenant["headers"]).json()
    assert read["enabled"] is True and read["url"] == URL


def test_an_unknown_delivery_status_filter_is_refused(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant)
    response = client.get(
        f"/v1/webhooks/{hook['id']}/deliveries?status=lost", headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert "pending, delivered, failed" in response.json()["detail"]


def test_a_disabled_webhook_cannot_be_tested(client: TestClient, tenant: Tenant) -> None:
    hook = create(client, tenant, enabled=False)
    response = client.post(f"/v1/webhooks/{hook['id']}/test", headers=tenant["headers"])
    assert response.status_code == 409
