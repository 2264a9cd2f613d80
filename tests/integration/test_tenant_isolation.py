"""One organisation can neither see nor touch another's orders, captures, deliverables or events.

A foreign entity answers 404 with exactly the body a nonexistent one gets, so
its existence does not leak.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import capture_for, deliverable_for, order_body, place, store

Tenant = dict[str, Any]

ORDER_ROUTES = [
    ("GET", "/v1/orders/{}"),
    ("POST", "/v1/orders/{}/cancel"),
    ("GET", "/v1/orders/{}/events"),
    ("GET", "/v1/orders/{}/captures"),
    ("GET", "/v1/orders/{}/deliverables"),
]


def assert_hidden_like_missing(
    client: TestClient, tenant: Tenant, method: str, template: str, foreign_ref: str, missing: str
) -> None:
    """``foreign_ref`` answers exactly what ``missing`` (which does not exist) answers."""
    foreign = client.request(method, template.format(foreign_ref), headers=tenant["headers"])
    absent = client.request(method, template.format(missing), headers=tenant["headers"])
    assert foreign.status_code == absent.status_code == 404
    assert foreign.headers["content-type"] == absent.headers["content-type"]
    assert foreign.json() == json.loads(absent.text.replace(missing, foreign_ref))
    assert foreign_ref in foreign.json()["detail"]


@pytest.fixture
def foreign_order(client: TestClient, other_tenant: Tenant) -> dict[str, Any]:
    return place(client, other_tenant, order_body(name="Globex secret"))


@pytest.mark.parametrize(("method", "template"), ORDER_ROUTES)
def test_a_foreign_order_id_answers_like_a_missing_one(
    client: TestClient,
    tenant: Tenant,
    foreign_order: dict[str, Any],
    method: str,
    template: str,
) -> None:
    missing = str(uuid.uuid4())
    assert_hidden_like_missing(client, tenant, method, template, foreign_order["id"], missing)


@pytest.mark.parametrize(("method", "template"), ORDER_ROUTES)
def test_a_foreign_order_number_answers_like_a_missing_one(
    client: TestClient,
    tenant: Tenant,
    foreign_order: dict[str, Any],
    method: str,
    template: str,
) -> None:
    number = foreign_order["order_number"]
    assert_hidden_like_missing(client, tenant, method, template, number, "999999")


def test_a_foreign_order_is_not_cancelled_by_the_refused_attempt(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    client.post(f"/v1/orders/{foreign_order['id']}/cancel", headers=tenant["headers"])
    mine = client.get(f"/v1/orders/{foreign_order['id']}", headers=other_tenant["headers"])
    assert mine.json()["status"] == "accepted"


def test_the_same_order_number_resolves_to_each_organisations_own_order(
    client: TestClient, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    own = place(client, tenant, order_body(name="Acme own"))
    assert own["order_number"] == foreign_order["order_number"] == "000001"
    found = client.get("/v1/orders/000001", headers=tenant["headers"]).json()
    assert found["id"] == own["id"]


def test_a_foreign_order_is_absent_from_the_order_list(
    client: TestClient, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    own = place(client, tenant)
    page = client.get("/v1/orders", headers=tenant["headers"]).json()
    assert [o["id"] for o in page["results"]] == [own["id"]]
    assert page["count"] == 1


def test_filtering_by_a_foreign_project_finds_nothing(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    place(client, other_tenant, order_body(project_id=other_tenant["project_id"]))
    page = client.get(
        "/v1/orders", params={"project_id": other_tenant["project_id"]}, headers=tenant["headers"]
    ).json()
    assert page["count"] == 0


def test_an_order_cannot_be_placed_in_a_foreign_project(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    response = client.post(
        "/v1/orders",
        json=order_body(project_id=other_tenant["project_id"]),
        headers=tenant["headers"],
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "project_id"


def test_foreign_events_are_absent_from_the_event_log(
    client: TestClient, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    own = place(client, tenant)
    page = client.get("/v1/events", params={"limit": 1000}, headers=tenant["headers"]).json()
    assert page["count"] == 3
    assert {e["order_id"] for e in page["results"]} == {own["id"]}


def test_filtering_events_by_a_foreign_order_id_finds_nothing(
    client: TestClient, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    page = client.get(
        "/v1/events", params={"order_id": foreign_order["id"]}, headers=tenant["headers"]
    ).json()
    assert page["count"] == 0
    assert page["results"] == []


def test_a_foreign_capture_answers_like_a_missing_one(
    client: TestClient, runtime: Runtime, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    capture = capture_for(foreign_order, T0)
    store(runtime, foreign_order["id"], capture)
    missing = str(uuid.uuid4())
    assert_hidden_like_missing(client, tenant, "GET", "/v1/captures/{}", capture.id, missing)


def test_a_foreign_deliverable_answers_like_a_missing_one(
    client: TestClient, runtime: Runtime, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    deliverable = deliverable_for(foreign_order, T0)
    store(runtime, foreign_order["id"], deliverable)
    missing = str(uuid.uuid4())
    assert_hidden_like_missing(
        client, tenant, "GET", "/v1/deliverables/{}", deliverable.id, missing
    )


def test_foreign_captures_are_absent_from_the_capture_list(
    client: TestClient, runtime: Runtime, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    own = place(client, tenant)
    mine = capture_for(own, T0)
    store(runtime, own["id"], mine)
    store(runtime, foreign_order["id"], capture_for(foreign_order, T0))
    page = client.get("/v1/captures", headers=tenant["headers"]).json()
    assert [c["id"] for c in page["results"]] == [mine.id]
    assert page["count"] == 1


def test_filtering_captures_by_a_shared_order_number_finds_only_ones_own(
    client: TestClient, runtime: Runtime, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    own = place(client, tenant)
    mine = capture_for(own, T0)
    store(runtime, own["id"], mine)
    store(runtime, foreign_order["id"], capture_for(foreign_order, T0))
    page = client.get("/v1/captures", params={"order": "000001"}, headers=tenant["headers"])
    assert [c["id"] for c in page.json()["results"]] == [mine.id]


def test_foreign_deliverables_are_absent_from_the_deliverable_list(
    client: TestClient, runtime: Runtime, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    own = place(client, tenant)
    mine = deliverable_for(own, T0)
    store(runtime, own["id"], mine)
    store(runtime, foreign_order["id"], deliverable_for(foreign_order, T0))
    page = client.get("/v1/deliverables", headers=tenant["headers"]).json()
    assert [d["id"] for d in page["results"]] == [mine.id]
    assert page["count"] == 1


def test_foreign_capture_and_deliverable_events_are_absent_from_the_event_log(
    client: TestClient, runtime: Runtime, tenant: Tenant, foreign_order: dict[str, Any]
) -> None:
    store(
        runtime,
        foreign_order["id"],
        capture_for(foreign_order, T0),
        deliverable_for(foreign_order, T0),
    )
    for entity in ("capture", "deliverable"):
        page = client.get("/v1/events", params={"entity": entity}, headers=tenant["headers"])
        assert page.json()["count"] == 0


def test_a_foreign_contract_in_x_contract_id_answers_like_a_missing_one(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign, missing = other_tenant["contract_id"], str(uuid.uuid4())

    def attempt(contract_id: str) -> Any:
        headers = {**tenant["headers"], "X-Contract-Id": contract_id}
        return client.get("/v1/orders", headers=headers)

    refused, absent = attempt(foreign), attempt(missing)
    assert refused.status_code == absent.status_code == 404
    assert refused.json() == json.loads(absent.text.replace(missing, foreign))


@pytest.mark.parametrize(
    ("template", "key"), [("/v1/projects/{}", "project_id"), ("/v1/contracts/{}", "contract_id")]
)
def test_a_foreign_project_or_contract_answers_like_a_missing_one(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, template: str, key: str
) -> None:
    missing = str(uuid.uuid4())
    assert_hidden_like_missing(client, tenant, "GET", template, other_tenant[key], missing)


def test_two_organisations_may_use_the_same_idempotency_key(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    key = {"Idempotency-Key": "shared-key-1"}
    theirs = place(client, other_tenant, order_body(), key)
    response = client.post("/v1/orders", json=order_body(), headers={**tenant["headers"], **key})
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert response.json()["id"] != theirs["id"]
    assert response.json()["organisation_id"] == tenant["organisation_id"]
