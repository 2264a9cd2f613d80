"""Draft orders: kept with their validation errors, edited, submitted; listed as DRAFT."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import order_body, place, tasking_item

Tenant = dict[str, Any]
PAST = {"start": "2025-01-01T00:00:00Z", "end": "2025-01-05T00:00:00Z"}


def draft(client: TestClient, tenant: Tenant, **item: Any) -> dict[str, Any]:
    body = order_body(tasking_item(name="draft item", **item), draft=True)
    response = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def pixxel_items(client: TestClient, tenant: Tenant, **params: Any) -> list[dict[str, Any]]:
    response = client.get(
        "/v0/order-items", params=params, headers={"Authorization": tenant["api_key"]}
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["order_items"]
    return found


def test_a_draft_is_kept_with_its_validation_errors_and_listed_as_draft(
    client: TestClient, tenant: Tenant
) -> None:
    saved = draft(client, tenant, window=PAST)
    assert saved["status"] == "draft" and saved["items"][0]["status"] == "draft"
    errors = saved["items"][0]["validation_errors"]
    assert errors and errors[0]["field"] == "items[0].window.end"
    (item,) = pixxel_items(client, tenant, status="DRAFT")
    assert item["status"] == "DRAFT" and item["payment_status"] == "UNPAID"
    assert item["validation_errors"] == errors and item["tasks"] == []
    assert pixxel_items(client, tenant, status="ACTIVE") == []


def test_a_draft_with_errors_is_not_submitted_and_stays_a_draft(
    client: TestClient, tenant: Tenant
) -> None:
    saved = draft(client, tenant, window=PAST)
    response = client.post(f"/v1/orders/{saved['id']}/submit", headers=tenant["headers"])
    assert response.status_code == 422
    assert "window.end" in response.text
    again = client.get(f"/v1/orders/{saved['id']}", headers=tenant["headers"]).json()
    assert again["status"] == "draft"


def test_an_edited_draft_is_submitted_under_its_number_with_its_item_ids(
    client: TestClient, tenant: Tenant
) -> None:
    saved = draft(client, tenant, window=PAST)
    fixed = order_body(tasking_item(name="fixed item"), draft=True)
    edited = client.put(f"/v1/orders/{saved['id']}", json=fixed, headers=tenant["headers"])
    assert edited.status_code == 200, edited.text
    assert edited.json()["items"][0]["validation_errors"] == []
    submitted = client.post(f"/v1/orders/{saved['id']}/submit", headers=tenant["headers"])
    assert submitted.status_code == 200, submitted.text
    order = submitted.json()
    assert order["status"] == "accepted" and order["order_number"] == saved["order_number"]
    assert order["total_amount"] > 0
    (item,) = pixxel_items(client, tenant)
    assert item["id"] == order["items"][0]["id"] and item["name"] == "fixed item"
    assert item["status"] == "ACTIVE" and item["payment_status"] == "PAID"
    assert len(item["tasks"]) == 1 and item["validation_errors"] == []


def test_a_placed_order_is_not_edited_as_a_draft(client: TestClient, tenant: Tenant) -> None:
    order = place(client, tenant, order_body())
    response = client.put(f"/v1/orders/{order['id']}", json=order_body(), headers=tenant["headers"])
    assert response.status_code == 409
    submitted = client.post(f"/v1/orders/{order['id']}/submit", headers=tenant["headers"])
    assert submitted.status_code == 409


def test_another_organisation_cannot_touch_a_draft(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    saved = draft(client, tenant, window=PAST)
    response = client.post(f"/v1/orders/{saved['id']}/submit", headers=other_tenant["headers"])
    assert response.status_code == 404
    assert pixxel_items(client, other_tenant, status="DRAFT") == []
