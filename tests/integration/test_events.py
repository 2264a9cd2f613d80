"""GET /v1/events: the organisation's event log and its filters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.captures import CaptureStatus
from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import advance, capture_for, deliverable_for, order_body, place, store

Tenant = dict[str, Any]


def events(client: TestClient, tenant: Tenant, **params: Any) -> Any:
    response = client.get("/v1/events", params=params, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def types(page: dict[str, Any]) -> list[str]:
    return [e["type"] for e in page["results"]]


def cancel(client: TestClient, tenant: Tenant, order: dict[str, Any]) -> None:
    response = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert response.status_code == 200, response.text


@pytest.fixture
def cancelled_an_hour_later(client: TestClient, runtime: Runtime, tenant: Tenant) -> dict[str, Any]:
    """An order placed at T0 and cancelled at T0 + 1h."""
    order = place(client, tenant)
    advance(runtime, hours=1)
    cancel(client, tenant, order)
    return order


def test_the_event_log_lists_events_in_the_order_they_happened(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    assert types(events(client, tenant)) == [
        "OrderCreated",
        "OrderAccepted",
        "OrderItemActivated",
        "OrderCancelled",
        "OrderItemCancelled",
    ]


def test_an_event_names_its_entity_and_order(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    order = cancelled_an_hour_later
    cancelled = events(client, tenant, type="OrderCancelled")["results"][0]
    assert cancelled["entity_type"] == "order"
    assert cancelled["entity_id"] == cancelled["order_id"] == order["id"]
    assert cancelled["details"] == {"status": "cancelled", "reason": "cancelled by the customer"}
    assert cancelled["message"] == "OrderCancelled event occurred for order 000001"
    assert cancelled["timestamp"] == "2026-01-05T13:00:00Z"


def test_events_filter_by_type(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    assert types(events(client, tenant, type="OrderCancelled")) == ["OrderCancelled"]


def test_events_filter_by_a_list_of_types(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    page = events(client, tenant, type="OrderCreated,OrderItemCancelled")
    assert types(page) == ["OrderCreated", "OrderItemCancelled"]


def test_events_filter_by_entity(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    page = events(client, tenant, entity="item")
    assert types(page) == ["OrderItemActivated", "OrderItemCancelled"]
    assert {e["entity_id"] for e in page["results"]} == {cancelled_an_hour_later["items"][0]["id"]}


def test_events_filter_by_capture_and_deliverable_entities(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    order = place(client, tenant)
    capture = capture_for(order, T0, status=CaptureStatus.COLLECTED)
    store(runtime, order["id"], capture, deliverable_for(order, T0, capture_id=capture.id))
    assert types(events(client, tenant, entity="capture")) == [
        "CaptureScheduled",
        "CaptureCollected",
    ]
    assert types(events(client, tenant, entity="deliverable")) == [
        "DeliverableCreated",
        "DeliverableDelivered",
    ]


def test_events_filter_by_entity_id(client: TestClient, runtime: Runtime, tenant: Tenant) -> None:
    order = place(client, tenant)
    first, second = capture_for(order, T0), capture_for(order, T0)
    store(runtime, order["id"], first, second)
    page = events(client, tenant, entity_id=second.id)
    assert [e["entity_id"] for e in page["results"]] == [second.id]


def test_an_unknown_entity_is_refused_listing_the_known_ones(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/events", params={"entity": "invoice"}, headers=tenant["headers"])
    assert response.status_code == 422
    assert "deliverable" in response.json()["errors"][0]["message"]


def test_events_filter_by_order_id(client: TestClient, runtime: Runtime, tenant: Tenant) -> None:
    place(client, tenant, order_body(name="first"))
    advance(runtime, minutes=1)
    second = place(client, tenant, order_body(name="second"))
    page = events(client, tenant, order_id=second["id"])
    assert page["count"] == 3
    assert {e["order_id"] for e in page["results"]} == {second["id"]}


def test_events_after_a_timestamp_are_only_the_newer_ones(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    page = events(client, tenant, timestamp__gt="2026-01-05T12:00:00Z")
    assert types(page) == ["OrderCancelled", "OrderItemCancelled"]


def test_polling_from_the_last_seen_timestamp_returns_only_what_is_new(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place(client, tenant, order_body(name="seen"))
    last_seen = events(client, tenant)["results"][-1]["timestamp"]
    advance(runtime, seconds=1)
    fresh = place(client, tenant, order_body(name="fresh"))
    page = events(client, tenant, timestamp__gt=last_seen)
    assert page["count"] == 3
    assert {e["order_id"] for e in page["results"]} == {fresh["id"]}


@pytest.mark.parametrize(
    ("param", "count"),
    [("timestamp__gte", 5), ("timestamp__lt", 0), ("timestamp__lte", 3), ("timestamp", 3)],
)
def test_events_filter_by_timestamp_bounds(
    client: TestClient,
    tenant: Tenant,
    cancelled_an_hour_later: dict[str, Any],
    param: str,
    count: int,
) -> None:
    assert events(client, tenant, **{param: "2026-01-05T12:00:00Z"})["count"] == count


def test_event_filters_combine(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    page = events(client, tenant, entity="order", timestamp__gt="2026-01-05T12:00:00Z")
    assert types(page) == ["OrderCancelled"]


def test_the_event_log_pages_with_next_links(
    client: TestClient, tenant: Tenant, cancelled_an_hour_later: dict[str, Any]
) -> None:
    first = events(client, tenant, limit=3)
    second = client.get(first["next"], headers=tenant["headers"]).json()
    assert first["count"] == 5
    assert types(first) + types(second) == types(events(client, tenant))
    assert second["next"] is None
