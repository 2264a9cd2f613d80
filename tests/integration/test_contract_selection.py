"""X-Contract-Id: choosing a contract when an organisation has several."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from skyorder.services.billing import top_up
from skyorder.services.tenants import ContractTerms, create_contract
from tests.conftest import T0, TENANT_CREDITS
from tests.factories import capture_for, deliverable_for, order_body, place, store

Tenant = dict[str, Any]


@pytest.fixture
def second_contract(runtime: Runtime, tenant: Tenant) -> str:
    with runtime.uow() as uow:
        contract = create_contract(
            uow, runtime.clock, tenant["organisation_id"], ContractTerms(name="Acme second")
        )
        top_up(uow, runtime.clock, contract, TENANT_CREDITS, "test credits")
        uow.commit()
    return contract.id


def under(tenant: Tenant, contract_id: str) -> dict[str, str]:
    return {**tenant["headers"], "X-Contract-Id": contract_id}


@pytest.fixture
def one_order_per_contract(
    client: TestClient, tenant: Tenant, second_contract: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    first = place(client, tenant, order_body(name="first"), under(tenant, tenant["contract_id"]))
    second = place(client, tenant, order_body(name="second"), under(tenant, second_contract))
    return first, second


def test_placing_without_x_contract_id_is_refused_when_there_are_two_contracts(
    client: TestClient, tenant: Tenant, second_contract: str
) -> None:
    response = client.post("/v1/orders", json=order_body(), headers=tenant["headers"])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "X-Contract-Id"
    assert tenant["contract_id"] in error["message"] and second_contract in error["message"]


def test_a_refused_placement_creates_no_order(
    client: TestClient, tenant: Tenant, second_contract: str
) -> None:
    client.post("/v1/orders", json=order_body(), headers=tenant["headers"])
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["count"] == 0


def test_placing_without_x_contract_id_uses_the_only_contract(
    client: TestClient, tenant: Tenant
) -> None:
    assert place(client, tenant)["contract_id"] == tenant["contract_id"]


def test_the_order_lands_under_the_chosen_contract(
    client: TestClient, tenant: Tenant, second_contract: str
) -> None:
    order = place(client, tenant, headers=under(tenant, second_contract))
    assert order["contract_id"] == second_contract
    fetched = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()
    assert fetched["contract_id"] == second_contract


def test_order_numbers_count_per_organisation_across_contracts(
    one_order_per_contract: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    first, second = one_order_per_contract
    assert (first["order_number"], second["order_number"]) == ("000001", "000002")


def test_listing_with_x_contract_id_shows_only_that_contracts_orders(
    client: TestClient,
    tenant: Tenant,
    second_contract: str,
    one_order_per_contract: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    page = client.get("/v1/orders", headers=under(tenant, second_contract)).json()
    assert [o["name"] for o in page["results"]] == ["second"]
    assert page["count"] == 1


def test_listing_without_x_contract_id_shows_every_contracts_orders(
    client: TestClient,
    tenant: Tenant,
    one_order_per_contract: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    page = client.get("/v1/orders", headers=tenant["headers"]).json()
    assert [o["name"] for o in page["results"]] == ["second", "first"]


def test_contract_id_filter_narrows_the_list_like_the_header(
    client: TestClient,
    tenant: Tenant,
    second_contract: str,
    one_order_per_contract: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    page = client.get(
        "/v1/orders", params={"contract_id": second_contract}, headers=tenant["headers"]
    ).json()
    assert [o["name"] for o in page["results"]] == ["second"]


def test_an_order_of_another_contract_is_not_found_under_x_contract_id(
    client: TestClient,
    tenant: Tenant,
    one_order_per_contract: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, second = one_order_per_contract
    response = client.get(
        f"/v1/orders/{second['id']}", headers=under(tenant, tenant["contract_id"])
    )
    assert response.status_code == 404


def test_the_event_log_under_x_contract_id_shows_only_that_contracts_events(
    client: TestClient,
    tenant: Tenant,
    second_contract: str,
    one_order_per_contract: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, second = one_order_per_contract
    page = client.get("/v1/events", headers=under(tenant, second_contract)).json()
    assert page["count"] == 3
    assert {e["order_id"] for e in page["results"]} == {second["id"]}


def test_captures_and_deliverables_under_x_contract_id_are_that_contracts_only(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    second_contract: str,
    one_order_per_contract: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    first, second = one_order_per_contract
    theirs = capture_for(second, T0), deliverable_for(second, T0)
    store(runtime, first["id"], capture_for(first, T0), deliverable_for(first, T0))
    store(runtime, second["id"], *theirs)
    headers = under(tenant, second_contract)
    captures = client.get("/v1/captures", headers=headers).json()
    deliverables = client.get("/v1/deliverables", headers=headers).json()
    assert [c["id"] for c in captures["results"]] == [theirs[0].id]
    assert [d["id"] for d in deliverables["results"]] == [theirs[1].id]


def test_contracts_lists_only_the_chosen_contract_under_x_contract_id(
    client: TestClient, tenant: Tenant, second_contract: str
) -> None:
    every = client.get("/v1/contracts", headers=tenant["headers"]).json()
    chosen = client.get("/v1/contracts", headers=under(tenant, second_contract)).json()
    assert {c["id"] for c in every} == {tenant["contract_id"], second_contract}
    assert [c["id"] for c in chosen] == [second_contract]
