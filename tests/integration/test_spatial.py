"""The bbox filter: exact intersection with item AOIs and with capture/deliverable footprints."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import (
    MAR_DEL_PLATA,
    TOULOUSE,
    archive_item,
    capture_for,
    deliverable_for,
    order_body,
    place,
    store,
    tasking_item,
)

Tenant = dict[str, Any]

AROUND_TOULOUSE = "1.3,43.5,1.6,43.7"
AROUND_MAR_DEL_PLATA = "-58,-38.5,-57,-37.5"
NOWHERE = "100,10,101,11"

# A right triangle whose hypotenuse runs from (0.1, 0) to (0, 0.1): its bounding box
# is the square 0..0.1, but the corner near (0.09, 0.09) lies outside the triangle.
TRIANGLE = {
    "type": "Polygon",
    "coordinates": [[[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [0.0, 0.0]]],
}
OUTSIDE_CORNER = "0.085,0.085,0.095,0.095"
INSIDE_CORNER = "0.005,0.005,0.015,0.015"
INSIDE_TRIANGLE = "0.02,0.02,0.03,0.03"

SQUARE_A = [[[20.0, 20.0], [21.0, 20.0], [21.0, 21.0], [20.0, 21.0], [20.0, 20.0]]]
SQUARE_B = [[[30.0, 30.0], [31.0, 30.0], [31.0, 31.0], [30.0, 31.0], [30.0, 30.0]]]
MULTI = {"type": "MultiPolygon", "coordinates": [SQUARE_A, SQUARE_B]}


def listed(client: TestClient, tenant: Tenant, path: str = "/v1/orders", **params: Any) -> Any:
    response = client.get(path, params=params, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def names(page: dict[str, Any]) -> list[str]:
    return [o["name"] for o in page["results"]]


def tasking_over(aoi: dict[str, Any], name: str) -> dict[str, Any]:
    return order_body(tasking_item(aoi=aoi), name=name)


@pytest.fixture
def two_cities(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, order_body(archive_item(), name="Toulouse"))
    place(client, tenant, order_body(tasking_item(), name="Mar del Plata"))


def test_bbox_keeps_orders_with_an_item_aoi_inside_it(
    client: TestClient, tenant: Tenant, two_cities: None
) -> None:
    assert names(listed(client, tenant, bbox=AROUND_TOULOUSE)) == ["Toulouse"]
    assert names(listed(client, tenant, bbox=AROUND_MAR_DEL_PLATA)) == ["Mar del Plata"]


def test_bbox_far_from_every_aoi_finds_nothing(
    client: TestClient, tenant: Tenant, two_cities: None
) -> None:
    page = listed(client, tenant, bbox=NOWHERE)
    assert page["count"] == 0
    assert page["results"] == []


def test_bbox_covering_both_finds_both(
    client: TestClient, tenant: Tenant, two_cities: None
) -> None:
    page = listed(client, tenant, bbox="-60,-40,5,45")
    assert names(page) == ["Mar del Plata", "Toulouse"]


def test_bbox_partly_overlapping_a_polygon_matches_it(
    client: TestClient, tenant: Tenant, two_cities: None
) -> None:
    west, south, east, north = TOULOUSE["coordinates"][0][2][0], 43.6, 2.0, 44.0
    assert names(listed(client, tenant, bbox=f"{west - 0.01},{south},{east},{north}")) == [
        "Toulouse"
    ]


def test_bbox_inside_the_aois_envelope_but_outside_its_shape_does_not_match(
    client: TestClient, tenant: Tenant
) -> None:
    place(client, tenant, tasking_over(TRIANGLE, "triangle"))
    assert listed(client, tenant, bbox=OUTSIDE_CORNER)["count"] == 0
    assert names(listed(client, tenant, bbox=INSIDE_CORNER)) == ["triangle"]


def test_bbox_inside_a_polygon_matches_it(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, tasking_over(TRIANGLE, "triangle"))
    assert names(listed(client, tenant, bbox=INSIDE_TRIANGLE)) == ["triangle"]


def test_bbox_touching_a_point_aoi_on_its_edge_matches_it(
    client: TestClient, tenant: Tenant
) -> None:
    place(client, tenant, order_body(tasking_item(), name="point"))
    lon, lat = MAR_DEL_PLATA["coordinates"]
    assert names(listed(client, tenant, bbox=f"{lon},{lat - 1},{lon + 1},{lat + 1}")) == ["point"]


def test_bbox_matches_any_part_of_a_multipolygon(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, tasking_over(MULTI, "multi"))
    assert names(listed(client, tenant, bbox="30.2,30.2,30.4,30.4")) == ["multi"]
    assert listed(client, tenant, bbox="25,25,26,26")["count"] == 0


def test_an_order_matching_through_several_items_is_listed_once(
    client: TestClient, tenant: Tenant
) -> None:
    place(client, tenant, order_body(archive_item(), archive_item(), name="twice"))
    page = listed(client, tenant, bbox=AROUND_TOULOUSE)
    assert names(page) == ["twice"]
    assert page["count"] == 1


def test_an_order_matches_when_any_one_of_its_items_does(
    client: TestClient, tenant: Tenant
) -> None:
    place(client, tenant, order_body(tasking_item(), archive_item(), name="mixed"))
    assert names(listed(client, tenant, bbox=AROUND_TOULOUSE)) == ["mixed"]
    assert names(listed(client, tenant, bbox=AROUND_MAR_DEL_PLATA)) == ["mixed"]


def test_an_item_without_aoi_never_matches_a_bbox(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, order_body(archive_item(aoi=None), name="whole scene"))
    assert listed(client, tenant, bbox="-180,-90,180,90")["count"] == 0


def test_bbox_combines_with_other_filters(
    client: TestClient, tenant: Tenant, two_cities: None
) -> None:
    page = listed(client, tenant, bbox="-60,-40,5,45", kind="archive")
    assert names(page) == ["Toulouse"]
    assert page["count"] == 1


def test_bbox_ignores_other_organisations_orders(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    place(client, other_tenant, order_body(archive_item(), name="theirs"))
    place(client, tenant, order_body(archive_item(), name="mine"))
    assert names(listed(client, tenant, bbox=AROUND_TOULOUSE)) == ["mine"]


@pytest.mark.parametrize(
    "bbox",
    ["1,2,3", "a,b,c,d", "10,0,5,1", "0,10,1,5", "0,0,181,1", "0,-91,1,0", "nan,0,1,1"],
)
def test_an_invalid_bbox_is_refused(client: TestClient, tenant: Tenant, bbox: str) -> None:
    response = client.get("/v1/orders", params={"bbox": bbox}, headers=tenant["headers"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "bbox"


def test_bbox_matches_capture_footprints(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body(archive_item()))
    over_toulouse = capture_for(order, T0, footprint=TOULOUSE)
    elsewhere = capture_for(order, T0, footprint=TRIANGLE)
    unmapped = capture_for(order, T0)
    store(runtime, order["id"], over_toulouse, elsewhere, unmapped)
    page = listed(client, tenant, "/v1/captures", bbox=AROUND_TOULOUSE)
    assert [c["id"] for c in page["results"]] == [over_toulouse.id]
    assert page["results"][0]["footprint"] == TOULOUSE


def test_bbox_follows_a_capture_footprint_when_it_is_saved(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body(archive_item()))
    capture = capture_for(order, T0)
    store(runtime, order["id"], capture)
    capture.footprint = TRIANGLE
    with runtime.uow() as uow:
        uow.captures.save(capture)
        uow.commit()
    assert listed(client, tenant, "/v1/captures", bbox=INSIDE_CORNER)["count"] == 1
    capture.footprint = TOULOUSE
    with runtime.uow() as uow:
        uow.captures.save(capture)
        uow.commit()
    assert listed(client, tenant, "/v1/captures", bbox=INSIDE_CORNER)["count"] == 0
    assert listed(client, tenant, "/v1/captures", bbox=AROUND_TOULOUSE)["count"] == 1


def test_bbox_matches_deliverable_footprints_exactly(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body(archive_item()))
    triangle = deliverable_for(order, T0, footprint=TRIANGLE)
    store(runtime, order["id"], triangle, deliverable_for(order, T0, footprint=TOULOUSE))
    path = f"/v1/orders/{order['id']}/deliverables"
    assert [d["id"] for d in listed(client, tenant, path, bbox=INSIDE_CORNER)["results"]] == [
        triangle.id
    ]
    assert listed(client, tenant, path, bbox=OUTSIDE_CORNER)["count"] == 0
