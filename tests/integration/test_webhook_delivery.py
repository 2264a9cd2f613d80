"""Webhook deliveries end to end: events fan out, a real receiver gets them, signed, once."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook

from skyorder.core.steps import StepKind
from skyorder.core.webhooks import WEBHOOK_RETRIES
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.runtime import Runtime
from skyorder.settings import Settings
from tests.conftest import T0
from tests.factories import place as place_order
from tests.integration.webhook_receiver import Received, Receiver
from tests.outbound_fakes import PUBLIC_ADDRESS, FakeDns

Tenant = dict[str, Any]
HOUR = 3600


@pytest.fixture
def dns() -> FakeDns:
    return FakeDns()


@pytest.fixture
def outbound(settings: Settings, dns: FakeDns) -> OutboundPolicy:
    """The settings' policy (loopback allowed) with names the test makes up resolved by ``dns``."""
    return OutboundPolicy(settings.outbound().allow, resolve=dns.resolve)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def place(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    """An order whose events all happen now: placed, then cancelled before any work.

    (A live tasking order would go on making events as the clock advances.)
    """
    order = place_order(client, tenant)
    response = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return order


def subscribe(client: TestClient, tenant: Tenant, url: str, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/webhooks", json={"url": url, **body}, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def advance(client: TestClient, tenant: Tenant, seconds: float) -> None:
    response = client.post(
        "/v1/sandbox/clock/advance", json={"seconds": seconds}, headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text


def deliveries(
    client: TestClient, tenant: Tenant, hook: dict[str, Any], query: str = ""
) -> list[dict[str, Any]]:
    response = client.get(
        f"/v1/webhooks/{hook['id']}/deliveries?limit=1000{query}", headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def event_ids(client: TestClient, tenant: Tenant) -> set[str]:
    events = client.get("/v1/events?limit=1000", headers=tenant["headers"]).json()["results"]
    return {e["id"] for e in events}


def assert_signed(request: Received, secret: str) -> None:
    """Verified by the reference library (signature, and timestamp within 5 minutes)."""
    assert Webhook(secret).verify(request.body, request.headers) == json.loads(request.body)


def received_event_ids(requests: list[Received]) -> list[str]:
    return [json.loads(r.body)["data"]["id"] for r in requests]


def test_a_receiver_down_for_a_while_gets_every_event_once_when_back(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    hook = subscribe(client, tenant, receiver.url)
    place(client, tenant)
    advance(client, tenant, HOUR)  # attempts at 0 s, 5 s, ~5 min, ~35 min: refused
    assert receiver.requests == []
    pending = deliveries(client, tenant, hook)
    assert pending and all(d["status"] == "pending" for d in pending)
    assert all(a["error"].startswith("ConnectError") for d in pending for a in d["attempts"])

    receiver.up()
    advance(client, tenant, 30 * HOUR)
    got = receiver.acknowledged()
    assert sorted(received_event_ids(got)) == sorted(event_ids(client, tenant))
    ids = [r.headers["webhook-id"] for r in got]
    assert len(set(ids)) == len(ids)
    assert set(ids) == {d["id"] for d in deliveries(client, tenant, hook)}
    for request in got:
        assert_signed(request, hook["secret"])
    assert all(d["status"] == "delivered" for d in deliveries(client, tenant, hook))

    advance(client, tenant, 3 * 24 * HOUR)
    assert len(receiver.requests) == len(got)  # nothing sent again after success


def test_a_receiver_answering_503_is_retried_with_the_same_id_and_body(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.failing(503)
    hook = subscribe(client, tenant, receiver.url)
    place(client, tenant)
    advance(client, tenant, HOUR)
    receiver.up()
    advance(client, tenant, 30 * HOUR)
    by_id: dict[str, set[str]] = {}
    for request in receiver.requests:
        by_id.setdefault(request.headers["webhook-id"], set()).add(request.body)
        assert_signed(request, hook["secret"])
    assert all(len(bodies) == 1 for bodies in by_id.values())
    tries = Counter(r.headers["webhook-id"] for r in receiver.requests)
    assert all(count == 5 for count in tries.values())  # 4 answered 503, the 5th 204
    acknowledged = Counter(r.headers["webhook-id"] for r in receiver.acknowledged())
    assert set(acknowledged.values()) == {1}
    assert sorted(received_event_ids(receiver.acknowledged())) == sorted(event_ids(client, tenant))


def test_each_attempt_is_logged_with_its_time_status_and_duration(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.failing(503)
    hook = subscribe(client, tenant, receiver.url, event_types=["OrderAccepted"])
    place(client, tenant)
    advance(client, tenant, 60)
    receiver.up()
    advance(client, tenant, HOUR)
    [delivery] = deliveries(client, tenant, hook)
    attempts = delivery["attempts"]
    assert [a["status_code"] for a in attempts] == [503, 503, 204]
    assert [a["error"] for a in attempts] == ["HTTP 503", "HTTP 503", None]
    assert all(a["duration_ms"] >= 0 for a in attempts)
    first, second = (datetime.fromisoformat(a["at"]) for a in attempts[:2])
    assert first == T0
    assert timedelta(seconds=4.5) <= second - first <= timedelta(seconds=5.5)
    assert delivery["attempt_count"] == 3 and delivery["delivered_at"] == attempts[2]["at"]


def test_the_webhook_timestamp_passes_receivers_checks_after_advancing_the_sandbox(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.up()
    hook = subscribe(client, tenant, receiver.url, event_types=["OrderAccepted"])
    advance(client, tenant, 5 * 24 * HOUR)  # the order's window is still ahead
    place(client, tenant)
    advance(client, tenant, 1)
    [request] = receiver.requests
    assert_signed(request, hook["secret"])
    [delivery] = deliveries(client, tenant, hook)
    assert delivery["attempts"][0]["at"] == "2026-01-10T12:00:00Z"  # sandbox time


def test_a_receiver_that_never_recovers_fails_the_delivery_after_a_day(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.failing(500)
    hook = subscribe(client, tenant, receiver.url, event_types=["OrderAccepted"])
    place(client, tenant)
    advance(client, tenant, 3 * 24 * HOUR)
    [delivery] = deliveries(client, tenant, hook)
    assert delivery["status"] == "failed"
    assert delivery["attempt_count"] == WEBHOOK_RETRIES.attempts == len(receiver.requests)
    first, last = (datetime.fromisoformat(delivery["attempts"][i]["at"]) for i in (0, -1))
    assert last - first >= timedelta(hours=24)


def test_only_the_subscribed_event_types_are_sent(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.up()
    subscribe(client, tenant, receiver.url, event_types=["OrderAccepted"])
    place(client, tenant)
    advance(client, tenant, 60)
    assert [json.loads(r.body)["type"] for r in receiver.requests] == ["OrderAccepted"]


def test_a_disabled_webhook_receives_nothing(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.up()
    hook = subscribe(client, tenant, receiver.url, enabled=False)
    place(client, tenant)
    advance(client, tenant, 60)
    assert receiver.requests == [] and deliveries(client, tenant, hook) == []


def test_disabling_a_webhook_fails_its_pending_deliveries(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.failing(503)
    hook = subscribe(client, tenant, receiver.url, event_types=["OrderAccepted"])
    place(client, tenant)
    advance(client, tenant, 1)
    client.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": False}, headers=tenant["headers"])
    receiver.up()
    advance(client, tenant, 2 * 24 * HOUR)
    [delivery] = deliveries(client, tenant, hook)
    assert delivery["status"] == "failed"
    assert delivery["attempts"][-1]["error"] == "the webhook was disabled"
    assert receiver.acknowledged() == []


def test_another_organisations_events_are_not_sent(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, receiver: Receiver
) -> None:
    receiver.up()
    subscribe(client, tenant, receiver.url)
    place(client, other_tenant)
    advance(client, tenant, 60)
    assert receiver.requests == []


def test_the_test_endpoint_sends_a_webhook_test_to_that_webhook_only(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.up()
    hook = subscribe(client, tenant, receiver.url + "/a")
    subscribe(client, tenant, receiver.url + "/b")
    response = client.post(f"/v1/webhooks/{hook['id']}/test", headers=tenant["headers"])
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    advance(client, tenant, 1)
    [request] = receiver.requests
    assert request.path == "/hooks/a"
    assert request.headers["webhook-id"] == response.json()["id"]
    assert_signed(request, hook["secret"])
    [delivery] = deliveries(client, tenant, hook)
    assert delivery["event_type"] == "WebhookTest" and delivery["status"] == "delivered"
    assert delivery["payload"]["type"] == "WebhookTest"


def test_deliveries_are_filtered_by_status(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.up()
    hook = subscribe(client, tenant, receiver.url)
    place(client, tenant)
    advance(client, tenant, 1)
    client.post(f"/v1/webhooks/{hook['id']}/test", headers=tenant["headers"])
    pending = deliveries(client, tenant, hook, "&status=pending")
    delivered = deliveries(client, tenant, hook, "&status=delivered")
    assert [d["event_type"] for d in pending] == ["WebhookTest"]
    assert delivered and all(d["status"] == "delivered" for d in delivered)


def test_a_delivered_delivery_is_never_sent_again(
    client: TestClient, runtime: Runtime, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.up()
    hook = subscribe(client, tenant, receiver.url, event_types=["OrderAccepted"])
    place(client, tenant)
    advance(client, tenant, 1)
    [delivery] = deliveries(client, tenant, hook)
    with runtime.uow() as uow:  # a stray step for the same delivery
        later = runtime.clock.now() + timedelta(minutes=1)
        uow.agenda.schedule(StepKind.WEBHOOK_DELIVER, delivery["id"], later, runtime.clock.now())
        uow.commit()
    advance(client, tenant, HOUR)
    assert len(receiver.requests) == 1


def test_a_rotated_secret_signs_the_retries(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.failing(503)
    hook = subscribe(client, tenant, receiver.url, event_types=["OrderAccepted"])
    place(client, tenant)
    advance(client, tenant, 1)
    rotated = client.post(f"/v1/webhooks/{hook['id']}/rotate-secret", headers=tenant["headers"])
    receiver.up()
    advance(client, tenant, HOUR)
    [request] = receiver.acknowledged()
    assert_signed(request, rotated.json()["secret"])


def test_deleting_a_webhook_stops_its_pending_deliveries(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.failing(503)
    hook = subscribe(client, tenant, receiver.url)
    place(client, tenant)
    advance(client, tenant, 1)
    tried = len(receiver.requests)
    client.delete(f"/v1/webhooks/{hook['id']}", headers=tenant["headers"])
    receiver.up()
    advance(client, tenant, 2 * 24 * HOUR)
    assert len(receiver.requests) == tried


def test_a_webhook_to_a_named_host_is_sent_to_the_address_it_was_vetted_at(
    client: TestClient, tenant: Tenant, receiver: Receiver, dns: FakeDns
) -> None:
    receiver.up()
    dns.set("receiver.customer.test", "127.0.0.1")  # the name resolves nowhere else
    hook = subscribe(client, tenant, f"http://receiver.customer.test:{receiver.port}/hooks")
    client.post(f"/v1/webhooks/{hook['id']}/test", headers=tenant["headers"])
    advance(client, tenant, 1)
    [request] = receiver.acknowledged()
    assert request.headers["host"] == f"receiver.customer.test:{receiver.port}"
    assert_signed(request, hook["secret"])


def test_a_webhook_host_that_now_resolves_to_a_private_address_fails_without_a_request(
    client: TestClient, tenant: Tenant, dns: FakeDns
) -> None:
    dns.set("hooks.customer.test", PUBLIC_ADDRESS)
    hook = subscribe(client, tenant, "http://hooks.customer.test/in")
    dns.set("hooks.customer.test", "10.0.0.7")  # rebound after the subscription was vetted
    client.post(f"/v1/webhooks/{hook['id']}/test", headers=tenant["headers"])
    advance(client, tenant, 2 * 24 * HOUR)
    [delivery] = deliveries(client, tenant, hook)
    assert delivery["status"] == "failed"
    [attempt] = delivery["attempts"]  # refused once, not retried
    assert attempt["status_code"] is None
    assert attempt["error"].startswith(
        "refused: hooks.customer.test resolves to 10.0.0.7, a private address;"
    )
