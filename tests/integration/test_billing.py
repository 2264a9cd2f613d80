"""Pricing, quotes, payment from a balance, hosted checkout, refunds."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyproj import Geod
from shapely.geometry import shape

from skyorder.core.clock import SandboxClock
from skyorder.core.errors import Conflict, ValidationFailed
from skyorder.core.tenants import Billing, PaymentMode, Principal
from skyorder.runtime import Runtime
from skyorder.services.billing import top_up
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms
from tests.factories import TOULOUSE, archive_item, order_body, poor_organisation, tasking_item

Tenant = dict[str, Any]
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[1.40, 43.50], [1.60, 43.50], [1.60, 43.70], [1.40, 43.70], [1.40, 43.50]]],
}


def balance(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    url = f"/v1/contracts/{tenant['contract_id']}/balance"
    response = client.get(url, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def quote(client: TestClient, tenant: Tenant, *items: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/quotes", json={"items": list(items)}, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    return response.json()


def test_the_priced_area_is_the_geodesic_area_of_the_aoi(
    client: TestClient, tenant: Tenant
) -> None:
    q = quote(
        client,
        tenant,
        tasking_item(
            product="TSK-VHR-30", aoi=SQUARE, processing_levels=["ORTHO"], max_off_nadir=20
        ),
    )
    expected = abs(Geod(ellps="WGS84").geometry_area_perimeter(shape(SQUARE))[0]) / 1e6
    assert abs(q["items"][0]["requested_km2"] - expected) / expected < 1e-4


def test_a_quote_lists_uplifts_and_totals(client: TestClient, tenant: Tenant) -> None:
    q = quote(
        client,
        tenant,
        tasking_item(aoi=SQUARE, priority="rush", max_off_nadir=35, max_cloud_cover=5),
    )
    line = q["items"][0]
    titles = [u["title"] for u in line["uplifts"]]
    assert titles == ["rush_priority", "off_nadir", "cloud_cover_guarantee"]
    assert line["total"] == line["base_amount"] + sum(u["amount"] for u in line["uplifts"])
    assert q["total"] == line["total"]
    assert q["currency"] == "CREDITS"


def test_a_point_tasking_aoi_bills_the_minimum_area(client: TestClient, tenant: Tenant) -> None:
    line = quote(client, tenant, tasking_item())["items"][0]
    assert line["requested_km2"] == 0
    assert line["billable_km2"] == 25


def test_an_archive_item_is_clipped_to_the_scene(client: TestClient, tenant: Tenant) -> None:
    line = quote(client, tenant, archive_item(aoi=TOULOUSE))["items"][0]
    assert line["clipped_km2"] == line["requested_km2"] > 30


def test_an_aoi_under_the_minimum_is_refused(client: TestClient, tenant: Tenant) -> None:
    tiny = {
        "type": "Polygon",
        "coordinates": [
            [[1.4, 43.6], [1.4001, 43.6], [1.4001, 43.6001], [1.4, 43.6001], [1.4, 43.6]]
        ],
    }
    response = client.post(
        "/v1/quotes", json={"items": [archive_item(aoi=tiny)]}, headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items[0].aoi"
    assert "minimum orderable area is 0.1 km²" in response.json()["detail"]


def test_a_polar_aoi_is_refused_with_the_reason(client: TestClient, tenant: Tenant) -> None:
    polar = {"type": "Polygon", "coordinates": [[[0, 86], [10, 86], [10, 87], [0, 87], [0, 86]]]}
    response = client.post(
        "/v1/quotes", json={"items": [tasking_item(aoi=polar)]}, headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert "85" in response.json()["detail"]


def test_an_antimeridian_aoi_is_priced_as_the_small_box_it_is(
    client: TestClient, tenant: Tenant
) -> None:
    box = {
        "type": "Polygon",
        "coordinates": [
            [[179.9, -17], [-179.9, -17], [-179.9, -16.9], [179.9, -16.9], [179.9, -17]]
        ],
    }
    line = quote(client, tenant, tasking_item(aoi=box))["items"][0]
    assert 200 < line["requested_km2"] < 300


def test_an_order_citing_a_quote_is_charged_exactly_the_quote(
    client: TestClient, tenant: Tenant
) -> None:
    item = tasking_item(aoi=SQUARE)
    q = quote(client, tenant, item)
    before = balance(client, tenant)
    response = client.post(
        "/v1/orders", json=order_body(item, quote_id=q["id"]), headers=tenant["headers"]
    )
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["total_amount"] == q["total"]
    assert order["quote_id"] == q["id"]
    after = balance(client, tenant)
    assert before["available"] - after["available"] == q["total"]
    assert after["held"] - before["held"] == q["total"]


def test_a_quote_is_used_once(client: TestClient, tenant: Tenant) -> None:
    item = tasking_item(aoi=SQUARE)
    q = quote(client, tenant, item)
    body = order_body(item, quote_id=q["id"])
    assert client.post("/v1/orders", json=body, headers=tenant["headers"]).status_code == 201
    again = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert again.status_code == 409
    assert "already used" in again.json()["detail"]


def test_an_expired_quote_is_refused_and_changes_nothing(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    item = tasking_item(aoi=SQUARE)
    q = quote(client, tenant, item)
    clock.advance(timedelta(seconds=runtime.settings.quote_ttl_seconds + 1))
    before = balance(client, tenant)
    response = client.post(
        "/v1/orders", json=order_body(item, quote_id=q["id"]), headers=tenant["headers"]
    )
    assert response.status_code == 409
    assert "expired" in response.json()["detail"]
    assert balance(client, tenant) == before
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["count"] == 0


def test_an_order_differing_from_its_quote_is_refused(client: TestClient, tenant: Tenant) -> None:
    q = quote(client, tenant, tasking_item(aoi=SQUARE))
    other = tasking_item(aoi=SQUARE, max_cloud_cover=50)
    response = client.post(
        "/v1/orders", json=order_body(other, quote_id=q["id"]), headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items"


def test_a_dry_run_answers_the_charge_and_changes_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    before = balance(client, tenant)
    response = client.post("/v1/orders", json=order_body(dry_run=True), headers=tenant["headers"])
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert response.json()["total_amount"] > 0
    assert balance(client, tenant) == before
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["count"] == 0


def test_an_order_the_balance_cannot_cover_is_refused_recorded_as_rejected_and_holds_nothing(
    client: TestClient, runtime: Runtime
) -> None:
    poor = poor_organisation(runtime)
    headers = {"X-API-Key": poor["api_key"]}
    response = client.post("/v1/orders", json=order_body(), headers=headers)
    assert response.status_code == 402
    problem = response.json()
    assert "available balance is 10 CREDITS" in problem["detail"]
    listed = client.get("/v1/orders", headers=headers).json()
    assert listed["count"] == 1
    rejected = listed["results"][0]
    assert (rejected["id"], rejected["status"]) == (problem["order_id"], "rejected")
    assert rejected["order_number"] == problem["order_number"]
    events = client.get(f"/v1/orders/{rejected['id']}/events", headers=headers).json()
    why = next(e for e in events["results"] if e["type"] == "OrderRejected")
    assert "available balance is 10 CREDITS" in why["details"]["reason"]
    assert problem["order_id"] in problem["detail"]
    assert client.get("/v1/orders?status=rejected", headers=headers).json()["count"] == 1
    assert (
        client.get(f"/v1/contracts/{poor['contract_id']}/balance", headers=headers).json()[
            "available"
        ]
        == 10
    )


def test_cancelling_releases_the_hold(client: TestClient, tenant: Tenant) -> None:
    before = balance(client, tenant)
    order = client.post("/v1/orders", json=order_body(), headers=tenant["headers"]).json()
    assert order["payment_status"] == "paid"
    cancelled = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"]).json()
    assert cancelled["payment_status"] == "refunded"
    assert balance(client, tenant) == before


def test_the_ledger_balances_to_zero(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/orders", json=order_body(), headers=tenant["headers"])
    url = f"/v1/contracts/{tenant['contract_id']}/ledger?limit=1000"
    entries = client.get(url, headers=tenant["headers"]).json()["results"]
    assert sum(e["amount"] for e in entries) == 0
    assert {e["kind"] for e in entries} == {"topup", "hold"}


def _pay_per_order(runtime: Runtime) -> Tenant:
    creds = provision_organisation(
        runtime.uow,
        runtime.clock,
        "Walk-in",
        "http://testserver",
        ContractTerms(
            name="EUR per order",
            billing=Billing.CURRENCY,
            currency="EUR",
            payment_mode=PaymentMode.PAY_PER_ORDER,
        ),
    )
    creds["headers"] = {"X-API-Key": creds["api_key"]}
    return creds


def _follow_form(client: TestClient, page: str, button: str) -> str:
    match = re.search(rf'<form method="post" action="([^"]+)"[^>]*>\s*<button id="{button}"', page)
    assert match, page
    response = client.post(match.group(1), follow_redirects=True)
    assert response.status_code == 200
    return response.text


def test_a_pay_per_order_order_is_paid_through_the_checkout_page(
    client: TestClient, runtime: Runtime
) -> None:
    walk_in = _pay_per_order(runtime)
    order = client.post("/v1/orders", json=order_body(), headers=walk_in["headers"]).json()
    assert order["status"] == "pending_payment"
    assert order["payment_status"] == "unpaid"
    checkout_url = order["checkout_url"].removeprefix("http://127.0.0.1:8000")
    page = client.get(checkout_url)
    assert page.status_code == 200
    assert f"{order['total_amount']} EUR" in page.text
    after = _follow_form(client, page.text, "pay")
    assert "paid (order accepted)" in after
    paid = client.get(f"/v1/orders/{order['id']}", headers=walk_in["headers"]).json()
    assert paid["status"] == "accepted"
    assert paid["payment_status"] == "paid"
    assert paid["checkout_url"] is None
    assert [
        e["type"]
        for e in client.get(f"/v1/orders/{order['id']}/events", headers=walk_in["headers"]).json()[
            "results"
        ]
    ][:3] == ["OrderCreated", "OrderPaymentRequired", "OrderAccepted"]


def test_a_cancelled_checkout_cancels_the_order_and_charges_nothing(
    client: TestClient, runtime: Runtime
) -> None:
    walk_in = _pay_per_order(runtime)
    order = client.post("/v1/orders", json=order_body(), headers=walk_in["headers"]).json()
    page = client.get(order["checkout_url"].removeprefix("http://127.0.0.1:8000"))
    after = _follow_form(client, page.text, "cancel")
    assert "cancelled (order cancelled)" in after
    got = client.get(f"/v1/orders/{order['id']}", headers=walk_in["headers"]).json()
    assert got["status"] == "cancelled"
    ledger = client.get(
        f"/v1/contracts/{walk_in['contract_id']}/ledger", headers=walk_in["headers"]
    ).json()
    assert ledger["count"] == 0


def test_a_paid_checkout_cannot_be_paid_again(client: TestClient, runtime: Runtime) -> None:
    walk_in = _pay_per_order(runtime)
    order = client.post("/v1/orders", json=order_body(), headers=walk_in["headers"]).json()
    path = order["checkout_url"].removeprefix("http://127.0.0.1:8000")
    assert client.post(f"{path}/pay", follow_redirects=False).status_code == 303
    again = client.post(f"{path}/pay", follow_redirects=False)
    assert again.status_code == 409


def test_top_up_is_refused_for_pay_per_order_contracts(runtime: Runtime) -> None:
    walk_in = _pay_per_order(runtime)
    with runtime.uow() as uow:
        contract = uow.tenants.list_contracts(Principal(walk_in["organisation_id"], "t"))[0]
        with pytest.raises(Conflict, match="pays per order"):
            top_up(uow, runtime.clock, contract, 100, "x")


def test_a_top_up_past_what_a_balance_can_hold_is_refused_naming_the_room_left(
    runtime: Runtime, tenant: Tenant
) -> None:
    principal = Principal(tenant["organisation_id"], "t")
    with runtime.uow() as uow:
        contract = uow.tenants.list_contracts(principal)[0]
        before = uow.ledger.balances(contract.id).available
        room = 2**63 - 1 - before
        with pytest.raises(ValidationFailed, match=f"at most {room} can be added"):
            top_up(uow, runtime.clock, contract, room + 1, "too much")
        top_up(uow, runtime.clock, contract, room, "to the brim")
        assert uow.ledger.balances(contract.id).available == 2**63 - 1
