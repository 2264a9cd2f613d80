"""GET /v0/order-items: Pixxel's order items from core state, filters, paging, isolation."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.factories import advance, archive_item, order_body, place, tasking_item

Tenant = dict[str, Any]

HYPERSPECTRAL = {
    "product": "TSK-HYP",
    "processing_levels": ["L2A"],
    "priority": "standard",
    "revisit_period": None,
    "window": {"start": "2026-01-06T00:00:00Z", "end": "2026-01-08T00:00:00Z"},
    "recurrence": {"kind": "WEEKLY", "occurrences": 4},
    "options": {
        "image_type": "VNIR",
        "bands": ["B001", "B010", "B020"],
        "bandset_id": "crops-3",
        "delivery_speed": "EXPEDITED",
        "usecase": "agriculture",
    },
    "name": "weekly fields",
}


def pixxel(tenant: Tenant) -> dict[str, str]:
    return {"Authorization": tenant["api_key"]}


def items(client: TestClient, tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = client.get("/v0/order-items", params=params, headers=pixxel(tenant))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_a_recurring_hyperspectral_item_shows_its_bandset_occurrences_and_tasks(
    client: TestClient, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body(tasking_item(**HYPERSPECTRAL)))
    page = items(client, tenant)
    assert page["pagination"] == {"limit": 10, "offset": 0, "total": 1}
    (item,) = page["order_items"]
    assert item["order_id"] == order["id"] and item["org_id"] == tenant["organisation_id"]
    assert (item["type"], item["recurrence"], item["no_of_occurrences"]) == (
        "RECURRING",
        "WEEKLY",
        4,
    )
    assert item["name"] == "weekly fields" and item["usecase"] == "agriculture"
    assert item["image_type"] == "VNIR" and item["number_of_bands"] == 3
    assert item["bandset"]["bands"][0] == {"name": "B001", "wavelength": 473.0}
    assert item["bandset"]["bandset_id"] == "crops-3"
    assert item["delivery_speed"] == "EXPEDITED" and item["status"] == "ACTIVE"
    assert item["payment_status"] == "PAID" and item["images"] == []
    assert item["final_amount"] == sum(u["amount"] for u in item["uplifts"]) + item["base_amount"]
    assert any(u["title"] == "expedited_delivery" for u in item["uplifts"])
    assert [o["start"][:10] for o in item["occurrences"]] == [
        "2026-01-06",
        "2026-01-13",
        "2026-01-20",
        "2026-01-27",
    ]
    tasks = item["tasks"]
    assert [t["start_date"] for t in tasks] == [
        "06-01-2026",
        "13-01-2026",
        "20-01-2026",
        "27-01-2026",
    ]
    assert all(t["type"] == "TASKING" and t["order_item_id"] == item["id"] for t in tasks)
    assert tasks[0]["status"] in ("REQUESTED", "CREATED")
    assert len({t["id"] for t in tasks}) == 4


def test_an_archive_item_shows_its_image_and_not_applicable_tasking_fields(
    client: TestClient, tenant: Tenant
) -> None:
    place(client, tenant, order_body(archive_item(name="Toulouse scene")))
    (item,) = items(client, tenant)["order_items"]
    assert item["type"] == "ARCHIVE" and item["name"] == "Toulouse scene"
    assert (item["delivery_speed"], item["feasibility_status"], item["recurrence"]) == (
        "NOT_APPLICABLE",
        "NOT_APPLICABLE",
        "NOT_APPLICABLE",
    )
    assert item["images"][0]["item_id"].startswith("DS_PHR1A")
    assert item["area"] > 0 and item["tokens_used"] == item["final_amount"]
    assert item["transaction_id"] and item["tasks"][0]["type"] == "ARCHIVE"
    assert item["tasks"][0]["transaction_id"] is None or item["tasks"][0]["tokens_used"] >= 0


def test_items_are_listed_newest_first_and_paged(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    for name in ("one", "two", "three"):
        place(client, tenant, order_body(tasking_item(name=name)))
        advance(runtime, hours=1)
    page = items(client, tenant, limit=2)
    assert [i["name"] for i in page["order_items"]] == ["three", "two"]
    assert page["pagination"] == {"limit": 2, "offset": 0, "total": 3}
    page = items(client, tenant, limit=2, offset=2)
    assert [i["name"] for i in page["order_items"]] == ["one"]


def test_every_documented_filter_narrows_the_list(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    first = place(client, tenant, order_body(tasking_item(**HYPERSPECTRAL)))
    advance(runtime, hours=2)
    second = place(client, tenant, order_body(archive_item(), tasking_item(name="once")))
    all_items = items(client, tenant)["order_items"]
    by_name = {i["name"]: i for i in all_items}

    def names(**params: Any) -> set[str | None]:
        return {i["name"] for i in items(client, tenant, **params)["order_items"]}

    assert names(type="RECURRING") == {"weekly fields"}
    assert names(type="tasking,ARCHIVE") == {"once", None}
    assert names(status="ACTIVE") == {"weekly fields", "once", None}
    assert names(status="DRAFT,COMPLETED") == set()
    assert names(order_ids=first["id"]) == {"weekly fields"}
    assert names(order_ids=f"{first['id']},{second['id']}") == {"weekly fields", "once", None}
    assert names(ids=by_name["once"]["id"]) == {"once"}
    assert names(project_ids=tenant["project_id"]) == set()
    assert names(created_by=tenant["client_id"]) == {"weekly fields", "once", None}
    assert names(user_id="nobody") == set()
    assert names(created_at_range=f"{by_name['once']['created_at']},") == {"once", None}
    assert names(created_at_range=f",{by_name['weekly fields']['created_at']}") == {"weekly fields"}
    area = by_name["weekly fields"]["area"]
    assert "weekly fields" in names(area_range=f"{area - 0.01},{area + 0.01}")
    assert names(area_range="1000000,") == set()


def test_one_item_is_read_by_id_and_a_foreign_one_is_not_found(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    place(client, tenant, order_body(tasking_item(name="mine")))
    (item,) = items(client, tenant)["order_items"]
    response = client.get(f"/v0/order-items/{item['id']}", headers=pixxel(tenant))
    assert response.status_code == 200 and response.json()["name"] == "mine"
    foreign = client.get(f"/v0/order-items/{item['id']}", headers=pixxel(other_tenant))
    assert foreign.status_code == 404
    assert foreign.headers["content-type"].startswith("application/problem+json")
    assert items(client, other_tenant)["pagination"]["total"] == 0


def test_unknown_filters_and_bad_ranges_are_refused_with_400(
    client: TestClient, tenant: Tenant
) -> None:
    for params, field in (
        ({"colour": "red"}, "colour"),
        ({"created_at_range": "2026-02-01,2026-01-01"}, "created_at_range"),
        ({"created_at_range": "yesterday,"}, "created_at_range"),
        ({"area_range": "10,1"}, "area_range"),
        ({"area_range": "ten"}, "area_range"),
        ({"type": "SPACE"}, "type"),
        ({"status": "DONE"}, "status"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ):
        response = client.get("/v0/order-items", params=params, headers=pixxel(tenant))
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text


def test_a_bad_or_missing_key_is_401(client: TestClient) -> None:
    assert client.get("/v0/order-items", headers={"Authorization": "nope"}).status_code == 401
    assert client.get("/v0/order-items").status_code == 401


def advance_to(client: TestClient, tenant: Tenant, when: str) -> None:
    response = client.post(
        "/v1/sandbox/clock/advance", json={"to": when}, headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text


def test_a_recurring_item_is_transacted_task_by_task_as_its_occurrences_run(
    client: TestClient, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body(tasking_item(**HYPERSPECTRAL)))
    advance_to(client, tenant, "2026-01-09T00:00:00Z")
    (item,) = items(client, tenant, order_ids=order["id"])["order_items"]
    first, second, *_ = item["tasks"]
    assert first["status"] in ("FULFILLED", "PARTIALLY_FULFILLED", "EXPIRED")
    assert first["transaction_id"] and first["tokens_used"] is not None
    assert second["status"] in ("REQUESTED", "CREATED")
    advance_to(client, tenant, "2026-02-01T00:00:00Z")
    (item,) = items(client, tenant, order_ids=order["id"])["order_items"]
    tasks = item["tasks"]
    assert all(t["status"] in ("FULFILLED", "PARTIALLY_FULFILLED", "EXPIRED") for t in tasks), tasks
    assert len({t["transaction_id"] for t in tasks}) == 4
    assert sum(t["tokens_used"] for t in tasks) == item["tokens_used"]
    assert item["status"] in ("COMPLETED", "PARTIALLY_COMPLETED", "FAILED")
    balance = client.get(
        f"/v1/contracts/{tenant['contract_id']}/balance", headers=tenant["headers"]
    )
    assert balance.status_code == 200
    assert balance.json()["held"] == 0


def test_tasks_are_served_natively_too(client: TestClient, tenant: Tenant) -> None:
    order = place(client, tenant, order_body(tasking_item(**HYPERSPECTRAL)))
    item_id = order["items"][0]["id"]
    assert order["items"][0]["name"] == "weekly fields"
    response = client.get(f"/v1/items/{item_id}/tasks", headers=tenant["headers"])
    assert response.status_code == 200, response.text
    tasks = response.json()
    assert [t["position"] for t in tasks] == [0, 1, 2, 3]
    assert {t["kind"] for t in tasks} == {"TASKING"}
    assert client.get("/v1/items/nope/tasks", headers=tenant["headers"]).status_code == 404
