"""Webhook URLs and S3 push endpoints that reach non-public addresses are refused on submission.

The settings here allow no network (the shared fixtures allow loopback for the
receivers of other tests), so every listed spelling must answer 422 naming the field.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.settings import Settings
from tests.factories import order_body
from tests.outbound_fakes import REFUSED_HOSTS

Tenant = dict[str, Any]
IDS = [h for h, _ in REFUSED_HOSTS]
KEYS = {"access_key_id": "testing", "secret_access_key": "testing-secret"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"outbound_allow_networks": []})


def refusal(response: Any, field: str) -> str:
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == field
    message: str = error["message"]
    return message


@pytest.mark.parametrize(("host", "rule"), REFUSED_HOSTS, ids=IDS)
def test_a_webhook_to_a_non_public_address_is_refused(
    client: TestClient, tenant: Tenant, host: str, rule: str
) -> None:
    response = client.post(
        "/v1/webhooks", json={"url": f"http://{host}:8080/hooks"}, headers=tenant["headers"]
    )
    assert rule in refusal(response, "url")
    assert client.get("/v1/webhooks", headers=tenant["headers"]).json()["results"] == []


@pytest.mark.parametrize(("host", "rule"), REFUSED_HOSTS, ids=IDS)
def test_a_push_to_a_bucket_at_a_non_public_address_is_refused(
    client: TestClient, tenant: Tenant, host: str, rule: str
) -> None:
    delivery = {"method": "s3", "endpoint_url": f"http://{host}:9000", "bucket": "drop", **KEYS}
    response = client.post(
        "/v1/orders", json=order_body(delivery=delivery), headers=tenant["headers"]
    )
    assert rule in refusal(response, "delivery.endpoint_url")
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["results"] == []


def test_changing_a_webhook_url_to_the_metadata_address_is_refused(
    client: TestClient, tenant: Tenant
) -> None:
    created = client.post(
        "/v1/webhooks", json={"url": "https://hooks.customer.example/in"}, headers=tenant["headers"]
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    response = client.patch(
        f"/v1/webhooks/{hook['id']}",
        json={"url": "http://169.254.169.254/latest/meta-data/"},
        headers=tenant["headers"],
    )
    assert "a link-local address (cloud metadata)" in refusal(response, "url")
    kept = client.get(f"/v1/webhooks/{hook['id']}", headers=tenant["headers"]).json()
    assert kept["url"] == "https://hooks.customer.example/in"
