"""Aleph Orders API v2: orders, captures and deliverables in the documented shapes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.captures import CaptureStatus
from skyorder.core.deliverables import DeliverableStatus
from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import (
    TOULOUSE,
    capture_for,
    deliverable_for,
    order_body,
    place,
    store,
    stored_assets,
    tasking_item,
)

Tenant = dict[str, Any]
HOUR = timedelta(hours=1)


def aleph(tenant: Tenant, header: str = "authorizationToken") -> dict[str, str]:
    return {
        header: f"Bearer {tenant['api_key']}",
        "X-Satellogic-Contract-Id": f"cont.{tenant['contract_id']}",
    }


def get(client: TestClient, tenant: Tenant, path: str, **params: Any) -> Any:
    response = client.get(path, params=params, headers=aleph(tenant))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def order(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    body = order_body(tasking_item(min_off_nadir=5), project_id=tenant["project_id"])
    return place(client, tenant, body)


def test_an_order_is_a_feature_with_its_contract_project_and_product_names(
    client: TestClient, tenant: Tenant, order: dict[str, Any]
) -> None:
    got = get(client, tenant, "/v2/orders/000001")
    assert got["type"] == "Feature"
    assert got["geometry"] == {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}
    p = got["properties"]
    assert p["order_id"] == "000001"
    assert p["contract_id"] == f"cont.{tenant['contract_id']}"
    assert p["contract_name"] == "Acme contract"
    assert p["project_id"] == f"project.{tenant['project_id']}"
    assert p["project_name"] == "Acme project"
    assert p["sku"] == "TSKRSH-M.NN.NN"
    assert p["product_name"]
    assert p["order_name"] == "Mar del Plata Airport"
    assert p["status"] == "accepted"
    assert p["parameters"]["start"] == "2026-01-06T00:00:00Z"
    assert p["parameters"]["end"] == "2026-01-20T23:59:00Z"
    assert p["parameters"]["revisit_period"] == "P1D"
    assert p["parameters"]["min_ona"] == 5
    assert p["task_id"] == order["items"][0]["task_id"] == "1000001"
    assert p["created_at"] == "2026-01-05T12:00:00"
    assert p["latest_event"]["timestamp"].endswith("Z")


def test_an_order_is_found_by_its_task_id_and_listed_by_it(
    client: TestClient, tenant: Tenant, order: dict[str, Any]
) -> None:
    place(client, tenant, order_body(name="Second"))
    assert get(client, tenant, "/v2/orders/1000002")["properties"]["order_name"] == "Second"
    page = get(client, tenant, "/v2/orders/", task_id="1000001")
    assert [f["properties"]["order_id"] for f in page["features"]] == ["000001"]
    native = client.get("/v1/orders", params={"task_id": "1000002"}, headers=tenant["headers"])
    assert [o["order_number"] for o in native.json()["results"]] == ["000002"]


def test_orders_page_by_25_with_links_as_documented(client: TestClient, tenant: Tenant) -> None:
    for i in range(27):
        place(client, tenant, order_body(name=f"o{i}"))
    first = get(client, tenant, "/v2/orders/")
    assert first["type"] == "FeatureCollection"
    assert first["count"] == 27 and len(first["features"]) == 25
    assert first["next"] == "/v2/orders?offset=25&limit=25"
    assert first["previous"] is None
    second = client.get(first["next"], headers=aleph(tenant)).json()
    assert len(second["features"]) == 2 and second["next"] is None
    assert second["previous"] == "/v2/orders?offset=0&limit=25"


def test_orders_filter_by_name_status_and_quoted_times(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place(client, tenant, order_body(name="Early"))
    runtime.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    place(client, tenant, order_body(name="Late"))
    names = lambda page: [f["properties"]["order_name"] for f in page["features"]]  # noqa: E731
    assert names(get(client, tenant, "/v2/orders", order_name="Late")) == ["Late"]
    assert names(get(client, tenant, "/v2/orders/", status="accepted")) == ["Late", "Early"]
    assert names(get(client, tenant, "/v2/orders/", status="in_progress")) == []
    after = '"2026-01-05T13:00:00Z"'
    assert names(get(client, tenant, "/v2/orders/", updated_at__gte=after)) == ["Late"]
    assert names(get(client, tenant, "/v2/orders/", created_at__lt="2026-01-05T13:00:00")) == [
        "Early"
    ]


def test_captures_show_the_centre_line_numeric_priority_and_failure_reason(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    footprint = {
        "type": "Polygon",
        "coordinates": [[[-57.7, -38.1], [-57.5, -38.1], [-57.5, -37.8], [-57.7, -37.8],
                         [-57.7, -38.1]]],
    }  # fmt: skip
    failed = capture_for(
        order, T0, status=CaptureStatus.FAILED, reason="Collection attempt failed.",
        footprint=footprint, start=T0 + timedelta(days=4),
    )  # fmt: skip
    collected = capture_for(order, T0, status=CaptureStatus.COLLECTED, start=T0 + timedelta(days=6))
    store(runtime, order["id"], failed, collected)
    page = get(
        client, tenant, "/v2/captures/", status="failed", limit=10,
        start__gt="2026-01-09", end__lt="2026-01-10",
    )  # fmt: skip
    assert page["count"] == 1
    feature = page["features"][0]
    line = feature["geometry"]
    assert line["type"] == "LineString"
    assert all(len(c) == 3 and c[2] == 0.0 for c in line["coordinates"])
    assert all(-57.7 <= c[0] <= -57.5 and -38.1 <= c[1] <= -37.8 for c in line["coordinates"])
    p = feature["properties"]
    assert p["capture_id"] == failed.id and p["order"] == "000001" and p["status"] == "failed"
    assert p["start"] == "2026-01-09T12:00:00"
    assert p["metadata"]["priority"] == 75
    assert p["metadata"]["min_absolute_off_nadir"] == 3.5
    assert p["latest_event"]["type"] == "CaptureCollectionFailed"
    assert p["latest_event"]["details"] == {"reason": "Collection attempt failed."}
    mine = get(client, tenant, "/v2/orders/000001/captures/")
    assert {f["properties"]["capture_id"] for f in mine["features"]} == {failed.id, collected.id}
    one = get(client, tenant, f"/v2/captures/{collected.id}")
    assert one["properties"]["status"] == "collected"


def test_deliverables_are_listed_as_documented_with_links_that_download(
    client: TestClient, runtime: Runtime, tenant: Tenant, order: dict[str, Any]
) -> None:
    capture = capture_for(order, T0, status=CaptureStatus.COLLECTED)
    assets = stored_assets(runtime, "aleph", {"visual": b"V" * 10, "delivery": b"PK-zip"})
    done = deliverable_for(
        order, T0, capture_id=capture.id, delivered_at=T0 + HOUR, assets=assets,
        footprint=TOULOUSE,
    )  # fmt: skip
    busy = deliverable_for(order, T0, status=DeliverableStatus.PROCESSING, assets={})
    store(runtime, order["id"], capture, done, busy)
    page = get(client, tenant, "/v2/deliverables/", order="000001")
    assert set(page) == {"count", "next", "previous", "results"} and page["count"] == 2
    got = get(client, tenant, "/v2/deliverables", status="delivered")["results"]
    assert len(got) == 1
    d = got[0]
    assert d["deliverable_id"] == f"deliv.{done.id}"
    assert d["contract"] == f"cont.{tenant['contract_id']}"
    assert d["order"] == "000001" and d["order_name"] == "Mar del Plata Airport"
    assert d["status"] == "DELIVERED"
    assert d["activity_outcome_id"] == capture.id
    assert d["delivered_at"] == "2026-01-05T13:00:00" and d["rejected_at"] is None
    assert d["latest_event"]["details"] == {"delivery_method": "API"}
    assert d["billing_details"] == {"billable_sqkm": 27.5, "billable_sku": "TSKRSH-M.NN.NN"}
    assert set(d["assets"]) == {"visual", "delivery"}
    assert d["assets"]["delivery"]["type"] == "application/zip"
    assert d["assets"]["delivery"]["roles"] == ["data"]
    href = d["assets"]["delivery"]["href"]
    assert href.startswith("http")
    download = client.get(href.removeprefix("http://testserver"))
    assert download.status_code == 200 and download.content == b"PK-zip"
    window = {"delivered_at__gt": "2026-01-05T12:30:00Z", "delivered_at__lt": "2026-01-05"}
    assert get(client, tenant, "/v2/deliverables/", **window)["count"] == 0
    processing = get(client, tenant, "/v2/deliverables/", status="PROCESSING")["results"]
    assert processing[0]["assets"] == {} and processing[0]["delivered_at"] is None


def test_authorization_header_works_too_and_no_credentials_is_401(
    client: TestClient, tenant: Tenant, order: dict[str, Any]
) -> None:
    ok = client.get("/v2/orders/", headers=aleph(tenant, "Authorization"))
    assert ok.status_code == 200 and ok.json()["count"] == 1
    assert client.get("/v2/orders/").status_code == 401


def test_another_organisations_contract_is_refused_with_403_saying_so(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    headers = {**aleph(tenant), "X-Satellogic-Contract-Id": f"cont.{other_tenant['contract_id']}"}
    response = client.get("/v2/orders/", headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert f"cont.{other_tenant['contract_id']}" in response.json()["detail"]
    assert "not a contract of your organisation" in response.json()["detail"]


def test_another_organisations_orders_are_not_seen(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, order: dict[str, Any]
) -> None:
    assert get(client, other_tenant, "/v2/orders/")["count"] == 0
    response = client.get("/v2/orders/000001", headers=aleph(other_tenant))
    assert response.status_code == 404
    assert get(client, other_tenant, "/v2/deliverables/", order="000001")["count"] == 0


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v2/orders/", {"colour": "red"}, "colour"),
        ("/v2/orders/", {"updated_at__gte": '"yesterday"'}, "updated_at__gte"),
        ("/v2/captures/", {"start__gt": "2025-13-40"}, "start__gt"),
        ("/v2/deliverables/", {"status": "lost"}, "status"),
        ("/v2/deliverables/", {"delivered_at__between": "2025-01-01"}, "delivered_at__between"),
        ("/v2/orders/", {"limit": "0"}, "limit"),
    ],
)
def test_bad_filters_are_400_problems_naming_the_parameter(
    client: TestClient, tenant: Tenant, path: str, params: dict[str, str], field: str
) -> None:
    response = client.get(path, params=params, headers=aleph(tenant))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
