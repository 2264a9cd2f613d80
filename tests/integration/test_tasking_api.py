"""Satellites, opportunities and feasibility through the native API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.factories import MAR_DEL_PLATA, TOULOUSE, archive_item, order_body, place, tasking_item

SEARCH: dict[str, Any] = {
    "aoi": MAR_DEL_PLATA,
    "start": "2026-01-06T00:00:00Z",
    "end": "2026-01-09T00:00:00Z",
}


class FlatOutlook:
    """The same expected cloud everywhere, always."""

    def __init__(self, cloud: float) -> None:
        self.cloud = cloud

    def expected_cloud(self, lat: float, lon: float, at: datetime) -> float:
        return self.cloud


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def feasibility_body(**overrides: Any) -> dict[str, Any]:
    body = tasking_item(**overrides)
    del body["kind"]
    return body


# Satellites


def test_satellites_need_credentials(client: TestClient) -> None:
    assert client.get("/v1/satellites").status_code == 401


def test_satellites_list_the_constellation_with_tles_and_sensors(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    body = client.get("/v1/satellites", headers=tenant["headers"]).json()
    assert body["count"] == len(body["results"]) == 26
    sat = body["results"][0]
    assert sat["id"] == "MICRO-01"
    assert sat["tle"]["line1"].startswith("1 99001U")
    assert sat["tle"]["epoch"] == "2026-11-20T00:00:00Z"
    assert sat["sensor"]["type"] == "micro"
    assert sat["sensor"]["swath_km"] == 20.0
    assert sat["orbit"]["inclination_deg"] == pytest.approx(97.4, abs=0.1)
    assert 400 < sat["orbit"]["altitude_km"] < 700
    assert sat["status"] == "operational"


def test_a_satellite_is_found_by_name_or_norad_id(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    by_name = client.get("/v1/satellites/PHR-01", headers=tenant["headers"]).json()
    by_norad = client.get(f"/v1/satellites/{by_name['norad_id']}", headers=tenant["headers"])
    assert by_norad.json() == by_name
    assert by_name["sensor"]["gsd_m"] == 0.5


def test_an_unknown_satellite_is_404(client: TestClient, tenant: dict[str, Any]) -> None:
    response = client.get("/v1/satellites/SKY-404", headers=tenant["headers"])
    assert response.status_code == 404
    assert "SKY-404" in response.json()["detail"]


# Opportunities


def test_opportunities_need_credentials(client: TestClient) -> None:
    assert client.post("/v1/opportunities", json=SEARCH).status_code == 401


def test_opportunities_answer_each_access_window(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime
) -> None:
    runtime.cloud = FlatOutlook(0.42)
    response = client.post("/v1/opportunities", json=SEARCH, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["results"]) > 0
    window = body["results"][0]
    assert window["start"] < window["tca"] < window["end"]
    assert 0 <= window["off_nadir_min"] <= window["off_nadir_max"] <= 45
    assert window["sun_elevation"] >= 10
    assert window["direction"] in {"ascending", "descending"}
    assert window["expected_cloud_cover"] == 42.0
    assert window["ground_track"]["type"] == "LineString"
    assert all(len(p) == 3 and p[2] > 300_000 for p in window["ground_track"]["coordinates"])
    assert window["footprint"]["type"] == "Polygon"
    starts = [w["start"] for w in body["results"]]
    assert starts == sorted(starts)


def test_opportunities_can_be_limited_to_satellites(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    body = {**SEARCH, "satellites": ["MICRO-01", "MICRO-02"]}
    results = client.post("/v1/opportunities", json=body, headers=tenant["headers"]).json()
    assert {w["satellite"] for w in results["results"]} <= {"MICRO-01", "MICRO-02"}


def test_a_product_applies_its_sensor_and_off_nadir_limit(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    body = {**SEARCH, "aoi": TOULOUSE, "product": "TSKSTD-M.NN.NN"}
    results = client.post("/v1/opportunities", json=body, headers=tenant["headers"]).json()
    assert results["count"] > 0
    assert {w["sensor"] for w in results["results"]} == {"micro"}
    assert max(w["off_nadir_min"] for w in results["results"]) <= 30.5


def test_opportunity_errors_name_each_field(client: TestClient, tenant: dict[str, Any]) -> None:
    body = {**SEARCH, "end": SEARCH["start"], "satellites": ["MICRO-01", "SKY-9"]}
    response = client.post("/v1/opportunities", json=body, headers=tenant["headers"])
    assert response.status_code == 422
    assert fields(response) == {"end", "satellites"}
    assert "SKY-9" in response.json()["detail"]


def test_a_long_opportunity_window_is_refused(client: TestClient, tenant: dict[str, Any]) -> None:
    body = {**SEARCH, "end": "2026-04-01T00:00:00Z"}
    response = client.post("/v1/opportunities", json=body, headers=tenant["headers"])
    assert response.status_code == 422
    assert "at most 60 days" in response.json()["detail"]


@pytest.mark.parametrize(("name", "value"), [("max_off_nadir", 90), ("min_sun_elevation", 91)])
def test_angles_out_of_range_are_422(
    client: TestClient, tenant: dict[str, Any], name: str, value: float
) -> None:
    response = client.post(
        "/v1/opportunities", json={**SEARCH, name: value}, headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert fields(response) == {name}


def test_a_bad_opportunity_aoi_is_named(client: TestClient, tenant: dict[str, Any]) -> None:
    body = {**SEARCH, "aoi": {"type": "Point", "coordinates": [200, 0]}}
    response = client.post("/v1/opportunities", json=body, headers=tenant["headers"])
    assert response.status_code == 422
    assert fields(response) == {"aoi.coordinates[0]"}


# Feasibility of a request


def test_a_clear_request_is_feasible(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime
) -> None:
    runtime.cloud = FlatOutlook(0.2)
    response = client.post("/v1/feasibility", json=feasibility_body(), headers=tenant["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["feasibility_status"] == "SUCCESS"
    assert body["checked_at"] == "2026-01-05T12:00:00Z"
    assert body["considered"] == {"start": "2026-01-06T00:00:00Z", "end": "2026-01-20T23:59:00Z"}
    assert any(w["within_limits"] for w in body["windows"])


def test_a_cloudy_request_fails_with_the_expected_cloud(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime
) -> None:
    runtime.cloud = FlatOutlook(0.97)
    response = client.post("/v1/feasibility", json=feasibility_body(), headers=tenant["headers"])
    body = response.json()
    assert body["feasibility_status"] == "FAILED"
    assert body["reason"].startswith("expected cloud too high for the window: 97% vs max 20%")


def test_a_tiny_off_nadir_limit_fails_naming_the_nearest_pass(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    window = {"start": "2026-01-06T00:00:00Z", "end": "2026-01-07T00:00:00Z"}
    body = feasibility_body(max_off_nadir=0.01, window=window)
    result = client.post("/v1/feasibility", json=body, headers=tenant["headers"]).json()
    assert result["feasibility_status"] == "FAILED"
    assert result["reason"].startswith("constraints too tight: nearest pass needs ")
    assert result["reason"].endswith("off-nadir, limit 0.01°")


def test_feasibility_errors_name_the_items_fields(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    window = {"start": "2025-12-01T00:00:00Z", "end": "2025-12-02T00:00:00Z"}
    body = feasibility_body(window=window, product="NOPE")
    response = client.post("/v1/feasibility", json=body, headers=tenant["headers"])
    assert response.status_code == 422
    assert fields(response) == {"product", "window.end"}


def test_feasibility_needs_credentials(client: TestClient) -> None:
    assert client.post("/v1/feasibility", json=feasibility_body()).status_code == 401


# Feasibility of an order's item


def item_url(order: dict[str, Any], index: int = 0) -> str:
    return f"/v1/orders/{order['id']}/items/{order['items'][index]['id']}/feasibility"


def test_a_new_tasking_item_has_no_verdict_yet(client: TestClient, tenant: dict[str, Any]) -> None:
    item = place(client, tenant)["items"][0]
    assert item["feasibility_status"] == "UNSPECIFIED"
    assert item["last_feasibility_check"] is None


def test_checking_an_item_stamps_its_verdict(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime
) -> None:
    runtime.cloud = FlatOutlook(0.2)
    order = place(client, tenant)
    response = client.post(item_url(order), headers=tenant["headers"])
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["feasibility_status"] == "SUCCESS"
    assert verdict["order_id"] == order["id"]
    item = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()["items"][0]
    assert item["feasibility_status"] == "SUCCESS"
    assert item["last_feasibility_check"] == verdict["checked_at"]
    assert item["latest_event"]["type"] == "OrderItemFeasibilityChecked"
    assert item["latest_event"]["details"]["reason"] == verdict["reason"]


def test_a_recheck_replaces_the_verdict(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime
) -> None:
    order = place(client, tenant)
    runtime.cloud = FlatOutlook(0.2)
    client.post(item_url(order), headers=tenant["headers"])
    runtime.cloud = FlatOutlook(0.97)
    verdict = client.post(item_url(order), headers=tenant["headers"]).json()
    assert verdict["feasibility_status"] == "FAILED"
    item = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()["items"][0]
    assert item["feasibility_status"] == "FAILED"


def test_another_organisations_item_is_404(
    client: TestClient, tenant: dict[str, Any], other_tenant: dict[str, Any]
) -> None:
    order = place(client, tenant)
    response = client.post(item_url(order), headers=other_tenant["headers"])
    assert response.status_code == 404
    item = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()["items"][0]
    assert item["feasibility_status"] == "UNSPECIFIED"


def test_an_unknown_item_is_404(client: TestClient, tenant: dict[str, Any]) -> None:
    order = place(client, tenant)
    url = f"/v1/orders/{order['id']}/items/00000000-0000-4000-8000-000000000000/feasibility"
    assert client.post(url, headers=tenant["headers"]).status_code == 404


def test_an_archive_item_has_no_feasibility(client: TestClient, tenant: dict[str, Any]) -> None:
    order = place(client, tenant, order_body(archive_item()))
    assert client.post(item_url(order), headers=tenant["headers"]).status_code == 409


def test_a_cancelled_item_is_not_checked(client: TestClient, tenant: dict[str, Any]) -> None:
    order = place(client, tenant)
    client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    response = client.post(item_url(order), headers=tenant["headers"])
    assert response.status_code == 409
    assert "cancelled" in response.json()["detail"]
