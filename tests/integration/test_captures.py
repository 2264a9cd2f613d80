"""Captures: stored through the repositories, read through /v1/captures and per order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.captures import CaptureGeometry, CaptureStatus
from skyorder.core.orders import Priority
from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import GROUND_TRACK, capture_for, order_body, place, store

Tenant = dict[str, Any]
DAY = timedelta(days=1)


@pytest.fixture
def order(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    return place(client, tenant)


def captures(client: TestClient, tenant: Tenant, path: str = "/v1/captures", **params: Any) -> Any:
    response = client.get(path, params=params, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: dict[str, Any]) -> list[str]:
    return [c["id"] for c in page["results"]]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_capture_is_read_back_with_its_aleph_fields(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    start = datetime(2026, 1, 7, 14, 3, 21, 250000, tzinfo=T0.tzinfo)
    capture = capture_for(
        order,
        T0,
        satellite="SKY-7",
        start=start,
        duration=timedelta(seconds=9),
        priority=Priority.STANDARD,
        geometry=CaptureGeometry(1.25, 18.5, 35.0, 36.75),
        cloud_cover=7.5,
    )
    store(runtime, order["id"], capture)
    got = client.get(f"/v1/captures/{capture.id}", headers=tenant["headers"]).json()
    assert got["satellite"] == "SKY-7"
    assert at(got["start"]) == start
    assert at(got["end"]) == start + timedelta(seconds=9)
    assert got["ground_track"] == GROUND_TRACK
    assert got["metadata"] == {
        "min_absolute_off_nadir": 1.25,
        "max_absolute_off_nadir": 18.5,
        "min_sun_elevation": 35.0,
        "max_sun_elevation": 36.75,
        "priority": "standard",
    }
    assert got["cloud_cover"] == 7.5
    assert got["status"] == "scheduled"


def test_a_capture_names_its_order_and_item(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0)
    store(runtime, order["id"], capture)
    got = client.get(f"/v1/captures/{capture.id}", headers=tenant["headers"]).json()
    assert got["order_id"] == order["id"]
    assert got["order_number"] == "000001"
    assert got["item_id"] == order["items"][0]["id"]


def test_a_ground_track_keeps_the_altitude_of_each_position(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0)
    store(runtime, order["id"], capture)
    got = client.get(f"/v1/captures/{capture.id}", headers=tenant["headers"]).json()
    assert got["ground_track"]["type"] == "LineString"
    assert [p[2] for p in got["ground_track"]["coordinates"]] == [523456.0, 523501.5]


def test_a_scheduled_capture_carries_its_latest_event(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0)
    store(runtime, order["id"], capture)
    got = client.get(f"/v1/captures/{capture.id}", headers=tenant["headers"]).json()
    event = got["latest_event"]
    assert event["type"] == "CaptureScheduled"
    assert event["details"] == {}
    assert event["message"] == "CaptureScheduled event occurred for order 000001"
    assert at(event["timestamp"]) == T0


def test_a_failed_capture_carries_the_reason_in_its_latest_event(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0, status=CaptureStatus.FAILED, reason="cloud cover 80%")
    store(runtime, order["id"], capture)
    got = client.get(f"/v1/captures/{capture.id}", headers=tenant["headers"]).json()
    assert got["status"] == "failed"
    assert got["latest_event"]["type"] == "CaptureCollectionFailed"
    assert got["latest_event"]["details"] == {"reason": "cloud cover 80%"}


def test_a_saved_transition_updates_status_and_latest_event(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0)
    store(runtime, order["id"], capture)
    later = T0 + timedelta(hours=3)
    capture.transition(CaptureStatus.COLLECTED, later)
    with runtime.uow() as uow:
        uow.captures.save(capture)
        uow.commit()
    got = client.get(f"/v1/captures/{capture.id}", headers=tenant["headers"]).json()
    assert got["status"] == "collected"
    assert at(got["updated_at"]) == later
    assert got["latest_event"]["type"] == "CaptureCollected"


def test_a_capture_without_events_has_no_latest_event(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0, status=CaptureStatus.PLANNED)
    store(runtime, order["id"], capture)
    got = client.get(f"/v1/captures/{capture.id}", headers=tenant["headers"]).json()
    assert got["status"] == "planned"
    assert got["latest_event"] is None


def test_an_unknown_capture_is_not_found(client: TestClient, tenant: Tenant) -> None:
    response = client.get(
        "/v1/captures/00000000-0000-4000-8000-000000000000", headers=tenant["headers"]
    )
    assert response.status_code == 404
    assert response.json()["type"] == "urn:skyorder:problem:not-found"


def test_captures_are_listed_latest_start_first(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    early, late, middle = (capture_for(order, T0, start=T0 + n * DAY) for n in (1, 3, 2))
    store(runtime, order["id"], early, late, middle)
    assert ids(captures(client, tenant)) == [late.id, middle.id, early.id]


def test_captures_filter_by_status(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    scheduled = capture_for(order, T0)
    failed = capture_for(order, T0, status=CaptureStatus.FAILED, reason="eclipse")
    collected = capture_for(order, T0, status=CaptureStatus.COLLECTED)
    store(runtime, order["id"], scheduled, failed, collected)
    assert ids(captures(client, tenant, status="failed")) == [failed.id]
    both = captures(client, tenant, status="scheduled,collected")
    assert set(ids(both)) == {scheduled.id, collected.id}


@pytest.mark.parametrize(
    ("param", "expected"),
    [
        ("start__gt", ["late"]),
        ("start__gte", ["late", "middle"]),
        ("start__lt", ["early"]),
        ("start__lte", ["middle", "early"]),
    ],
)
def test_captures_filter_by_start(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    order: dict[str, Any],
    param: str,
    expected: list[str],
) -> None:
    made = {
        name: capture_for(order, T0, start=T0 + n * DAY)
        for n, name in enumerate(("early", "middle", "late"), start=1)
    }
    store(runtime, order["id"], *made.values())
    page = captures(client, tenant, **{param: "2026-01-07T12:00:00Z"})
    assert ids(page) == [made[name].id for name in expected]


def test_captures_filter_by_end_before(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    short = capture_for(order, T0, start=T0 + DAY, duration=timedelta(seconds=5))
    long = capture_for(order, T0, start=T0 + DAY, duration=timedelta(seconds=50))
    store(runtime, order["id"], short, long)
    page = captures(client, tenant, end__lt="2026-01-06T12:00:30Z")
    assert ids(page) == [short.id]


def test_captures_filter_by_a_start_window(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    made = [capture_for(order, T0, start=T0 + n * DAY) for n in (1, 2, 3)]
    store(runtime, order["id"], *made)
    page = captures(client, tenant, start__gt="2026-01-06T13:00:00Z", end__lt="2026-01-08")
    assert ids(page) == [made[1].id]


def test_captures_filter_by_order_number(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    other = place(client, tenant, order_body(name="other"))
    mine, theirs = capture_for(order, T0), capture_for(other, T0)
    store(runtime, order["id"], mine)
    store(runtime, other["id"], theirs)
    assert ids(captures(client, tenant, order="000002")) == [theirs.id]
    assert ids(captures(client, tenant, order_id=order["id"])) == [mine.id]


def test_captures_filter_by_satellite(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    a, b = capture_for(order, T0, satellite="SKY-1"), capture_for(order, T0, satellite="SKY-2")
    store(runtime, order["id"], a, b)
    assert ids(captures(client, tenant, satellite="SKY-2")) == [b.id]


def test_an_unknown_capture_status_is_refused(client: TestClient, tenant: Tenant) -> None:
    response = client.get("/v1/captures", params={"status": "lost"}, headers=tenant["headers"])
    assert response.status_code == 422
    assert "collected" in response.json()["errors"][0]["message"]


def test_an_orders_captures_are_listed_under_the_order(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    other = place(client, tenant, order_body(name="other"))
    mine = capture_for(order, T0)
    store(runtime, order["id"], mine)
    store(runtime, other["id"], capture_for(other, T0))
    by_id = captures(client, tenant, f"/v1/orders/{order['id']}/captures")
    by_number = captures(client, tenant, "/v1/orders/000001/captures")
    assert ids(by_id) == ids(by_number) == [mine.id]
    assert by_id["count"] == 1


def test_an_orders_captures_take_filters(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    failed = capture_for(order, T0, status=CaptureStatus.FAILED, reason="eclipse")
    store(runtime, order["id"], capture_for(order, T0), failed)
    page = captures(client, tenant, f"/v1/orders/{order['id']}/captures", status="failed")
    assert ids(page) == [failed.id]


def test_capture_events_join_the_order_event_log(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0, status=CaptureStatus.FAILED, reason="eclipse")
    store(runtime, order["id"], capture)
    events = client.get(f"/v1/orders/{order['id']}/events", headers=tenant["headers"]).json()
    capture_events = [e for e in events["results"] if e["entity_type"] == "capture"]
    assert [e["type"] for e in capture_events] == ["CaptureScheduled", "CaptureCollectionFailed"]
    assert {e["entity_id"] for e in capture_events} == {capture.id}


def test_captures_page_with_next_links(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    made = [capture_for(order, T0, start=T0 + n * DAY) for n in (1, 2, 3)]
    store(runtime, order["id"], *made)
    first = captures(client, tenant, status="scheduled", limit=2)
    second = client.get(first["next"], headers=tenant["headers"]).json()
    assert first["count"] == 3
    assert ids(first) + ids(second) == [c.id for c in reversed(made)]
    assert second["next"] is None
