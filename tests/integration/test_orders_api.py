from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import archive_item, order_body, tasking_item


def place(
    client: TestClient, tenant: dict[str, Any], body: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = client.post("/v1/orders", json=body or order_body(), headers=tenant["headers"])
    assert response.status_code == 201, response.text
    return response.json()


def test_placing_an_order_answers_201_with_the_accepted_order(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    order = place(client, tenant, order_body(tasking_item(), archive_item(), name="Mixed"))
    assert order["status"] == "accepted"
    assert order["order_number"] == "000001"
    assert order["kind"] == "mixed"
    assert order["contract_id"] == tenant["contract_id"]
    assert [i["status"] for i in order["items"]] == ["active", "active"]
    assert order["items"][0]["revisit_period"] == "P1D"
    assert order["items"][1]["collection"] == "phr"
    assert order["latest_event"]["type"] == "OrderAccepted"


def test_order_numbers_count_per_organisation(
    client: TestClient, tenant: dict[str, Any], other_tenant: dict[str, Any]
) -> None:
    assert place(client, tenant)["order_number"] == "000001"
    assert place(client, tenant)["order_number"] == "000002"
    assert place(client, other_tenant)["order_number"] == "000001"


def test_an_order_is_found_by_id_and_by_number(client: TestClient, tenant: dict[str, Any]) -> None:
    order = place(client, tenant)
    by_id = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()
    by_number = client.get("/v1/orders/000001", headers=tenant["headers"]).json()
    assert by_id["id"] == by_number["id"] == order["id"]


def test_cancelling_records_events_in_order(client: TestClient, tenant: dict[str, Any]) -> None:
    order = place(client, tenant)
    response = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["latest_event"]["type"] == "OrderCancelled"
    events = client.get(f"/v1/orders/{order['id']}/events", headers=tenant["headers"]).json()
    types = [e["type"] for e in events["results"]]
    assert types == [
        "OrderCreated",
        "OrderAccepted",
        "OrderItemActivated",
        "OrderCancelled",
        "OrderItemCancelled",
    ]
    assert events["results"][0]["message"] == "OrderCreated event occurred for order 000001"


def test_cancelling_twice_is_a_conflict(client: TestClient, tenant: dict[str, Any]) -> None:
    order = place(client, tenant)
    client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    again = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert "cancelled" in again.json()["detail"]
