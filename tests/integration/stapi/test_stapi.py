"""STAPI over the tasking engine: every answer validates against stapi-pydantic."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import stapi_pydantic as sp
from fastapi.testclient import TestClient

from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime
from tests.factories import MAR_DEL_PLATA, archive_item, order_body, place

Tenant = dict[str, Any]
PRODUCT = "TSKSTD-M.NN.NN"
WINDOW = "2026-01-06T00:00:00Z/2026-01-13T00:00:00Z"


def get(client: TestClient, tenant: Tenant, path: str) -> Any:
    response = client.get(path, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def order_payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "datetime": WINDOW,
        "geometry": MAR_DEL_PLATA,
        "filter": {
            "op": "and",
            "args": [
                {"op": "<=", "args": [{"property": "view:off_nadir"}, 30]},
                {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]},
            ],
        },
        "order_parameters": {"priority": "rush", "revisit_period": "P1D",
                             "processing_levels": ["L1B"]},
    }  # fmt: skip
    body.update(overrides)
    return body


def test_landing_conformance_and_products_validate(client: TestClient, tenant: Tenant) -> None:
    sp.RootResponse.model_validate(get(client, tenant, "/stapi"))
    conformance = get(client, tenant, "/stapi/conformance")
    assert sp.Conformance.model_validate({"conforms_to": conformance["conformsTo"]})
    products = sp.ProductsCollection.model_validate(get(client, tenant, "/stapi/products"))
    assert PRODUCT in {p.id for p in products.products}
    one = sp.Product.model_validate(get(client, tenant, f"/stapi/products/{PRODUCT}"))
    assert {link.rel for link in one.links} >= {"queryables", "order-parameters"}
    assert get(client, tenant, f"/stapi/products/{PRODUCT}/queryables")["type"] == "object"
    params = get(client, tenant, f"/stapi/products/{PRODUCT}/order-parameters")
    assert "priority" in params["properties"]


def test_an_archive_product_is_not_a_stapi_product(client: TestClient, tenant: Tenant) -> None:
    response = client.get("/stapi/products/ARC-PHR-KM2", headers=tenant["headers"])
    assert response.status_code == 404


def test_opportunities_sync_validate(client: TestClient, tenant: Tenant) -> None:
    body = {"datetime": WINDOW, "geometry": MAR_DEL_PLATA, "limit": 5,
            "filter": {"op": "<=", "args": [{"property": "view:off_nadir"}, 30]}}  # fmt: skip
    response = client.post(
        f"/stapi/products/{PRODUCT}/opportunities", json=body, headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text
    found = sp.OpportunityCollection.model_validate(response.json())
    assert 1 <= len(found.features) <= 5
    for feature in found.features:
        assert feature.properties is not None
        assert feature.properties.model_dump()["view:off_nadir"] <= 30.5


def test_opportunities_async_give_a_search_record_to_read_later(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"datetime": WINDOW, "geometry": MAR_DEL_PLATA}
    response = client.post(
        f"/stapi/products/{PRODUCT}/opportunities",
        json=body,
        headers={**tenant["headers"], "Prefer": "respond-async"},
    )
    assert response.status_code == 201, response.text
    record = sp.OpportunitySearchRecord.model_validate(response.json())
    assert record.status.status_code == "completed"
    again = get(client, tenant, response.headers["location"].split("testserver")[-1])
    assert again["id"] == record.id
    results = get(client, tenant, f"/stapi/searches/opportunities/{record.id}/opportunities")
    assert sp.OpportunityCollection.model_validate(results).features
    records = get(client, tenant, "/stapi/searches/opportunities")
    assert sp.OpportunitySearchRecords.model_validate(records).search_records


def test_another_tenant_cannot_read_a_search_record(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    response = client.post(
        f"/stapi/products/{PRODUCT}/opportunities",
        json={"datetime": WINDOW, "geometry": MAR_DEL_PLATA},
        headers={**tenant["headers"], "Prefer": "respond-async"},
    )
    record_id = response.json()["id"]
    other = client.get(
        f"/stapi/searches/opportunities/{record_id}", headers=other_tenant["headers"]
    )
    assert other.status_code == 404


def test_a_stapi_order_is_the_native_order(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        f"/stapi/products/{PRODUCT}/orders", json=order_payload(), headers=tenant["headers"]
    )
    assert response.status_code == 201, response.text
    order = sp.Order[sp.OrderStatus].model_validate(response.json())
    native = get(client, tenant, f"/v1/orders/{order.id}")
    assert native["items"][0]["max_off_nadir"] == 30
    assert native["items"][0]["max_cloud_cover"] == 20
    assert native["items"][0]["priority"] == "rush"
    assert order.id in {o["id"] for o in get(client, tenant, "/v1/orders")["results"]}
    listed = sp.OrderCollection[sp.OrderStatus].model_validate(get(client, tenant, "/stapi/orders"))
    assert order.id in {o.id for o in listed.features}


def test_a_native_tasking_order_shows_under_stapi_with_its_statuses(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    native = place(client, tenant)
    runtime.agenda.advance(clock, clock.now() + timedelta(days=20))
    order = sp.Order[sp.OrderStatus].model_validate(
        get(client, tenant, f"/stapi/orders/{native['id']}")
    )
    assert order.properties.status.status_code in {"completed", "failed"}
    statuses = sp.OrderStatuses[sp.OrderStatus].model_validate(
        get(client, tenant, f"/stapi/orders/{native['id']}/statuses")
    )
    codes = [s.status_code for s in statuses.statuses]
    assert codes[-1] == "received" and "accepted" in codes and "tasked" in codes
    assert codes[0] in {"completed", "failed"}


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"datetime": "2026-01-13T00:00:00Z/2026-01-06T00:00:00Z"}, "datetime"),
        ({"datetime": "next week"}, "datetime"),
        ({"filter": {"op": ">", "args": [{"property": "view:off_nadir"}, 3]}}, "filter"),
        ({"order_parameters": {"colour": "red"}}, "order_parameters.colour"),
        ({"geometry": {"type": "Point", "coordinates": [200, 0]}}, "aoi"),
    ],
)
def test_bad_stapi_orders_answer_4xx_naming_the_field(
    client: TestClient, tenant: Tenant, override: dict[str, Any], field: str
) -> None:
    response = client.post(
        f"/stapi/products/{PRODUCT}/orders", json=order_payload(**override),
        headers=tenant["headers"],
    )  # fmt: skip
    assert 400 <= response.status_code < 500, response.text
    assert field in response.text
    assert get(client, tenant, "/v1/orders")["count"] == 0


def test_stapi_needs_credentials(client: TestClient, runtime: Runtime) -> None:
    assert client.get("/stapi/products").status_code == 401


def test_stapi_orders_page_over_tasking_orders_past_a_hundred_archive_orders(
    client: TestClient, tenant: Tenant
) -> None:
    tasking = place(client, tenant)
    for n in range(101):
        place(client, tenant, order_body(archive_item(), name=f"Archive {n}"))
    listed = get(client, tenant, "/stapi/orders")
    assert [o["id"] for o in listed["features"]] == [tasking["id"]]
    assert listed["links"] == []


def test_stapi_orders_follow_next_links_and_refuse_a_negative_limit(
    client: TestClient, tenant: Tenant
) -> None:
    ids = [place(client, tenant)["id"] for _ in range(3)]
    first = get(client, tenant, "/stapi/orders?limit=2")
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = get(client, tenant, nxt.removeprefix("http://testserver"))
    listed = [o["id"] for o in first["features"] + second["features"]]
    assert listed == list(reversed(ids))
    refused = client.get("/stapi/orders?limit=-1", headers=tenant["headers"])
    assert refused.status_code == 422, refused.text
    assert "limit" in refused.text


@pytest.mark.parametrize("limit", ["-1", "0", "1001", "ten"])
def test_a_stapi_orders_limit_out_of_range_answers_4xx_naming_limit(
    client: TestClient, tenant: Tenant, limit: str
) -> None:
    response = client.get(f"/stapi/orders?limit={limit}", headers=tenant["headers"])
    assert response.status_code == 422, response.text
    assert "limit" in response.text


def test_stapi_orders_returns_at_most_limit_orders(client: TestClient, tenant: Tenant) -> None:
    for _ in range(2):
        place(client, tenant)
    listed = get(client, tenant, "/stapi/orders?limit=1")
    assert len(listed["features"]) == 1
