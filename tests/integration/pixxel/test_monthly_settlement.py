"""Monthly settlement: each month's statement at the next month's start, on the
organisation's clock; orders and items paid once their work lies in settled months."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from skyorder.core.steps import StepKind
from skyorder.runtime import Runtime
from skyorder.services.statements import settle_month
from skyorder.store.repositories.agenda import Step
from tests.catalog_examples import install_example_catalog
from tests.factories import archive_item, order_body, place, tasking_item
from tests.integration.pixxel.test_monthly_billing import pixxel_item
from tests.integration.pixxel.test_order_items import HYPERSPECTRAL

Tenant = dict[str, Any]
FEB = datetime(2026, 2, 1, tzinfo=UTC)
SPANNING = {  # four weekly occurrences: two in January, two in February
    **HYPERSPECTRAL,
    "window": {"start": "2026-01-20T00:00:00Z", "end": "2026-01-22T00:00:00Z"},
}


def advance_to(client: TestClient, tenant: Tenant, to: str) -> None:
    response = client.post("/v1/sandbox/clock/advance", json={"to": to}, headers=tenant["headers"])
    assert response.status_code == 200, response.text


def statements(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    url = f"/v1/contracts/{tenant['contract_id']}/statements"
    response = client.get(url, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_a_month_s_delivered_work_is_settled_at_the_next_month_s_start(
    client: TestClient, runtime: Runtime, monthly: Tenant
) -> None:
    install_example_catalog(runtime)
    order = place(client, monthly, order_body(archive_item()))
    advance_to(client, monthly, "2026-01-31T23:00:00Z")
    assert statements(client, monthly) == []
    assert pixxel_item(client, monthly, order["id"])["payment_status"] == "PARTIAL-MONTHLY"
    advance_to(client, monthly, "2026-02-01T01:00:00Z")
    (statement,) = statements(client, monthly)
    item = pixxel_item(client, monthly, order["id"])
    assert statement["month"] == "2026-01" and statement["amount"] == item["final_amount"]
    assert statement["lines"] == [
        {"order_id": order["id"], "item_id": item["id"], "amount": item["final_amount"]}
    ]
    assert statement["period_end"] == "2026-02-01T00:00:00Z"
    assert item["payment_status"] == "PAID"
    native = client.get(f"/v1/orders/{order['id']}", headers=monthly["headers"]).json()
    assert native["payment_status"] == "paid"
    assert native["latest_event"]["type"] == "OrderPaymentSettled"


def test_a_recurring_item_spanning_months_is_settled_month_by_month(
    client: TestClient, monthly: Tenant
) -> None:
    order = place(client, monthly, order_body(tasking_item(**SPANNING)))
    advance_to(client, monthly, "2026-02-01T01:00:00Z")
    (january,) = statements(client, monthly)
    item = pixxel_item(client, monthly, order["id"])
    assert january["amount"] == item["tokens_used"]  # owed as tasks are taken on
    assert item["status"] == "ACTIVE" and item["payment_status"] == "PARTIAL-MONTHLY"
    advance_to(client, monthly, "2026-03-01T01:00:00Z")
    february, again = statements(client, monthly)
    assert (february["month"], again) == ("2026-02", january)
    item = pixxel_item(client, monthly, order["id"])
    assert item["status"] != "ACTIVE" and item["payment_status"] == "PAID"
    assert january["amount"] + february["amount"] == item["tokens_used"]
    advance_to(client, monthly, "2026-05-01T01:00:00Z")
    assert len(statements(client, monthly)) == 2  # nothing open after February: no more


def test_settling_a_month_again_changes_nothing(
    client: TestClient, runtime: Runtime, monthly: Tenant
) -> None:
    install_example_catalog(runtime)
    place(client, monthly, order_body(archive_item()))
    advance_to(client, monthly, "2026-02-01T01:00:00Z")
    before = statements(client, monthly)
    step = Step(0, StepKind.CONTRACT_SETTLE_MONTH.value, monthly["contract_id"], FEB, 0)
    with runtime.uow() as uow:
        settle_month(uow, step, FEB)
        uow.commit()
    assert statements(client, monthly) == before


def test_another_organisation_s_clock_settles_nothing_of_this_one(
    client: TestClient, runtime: Runtime, monthly: Tenant, tenant: Tenant
) -> None:
    install_example_catalog(runtime)
    place(client, monthly, order_body(archive_item()))
    advance_to(client, tenant, "2026-03-01T00:00:00Z")
    assert statements(client, monthly) == []


def test_statements_are_the_organisation_s_own_and_balance_contracts_have_none(
    client: TestClient, runtime: Runtime, monthly: Tenant, tenant: Tenant
) -> None:
    install_example_catalog(runtime)
    place(client, monthly, order_body(archive_item()))
    place(client, tenant, order_body(archive_item()))
    advance_to(client, monthly, "2026-02-01T01:00:00Z")
    advance_to(client, tenant, "2026-02-01T01:00:00Z")
    url = f"/v1/contracts/{monthly['contract_id']}/statements"
    assert client.get(url, headers=tenant["headers"]).status_code == 404
    assert statements(client, tenant) == []
    assert len(statements(client, monthly)) == 1


def test_work_owed_by_an_order_placed_without_a_settlement_schedules_one(
    client: TestClient, runtime: Runtime, monthly: Tenant
) -> None:
    install_example_catalog(runtime)
    order = place(client, monthly, order_body(archive_item()))
    with runtime.uow() as uow:  # as for an order placed before settlements existed
        uow.connection.execute(
            text("DELETE FROM agenda WHERE kind = :kind"),
            {"kind": StepKind.CONTRACT_SETTLE_MONTH.value},
        )
        uow.commit()
    advance_to(client, monthly, "2026-02-01T01:00:00Z")
    (statement,) = statements(client, monthly)
    assert statement["lines"][0]["order_id"] == order["id"]
