"""DataCosmos ordering (/api/data/v0/order): licences, account numbers, payment, isolation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from skyorder.core.tenants import Billing, PaymentMode
from skyorder.runtime import Runtime
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms
from tests.catalog_examples import install_example_catalog
from tests.factories import archive_item, order_body

Tenant = dict[str, Any]
ORDERS = "/api/data/v0/order/orders"
SCENE = "S2A_MSIL2A_20250506T144821_R018_T19JJA_9000008"
EULA = {
    "license_link": "https://example.com/license/eula-v1",
    "license_name": "DataCosmos EULA",
    "license_version": "1.0",
    "accepted": True,
}


def dc_order(tenant: Tenant, *, licenses: list[dict[str, Any]] | None = None, **over: Any) -> Any:
    line = {"collection": "sentinel-2-l2a", "item": SCENE, "level": "L2A"}
    line.update(over.pop("line", {}))
    body = {
        "type": "IMAGE",
        "data": {"order_line_items": [line]},
        "organisation": tenant["organisation_number"],
        "contract_id": tenant["contract_number"],
        "licenses": [EULA] if licenses is None else licenses,
    }
    body.update(over)
    return body


def s2_item(**over: Any) -> dict[str, Any]:
    return (
        archive_item(
            collection="sentinel-2-l2a", item_id=SCENE, processing_level="L2A", aoi=None, options={}
        )
        | over
    )


def balance(client: TestClient, tenant: Tenant) -> Any:
    url = f"/v1/contracts/{tenant['contract_id']}/balance"
    return client.get(url, headers=tenant["headers"]).json()


@pytest.fixture
def pay_per_order(runtime: Runtime) -> Tenant:
    creds = provision_organisation(
        runtime.uow,
        runtime.clock,
        "Initech",
        "http://testserver",
        ContractTerms(
            name="Initech EUR",
            billing=Billing.CURRENCY,
            currency="EUR",
            payment_mode=PaymentMode.PAY_PER_ORDER,
        ),
    )
    creds["headers"] = {"X-API-Key": creds["api_key"]}
    return creds


def test_a_balance_contract_order_with_its_licence_is_paid_at_once(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.post(ORDERS, json=dc_order(tenant), headers=tenant["headers"])
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["status"] == "PAID"
    assert data["checkout_redirect_url"] is None
    assert data["organisation"] == tenant["organisation_number"]
    assert data["contract_id"] == tenant["contract_number"]
    [line] = data["order_line_items"]
    assert (line["collection"], line["item"], line["level"]) == ("sentinel-2-l2a", SCENE, "L2A")
    assert data["price"]["currency"] == "CREDITS" and data["price"]["final"] > 0


def test_the_order_records_who_accepted_which_licence_and_shows_it_natively(
    client: TestClient, tenant: Tenant
) -> None:
    order_id = client.post(ORDERS, json=dc_order(tenant), headers=tenant["headers"]).json()["data"][
        "id"
    ]
    native = client.get(f"/v1/orders/{order_id}", headers=tenant["headers"]).json()
    [licence] = native["licences"]
    assert (licence["name"], licence["version"]) == ("DataCosmos EULA", "1.0")
    assert licence["link"] == "https://example.com/license/eula-v1"
    assert licence["accepted_by"] == tenant["client_id"]
    assert licence["accepted_at"] == native["created_at"]
    shown = client.get(f"{ORDERS}/{order_id}", headers=tenant["headers"]).json()["data"]
    assert [(x["license_name"], x["accepted"]) for x in shown["licenses"]] == [
        ("DataCosmos EULA", True)
    ]


def test_an_order_without_the_required_licence_is_refused_naming_it_and_charges_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    before = balance(client, tenant)
    response = client.post(ORDERS, json=dc_order(tenant, licenses=[]), headers=tenant["headers"])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "licenses"
    assert "DataCosmos EULA" in error["message"] and "1.0" in error["message"]
    assert balance(client, tenant) == before
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["count"] == 0


def test_a_refused_licence_is_refused_as_such(client: TestClient, tenant: Tenant) -> None:
    refused = {**EULA, "accepted": False}
    response = client.post(
        ORDERS, json=dc_order(tenant, licenses=[refused]), headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert "was refused" in response.json()["errors"][0]["message"]


def test_another_version_of_the_licence_does_not_count(client: TestClient, tenant: Tenant) -> None:
    older = {**EULA, "license_version": "0.9"}
    response = client.post(
        ORDERS, json=dc_order(tenant, licenses=[older]), headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "licenses"


def test_the_native_api_refuses_the_same_order_without_the_licence(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.post(
        "/v1/orders", json=order_body(s2_item(), name="S2"), headers=tenant["headers"]
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "licences" and "DataCosmos EULA" in error["message"]
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["count"] == 0


def test_the_native_api_records_the_licences_it_is_sent(client: TestClient, tenant: Tenant) -> None:
    licences = [{"name": "datacosmos eula", "version": "1.0", "link": "https://x.example/eula"}]
    body = order_body(s2_item(), name="S2", licences=licences)
    response = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    [licence] = response.json()["licences"]
    assert licence["name"] == "datacosmos eula" and licence["version"] == "1.0"
    # products that require no licence need none (every other test order sends none)


def test_products_list_the_licences_they_require(client: TestClient, tenant: Tenant) -> None:
    products = {p["sku"]: p for p in client.get("/v1/products", headers=tenant["headers"]).json()}
    assert products["ARC-S2-L2A"]["licences"] == [
        {"name": "DataCosmos EULA", "version": "1.0", "link": "https://example.com/license/eula-v1"}
    ]
    assert products["ARC-PHR-KM2"]["licences"] == []


def test_account_numbers_are_shown_natively(client: TestClient, tenant: Tenant) -> None:
    org = client.get("/v1/organisation", headers=tenant["headers"]).json()
    assert org["id"] == tenant["organisation_id"]
    assert org["number"] == tenant["organisation_number"] >= 1
    [contract] = client.get("/v1/contracts", headers=tenant["headers"]).json()
    assert contract["number"] == tenant["contract_number"] >= 1


def test_account_numbers_differ_between_organisations(tenant: Tenant, other_tenant: Tenant) -> None:
    assert tenant["organisation_number"] != other_tenant["organisation_number"]
    assert tenant["contract_number"] != other_tenant["contract_number"]


def test_another_organisations_number_is_forbidden_naming_it(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = other_tenant["organisation_number"]
    response = client.post(
        ORDERS, json=dc_order(tenant, organisation=theirs), headers=tenant["headers"]
    )
    assert response.status_code == 403
    [error] = response.json()["errors"]
    assert error["field"] == "organisation" and str(theirs) in error["message"]
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["count"] == 0


def test_another_organisations_contract_number_is_forbidden_naming_it(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = other_tenant["contract_number"]
    response = client.post(
        ORDERS, json=dc_order(tenant, contract_id=theirs), headers=tenant["headers"]
    )
    assert response.status_code == 403
    [error] = response.json()["errors"]
    assert error["field"] == "contract_id" and str(theirs) in error["message"]
    assert client.get("/v1/orders", headers=other_tenant["headers"]).json()["count"] == 0


def test_another_organisations_order_answers_like_a_missing_one(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    order_id = client.post(ORDERS, json=dc_order(tenant), headers=tenant["headers"]).json()["data"][
        "id"
    ]
    for path in (f"{ORDERS}/{order_id}", f"{ORDERS}/{order_id}/checkout"):
        assert client.get(path, headers=other_tenant["headers"]).status_code == 404


def test_an_unknown_level_is_refused_naming_the_datacosmos_field(
    client: TestClient, tenant: Tenant
) -> None:
    body = dc_order(tenant, line={"level": "L1C"})
    response = client.post(ORDERS, json=body, headers=tenant["headers"])
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "data.order_line_items[0].level"
    assert "L2A" in error["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "TASKING"}, "type"),
        ({"organisation": "one"}, "organisation"),
        ({"contract_id": 0}, "contract_id"),
        ({"data": {"order_line_items": []}}, "data.order_line_items"),
        ({"licenses": [{"license_name": "x"}]}, "licenses[0].accepted"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_malformed_orders_are_refused_naming_the_field(
    client: TestClient, tenant: Tenant, change: dict[str, Any], field: str
) -> None:
    response = client.post(ORDERS, json=dc_order(tenant, **change), headers=tenant["headers"])
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_pay_per_order_contract_awaits_payment_at_its_checkout(
    client: TestClient, pay_per_order: Tenant
) -> None:
    headers = pay_per_order["headers"]
    data = client.post(ORDERS, json=dc_order(pay_per_order), headers=headers).json()["data"]
    assert data["status"] == "AWAITING_PAYMENT"
    assert data["price"]["currency"] == "EUR"
    url = data["checkout_redirect_url"]
    assert urlsplit(url).path.startswith("/checkout/")
    checkout = client.get(f"{ORDERS}/{data['id']}/checkout", headers=headers).json()
    assert checkout["data"]["checkout_url"] == url


def test_paying_at_the_checkout_makes_the_order_paid(
    client: TestClient, pay_per_order: Tenant
) -> None:
    headers = pay_per_order["headers"]
    data = client.post(ORDERS, json=dc_order(pay_per_order), headers=headers).json()["data"]
    path = urlsplit(data["checkout_redirect_url"]).path
    assert client.post(f"{path}/pay", follow_redirects=False).status_code == 303
    shown = client.get(f"{ORDERS}/{data['id']}", headers=headers).json()["data"]
    assert shown["status"] == "PAID"
    checkout = client.get(f"{ORDERS}/{data['id']}/checkout", headers=headers).json()
    assert checkout == {"data": {"order_id": data["id"], "checkout_url": None}}


def test_cancelling_at_the_checkout_cancels_the_order(
    client: TestClient, pay_per_order: Tenant
) -> None:
    headers = pay_per_order["headers"]
    data = client.post(ORDERS, json=dc_order(pay_per_order), headers=headers).json()["data"]
    path = urlsplit(data["checkout_redirect_url"]).path
    assert client.post(f"{path}/cancel", follow_redirects=False).status_code == 303
    shown = client.get(f"{ORDERS}/{data['id']}", headers=headers).json()["data"]
    assert shown["status"] == "CANCELLED" and shown["processing_status"] is None


def test_the_price_is_in_the_contract_currency_and_what_the_order_charges(
    client: TestClient, pay_per_order: Tenant
) -> None:
    headers = pay_per_order["headers"]
    params = {"collection": "sentinel-2-l2a", "item": SCENE, "level": "L2A"}
    price = client.get("/api/data/v0/order/price", params=params, headers=headers).json()["data"]
    assert price["currency"] == "EUR"
    assert price["breakdown"]["final"] == price["final"] > 0
    data = client.post(ORDERS, json=dc_order(pay_per_order), headers=headers).json()["data"]
    assert data["price"] == {"final": price["final"], "currency": "EUR"}


def test_a_price_of_an_unknown_level_names_the_level(client: TestClient, tenant: Tenant) -> None:
    params = {"collection": "sentinel-2-l2a", "item": SCENE, "level": "L9"}
    response = client.get("/api/data/v0/order/price", params=params, headers=tenant["headers"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "level"


def test_a_price_under_another_organisations_contract_is_forbidden(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    params = {
        "collection": "sentinel-2-l2a",
        "item": SCENE,
        "level": "L2A",
        "contract_id": other_tenant["contract_number"],
    }
    response = client.get("/api/data/v0/order/price", params=params, headers=tenant["headers"])
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "contract_id"


def test_where_data_needs_an_order_the_items_assets_download_once_paid(
    client: TestClient, pay_per_order: Tenant, runtime: Runtime
) -> None:
    """The guide's step 4b (download every asset of the purchased item) works once the
    order is paid, and not before, when the server keeps archive data for buyers."""
    install_example_catalog(runtime)
    runtime.settings.archive_assets = "ordered"
    headers = pay_per_order["headers"]
    data = client.post(ORDERS, json=dc_order(pay_per_order), headers=headers).json()["data"]
    item = client.get(f"/api/data/v0/stac/collections/sentinel-2-l2a/items/{SCENE}",
                      headers=headers).json()  # fmt: skip
    hrefs = {key: urlsplit(asset["href"]).path for key, asset in item["assets"].items()}
    assert client.get(hrefs["visual"], headers=headers).status_code == 403
    path = urlsplit(data["checkout_redirect_url"]).path
    assert client.post(f"{path}/pay", follow_redirects=False).status_code == 303
    for key, href in hrefs.items():
        assert client.get(href, headers=headers).status_code == 200, key
