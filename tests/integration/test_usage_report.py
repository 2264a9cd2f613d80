"""The usage report: one row per delivered deliverable, or totals per group."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from skyorder.core.captures import CaptureStatus
from skyorder.core.ledger import EntryKind, transaction
from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import capture_for, deliverable_for, order_body, place, store

Tenant = dict[str, Any]


def _delivered(client: TestClient, tenant: Tenant, runtime: Runtime, name: str, days: int) -> str:
    order = place(client, tenant, order_body(name=name))
    capture = capture_for(order, T0, status=CaptureStatus.COLLECTED)
    d = deliverable_for(
        order,
        T0,
        capture_id=capture.id,
        delivered_at=T0 + timedelta(days=days),
        metadata={"scene_id": f"scene-{name}"},
    )
    store(runtime, order["id"], capture, d)
    with runtime.uow() as uow:
        uow.ledger.add(
            transaction(
                EntryKind.HOLD,
                organisation_id=order["organisation_id"],
                contract_id=order["contract_id"],
                amount=40,
                at=T0,
                memo="t",
                order_id=order["id"],
                item_id=order["items"][0]["id"],
            )
        )
        uow.ledger.add(
            transaction(
                EntryKind.CHARGE,
                organisation_id=order["organisation_id"],
                contract_id=order["contract_id"],
                amount=40,
                at=T0,
                memo="t",
                order_id=order["id"],
                item_id=order["items"][0]["id"],
                deliverable_id=d.id,
            )
        )
        uow.commit()
    return str(order["order_number"])


def test_the_csv_report_has_the_accounting_columns_and_one_row_per_deliverable(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    first = _delivered(client, tenant, runtime, "Mar del Plata Airport", 1)
    _delivered(client, tenant, runtime, "Later", 40)
    response = client.get(
        "/v1/reports/usage",
        params={"delivered_at__gte": "2026-01-01", "delivered_at__lt": "2026-02-01"},
        headers=tenant["headers"],
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        "contract_name",
        "order_name",
        "order_id",
        "project_name",
        "sku",
        "product_name",
        "capture_time",
        "capture_id",
        "scene_id",
        "status",
        "delivered_at",
        "billable_quantity",
        "amount_charged",
        "currency",
    ]
    assert len(rows) == 1
    row = rows[0]
    assert row["order_id"] == first
    assert row["contract_name"] == "Acme contract"
    assert row["sku"] == "TSKRSH-M.NN.NN"
    assert row["product_name"] == "Rush Tasking"
    assert row["scene_id"] == "scene-Mar del Plata Airport"
    assert row["status"] == "delivered"
    assert float(row["billable_quantity"]) == 27.5
    assert row["amount_charged"] == "40"
    assert row["capture_time"].startswith("2026-01-06")


def test_the_report_groups_totals_by_month(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    _delivered(client, tenant, runtime, "January", 1)
    _delivered(client, tenant, runtime, "February", 40)
    response = client.get(
        "/v1/reports/usage",
        params={"group_by": "month", "format": "json"},
        headers=tenant["headers"],
    )
    assert response.status_code == 200
    totals = response.json()["results"]
    assert [(t["month"], t["deliverables"], t["amount_charged"]) for t in totals] == [
        ("2026-01", 1, 40),
        ("2026-02", 1, 40),
    ]
    assert totals[0]["billable_quantity"] == 27.5


def test_the_report_shows_only_the_callers_deliverables(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, runtime: Runtime
) -> None:
    _delivered(client, tenant, runtime, "Mine", 1)
    response = client.get(
        "/v1/reports/usage", params={"format": "json"}, headers=other_tenant["headers"]
    )
    assert response.json() == {"results": []}


def test_a_bad_group_is_refused_naming_it(client: TestClient, tenant: Tenant) -> None:
    response = client.get(
        "/v1/reports/usage", params={"group_by": "colour"}, headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "group_by"
