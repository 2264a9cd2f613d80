"""Contracts billed monthly in arrears: nothing held when ordering, delivered work owed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.catalog_examples import install_example_catalog
from tests.factories import archive_item, order_body, place, tasking_item
from tests.integration.pixxel.test_order_items import HYPERSPECTRAL

Tenant = dict[str, Any]


def pixxel_item(client: TestClient, tenant: Tenant, order_id: str) -> dict[str, Any]:
    response = client.get(
        "/v0/order-items",
        params={"order_ids": order_id},
        headers={"Authorization": tenant["api_key"]},
    )
    assert response.status_code == 200, response.text
    (item,) = response.json()["order_items"]
    result: dict[str, Any] = item
    return result


def test_a_monthly_order_is_accepted_with_nothing_held_and_shows_partial_monthly(
    client: TestClient, monthly: Tenant
) -> None:
    order = place(client, monthly, order_body(tasking_item()))
    assert order["status"] == "accepted" and order["payment_status"] == "partial_monthly"
    item = pixxel_item(client, monthly, order["id"])
    assert item["payment_status"] == "PARTIAL-MONTHLY" and item["tokens_used"] == 0
    balance = client.get(
        f"/v1/contracts/{monthly['contract_id']}/balance", headers=monthly["headers"]
    ).json()
    assert (balance["held"], balance["spent"]) == (0, 0)


def test_a_delivered_monthly_item_is_owed_in_full(
    client: TestClient, runtime: Runtime, monthly: Tenant
) -> None:
    install_example_catalog(runtime)
    order = place(client, monthly, order_body(archive_item()))
    response = client.post(
        "/v1/sandbox/clock/advance", json={"seconds": 3600}, headers=monthly["headers"]
    )
    assert response.status_code == 200, response.text
    item = pixxel_item(client, monthly, order["id"])
    assert item["status"] == "COMPLETED", item
    assert item["tokens_used"] == item["final_amount"] and item["transaction_id"]
    assert item["tasks"][0]["tokens_used"] == item["final_amount"]
    ledger = client.get(
        f"/v1/contracts/{monthly['contract_id']}/ledger", headers=monthly["headers"]
    ).json()["results"]
    assert {e["kind"] for e in ledger} == {"payment"}
    assert "billed monthly" in ledger[0]["memo"]


def test_a_recurring_monthly_item_is_owed_task_by_task(client: TestClient, monthly: Tenant) -> None:
    order = place(client, monthly, order_body(tasking_item(**HYPERSPECTRAL)))
    response = client.post(
        "/v1/sandbox/clock/advance", json={"to": "2026-01-31T00:00:00Z"}, headers=monthly["headers"]
    )
    assert response.status_code == 200, response.text
    item = pixxel_item(client, monthly, order["id"])
    tasks = item["tasks"]
    assert len({t["transaction_id"] for t in tasks}) == 4
    assert sum(t["tokens_used"] for t in tasks) == item["tokens_used"]
    assert item["payment_status"] == "PARTIAL-MONTHLY"  # until January is settled
