"""Deliverables: stored through the repositories, read through /v1/deliverables and per order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.deliverables import DeliverableStatus
from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import capture_for, deliverable_for, order_body, place, store

Tenant = dict[str, Any]
HOUR = timedelta(hours=1)


@pytest.fixture
def order(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    return place(client, tenant)


def deliverables(
    client: TestClient, tenant: Tenant, path: str = "/v1/deliverables", **params: Any
) -> Any:
    response = client.get(path, params=params, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: dict[str, Any]) -> list[str]:
    return [d["id"] for d in page["results"]]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_delivered_deliverable_is_read_back_whole(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0)
    deliverable = deliverable_for(order, T0, delivered_at=T0 + HOUR, capture_id=capture.id)
    store(runtime, order["id"], capture, deliverable)
    got = client.get(f"/v1/deliverables/{deliverable.id}", headers=tenant["headers"]).json()
    assert got["status"] == "delivered"
    assert got["order_id"] == order["id"]
    assert got["order_number"] == "000001"
    assert got["item_id"] == order["items"][0]["id"]
    assert got["capture_id"] == capture.id
    assert got["contract_id"] == tenant["contract_id"]
    assert got["processing_level"] == "L1D_SR"
    assert got["billing_details"] == {"billable_sqkm": 27.5, "billable_sku": "TSKRSH-M.NN.NN"}
    assert got["metadata"] == {"gsd": 0.8, "sensor": "micro-fleet"}
    assert got["tags"] == ["rush"]
    assert at(got["created_at"]) == T0
    assert at(got["delivered_at"]) == at(got["updated_at"]) == T0 + HOUR
    assert got["rejected_at"] is None


def test_a_deliverables_assets_link_to_its_download_route(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    deliverable = deliverable_for(order, T0)
    store(runtime, order["id"], deliverable)
    got = client.get(f"/v1/deliverables/{deliverable.id}", headers=tenant["headers"]).json()
    assert got["assets"] == {
        "visual": {
            "href": f"/v1/deliverables/{deliverable.id}/assets/visual",
            "type": "image/tiff; application=geotiff",
            "roles": ["data", "visual"],
            "title": "Visual",
            "size": 1024,
            "sha256": "ab" * 32,
        },
        "thumbnail": {
            "href": f"/v1/deliverables/{deliverable.id}/assets/thumbnail",
            "type": "image/png",
            "roles": ["thumbnail"],
            "title": None,
            "size": None,
            "sha256": None,
        },
    }


def test_a_delivered_deliverable_carries_its_latest_event(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    deliverable = deliverable_for(order, T0, delivered_at=T0 + HOUR)
    store(runtime, order["id"], deliverable)
    got = client.get(f"/v1/deliverables/{deliverable.id}", headers=tenant["headers"]).json()
    event = got["latest_event"]
    assert event["type"] == "DeliverableDelivered"
    assert event["details"] == {"delivery_method": "API"}
    assert event["message"] == "DeliverableDelivered event occurred for order 000001"
    assert at(event["timestamp"]) == T0 + HOUR


def test_a_processing_deliverable_carries_its_creation_event(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    deliverable = deliverable_for(order, T0, status=DeliverableStatus.PROCESSING)
    store(runtime, order["id"], deliverable)
    got = client.get(f"/v1/deliverables/{deliverable.id}", headers=tenant["headers"]).json()
    assert got["status"] == "processing"
    assert got["delivered_at"] is None
    assert got["latest_event"]["type"] == "DeliverableCreated"


def test_a_rejected_deliverable_records_when_it_was_rejected(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    deliverable = deliverable_for(order, T0, status=DeliverableStatus.REJECTED)
    store(runtime, order["id"], deliverable)
    got = client.get(f"/v1/deliverables/{deliverable.id}", headers=tenant["headers"]).json()
    assert got["status"] == "rejected"
    assert at(got["rejected_at"]) == T0
    assert got["latest_event"]["details"] == {"reason": "cloudy"}


def test_a_saved_delivery_updates_the_stored_deliverable(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    deliverable = deliverable_for(order, T0, status=DeliverableStatus.PROCESSING)
    store(runtime, order["id"], deliverable)
    deliverable.transition(DeliverableStatus.DELIVERED, T0 + HOUR, {"delivery_method": "API"})
    with runtime.uow() as uow:
        uow.deliverables.save(deliverable)
        uow.commit()
    got = client.get(f"/v1/deliverables/{deliverable.id}", headers=tenant["headers"]).json()
    assert got["status"] == "delivered"
    assert at(got["delivered_at"]) == T0 + HOUR


def test_an_unknown_deliverable_is_not_found(client: TestClient, tenant: Tenant) -> None:
    response = client.get(
        "/v1/deliverables/00000000-0000-4000-8000-000000000000", headers=tenant["headers"]
    )
    assert response.status_code == 404


def test_deliverables_are_listed_newest_first(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    old, new = deliverable_for(order, T0), deliverable_for(order, T0 + HOUR)
    store(runtime, order["id"], new, old)
    assert ids(deliverables(client, tenant)) == [new.id, old.id]


@pytest.mark.parametrize("status", ["delivered", "DELIVERED", "Delivered"])
def test_deliverables_filter_by_status_in_any_case(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any], status: str
) -> None:
    delivered = deliverable_for(order, T0)
    processing = deliverable_for(order, T0, status=DeliverableStatus.PROCESSING)
    store(runtime, order["id"], delivered, processing)
    assert ids(deliverables(client, tenant, status=status)) == [delivered.id]


def test_deliverables_filter_by_a_status_list(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    made = {
        s: deliverable_for(order, T0, status=s)
        for s in (DeliverableStatus.DELIVERED, DeliverableStatus.FAILED, DeliverableStatus.REJECTED)
    }
    store(runtime, order["id"], *made.values())
    page = deliverables(client, tenant, status="FAILED,rejected")
    assert set(ids(page)) == {
        made[DeliverableStatus.FAILED].id,
        made[DeliverableStatus.REJECTED].id,
    }


@pytest.mark.parametrize(
    ("param", "expected"),
    [
        ("delivered_at__gt", ["late"]),
        ("delivered_at__gte", ["late", "middle"]),
        ("delivered_at__lt", ["early"]),
        ("delivered_at__lte", ["middle", "early"]),
    ],
)
def test_deliverables_filter_by_delivery_time(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    order: dict[str, Any],
    param: str,
    expected: list[str],
) -> None:
    made = {
        name: deliverable_for(order, T0 + n * HOUR, delivered_at=T0 + n * HOUR)
        for n, name in enumerate(("early", "middle", "late"), start=1)
    }
    store(runtime, order["id"], *made.values())
    page = deliverables(client, tenant, **{param: "2026-01-05T14:00:00Z"})
    assert ids(page) == [made[name].id for name in expected]


def test_undelivered_deliverables_never_match_a_delivery_time(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    store(runtime, order["id"], deliverable_for(order, T0, status=DeliverableStatus.PROCESSING))
    assert deliverables(client, tenant, delivered_at__gt="2000-01-01")["count"] == 0


def test_deliverables_filter_by_order_number(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    other = place(client, tenant, order_body(name="other"))
    mine, theirs = deliverable_for(order, T0), deliverable_for(other, T0)
    store(runtime, order["id"], mine)
    store(runtime, other["id"], theirs)
    assert ids(deliverables(client, tenant, order="000001")) == [mine.id]
    assert ids(deliverables(client, tenant, order_id=other["id"])) == [theirs.id]


def test_deliverables_filter_by_capture_and_processing_level(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0)
    from_capture = deliverable_for(order, T0, capture_id=capture.id, processing_level="L1B")
    store(runtime, order["id"], capture, from_capture, deliverable_for(order, T0))
    assert ids(deliverables(client, tenant, capture_id=capture.id)) == [from_capture.id]
    assert ids(deliverables(client, tenant, processing_level="L1B")) == [from_capture.id]


def test_an_orders_deliverables_are_listed_under_the_order(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    other = place(client, tenant, order_body(name="other"))
    mine = deliverable_for(order, T0)
    store(runtime, order["id"], mine)
    store(runtime, other["id"], deliverable_for(other, T0))
    by_id = deliverables(client, tenant, f"/v1/orders/{order['id']}/deliverables")
    by_number = deliverables(client, tenant, "/v1/orders/000001/deliverables")
    assert ids(by_id) == ids(by_number) == [mine.id]
    assert by_id["count"] == 1


def test_deliverable_events_join_the_order_event_log(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    deliverable = deliverable_for(order, T0, delivered_at=T0 + HOUR)
    store(runtime, order["id"], deliverable)
    events = client.get(f"/v1/orders/{order['id']}/events", headers=tenant["headers"]).json()
    types = [e["type"] for e in events["results"] if e["entity_id"] == deliverable.id]
    assert types == ["DeliverableCreated", "DeliverableDelivered"]
