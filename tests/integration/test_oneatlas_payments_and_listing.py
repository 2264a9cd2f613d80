"""OneAtlas deliveries' ``payment`` and ``catalogUrl`` links, ledger transactions natively,
and the listing's count limit and parameters (``/api/v1/orders``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.api.compat.oneatlas import routes
from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime
from tests.integration import test_oneatlas_api as atlas
from tests.integration.test_oneatlas_api import bearer, oneatlas

runtime = atlas.runtime  # the runtime holding the guide's scenes


def delivered_order(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime, clock: SandboxClock
) -> dict[str, Any]:
    order = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()
    runtime.agenda.advance(clock, clock.now() + timedelta(hours=1))
    done = client.get(order["_links"]["self"]["href"], headers=bearer(tenant)).json()
    assert done["status"] == "delivered", done
    return dict(done)


def test_a_delivered_product_links_its_payment_the_charge_of_its_price(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime, clock: SandboxClock
) -> None:
    done = delivered_order(client, tenant, runtime, clock)
    (delivery,) = done["deliveries"]
    href = delivery["_links"]["payment"]["href"]
    assert f"/api/v1/contracts/{done['contractId']}/payments/" in href
    payment = client.get(href, headers=bearer(tenant))
    assert payment.status_code == 200, payment.text
    body = payment.json()
    assert (body["kind"], body["amount"]) == ("charge", done["amount"])
    assert body["amountUnit"] == "credits"
    assert (body["orderId"], body["deliveryId"]) == (done["id"], delivery["id"])
    assert body["_links"]["catalogItem"] == delivery["_links"]["catalogItem"]
    assert sorted(e["amount"] for e in body["entries"]) == [-done["amount"], done["amount"]]
    assert client.get(body["_links"]["self"]["href"], headers=bearer(tenant)).json() == body


def test_a_delivered_products_catalog_url_is_its_catalog_item(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime, clock: SandboxClock
) -> None:
    (delivery,) = delivered_order(client, tenant, runtime, clock)["deliveries"]
    links = delivery["_links"]
    assert links["catalogUrl"] == links["catalogItem"]
    assert client.get(links["catalogUrl"]["href"], headers=bearer(tenant)).status_code == 200


def test_a_product_still_held_has_no_payment_link_and_its_hold_is_a_payment(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    order = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()
    (delivery,) = order["deliveries"]
    assert {"payment", "catalogUrl", "download"}.isdisjoint(delivery["_links"])
    entries = client.get(order["_links"]["payments"]["href"], headers=bearer(tenant)).json()
    hold = client.get(entries["items"][0]["_links"]["payment"]["href"], headers=bearer(tenant))
    assert hold.status_code == 200
    assert (hold.json()["kind"], hold.json()["amount"]) == ("hold", order["amount"])


def test_a_ledger_transaction_is_served_natively(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime, clock: SandboxClock
) -> None:
    done = delivered_order(client, tenant, runtime, clock)
    payment = client.get(
        done["deliveries"][0]["_links"]["payment"]["href"], headers=bearer(tenant)
    ).json()
    native = client.get(
        f"/v1/contracts/{done['contractId']}/ledger/transactions/{payment['id']}",
        headers=tenant["headers"],
    )
    assert native.status_code == 200, native.text
    body = native.json()
    assert (body["id"], body["kind"], body["amount"]) == (payment["id"], "charge", done["amount"])
    assert body["item_id"] == done["deliveries"][0]["id"]
    assert body["deliverable_id"] is not None
    assert sum(e["amount"] for e in body["entries"]) == 0
    assert {e["transaction_id"] for e in body["entries"]} == {payment["id"]}


def test_another_organisations_payment_and_transaction_answer_404(
    client: TestClient,
    tenant: dict[str, Any],
    other_tenant: dict[str, Any],
    runtime: Runtime,
    clock: SandboxClock,
) -> None:
    done = delivered_order(client, tenant, runtime, clock)
    href = done["deliveries"][0]["_links"]["payment"]["href"]
    tx = href.rsplit("/", 1)[1]
    assert client.get(href, headers=bearer(other_tenant)).status_code == 404
    native = f"/v1/contracts/{done['contractId']}/ledger/transactions/{tx}"
    assert client.get(native, headers=other_tenant["headers"]).status_code == 404
    # the other organisation's own contract does not reach the transaction either
    theirs = f"/v1/contracts/{other_tenant['contract_id']}/ledger/transactions/{tx}"
    assert client.get(theirs, headers=other_tenant["headers"]).status_code == 404
    missing = f"/api/v1/contracts/{done['contractId']}/payments/no-such-transaction"
    answer = client.get(missing, headers=bearer(tenant))
    assert answer.status_code == 404 and "no-such-transaction" in answer.json()["detail"]


# --- the listing's count limit and parameters --------------------------------------------------


@pytest.fixture
def count_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """The listing's count limit, made small (the guide's 500 takes 500 orders to reach)."""
    monkeypatch.setattr(routes, "COUNT_LIMIT", 2)
    return 2


@pytest.mark.parametrize("query", ["", "status=ordered", "kind=order.data.product"])
def test_past_the_count_limit_the_total_stops_and_says_so_and_every_page_answers(
    client: TestClient, tenant: dict[str, Any], count_limit: int, query: str
) -> None:
    ids = [
        client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()["id"]
        for _ in range(count_limit + 1)
    ]
    first = client.get(f"/api/v1/orders?{query}&itemsPerPage=2", headers=bearer(tenant)).json()
    assert (first["totalResults"], first["countLimitReached"]) == (count_limit, True)
    second = client.get(
        f"/api/v1/orders?{query}&itemsPerPage=2&page=2", headers=bearer(tenant)
    ).json()
    assert [o["id"] for o in first["items"] + second["items"]] == ids[::-1]
    assert second["countLimitReached"] is True


def test_up_to_the_count_limit_the_total_is_exact(
    client: TestClient, tenant: dict[str, Any], count_limit: int
) -> None:
    for _ in range(count_limit):
        client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant))
    listed = client.get("/api/v1/orders", headers=bearer(tenant)).json()
    assert (listed["totalResults"], listed["countLimitReached"]) == (count_limit, False)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?page=2", "?page"),  # the guide's spelling is read for status and kind only
        ("status=delivered&sort=createdAt", "sort"),
        ("kind=order.data.tiles", "kind"),
    ],
)
def test_a_parameter_or_kind_the_listing_does_not_take_is_refused_by_name(
    client: TestClient, tenant: dict[str, Any], query: str, field: str
) -> None:
    answer = client.get(f"/api/v1/orders?{query}", headers=bearer(tenant))
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_the_guides_two_question_mark_listing_url_filters_as_meant(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant))
    for status, count in (("delivered", 0), ("ordered", 1)):
        listed = client.get(f"/api/v1/orders??status={status}", headers=bearer(tenant))
        assert listed.status_code == 200, listed.text
        assert listed.json()["totalResults"] == count


def test_the_kind_filter_lists_only_orders_of_that_kind(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    km2 = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()
    gb = client.post(
        "/api/v1/orders", json=oneatlas(kind="order.data.gb.product"), headers=bearer(tenant)
    ).json()
    for kind, order in (("order.data.product", km2), ("order.data.gb.product", gb)):
        listed = client.get(f"/api/v1/orders?kind={kind}", headers=bearer(tenant)).json()
        assert [(o["id"], o["kind"]) for o in listed["items"]] == [(order["id"], kind)]
