"""Archive items of several scenes: each priced, delivered, and a task of its own."""

from __future__ import annotations

import copy
from typing import Any

from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.catalog_examples import install_example_catalog
from tests.factories import TOULOUSE, order_body, place

Tenant = dict[str, Any]


def two_scenes(client: TestClient, tenant: Tenant) -> list[str]:
    found = client.post(
        "/stac/search",
        json={"collections": ["phr"], "bbox": [1.44, 43.6, 1.47, 43.62], "limit": 2},
        headers=tenant["headers"],
    )
    assert found.status_code == 200, found.text
    ids = [f["id"] for f in found.json()["features"]]
    assert len(ids) == 2
    return ids


def images_item(scenes: list[str]) -> dict[str, Any]:
    return {
        "kind": "archive",
        "collection": "phr",
        "processing_level": "ORTHO",
        "images": [{"item_id": s, "aoi": copy.deepcopy(TOULOUSE)} for s in scenes],
        "options": {"product_type": "pansharpened", "radiometric_processing": "DISPLAY"},
        "name": "two scenes",
    }


def test_an_archive_item_of_two_scenes_is_priced_per_scene_and_delivered_per_scene(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    install_example_catalog(runtime)
    scenes = two_scenes(client, tenant)
    one = place(client, tenant, order_body({**images_item(scenes[:1])}))
    both = place(client, tenant, order_body(images_item(scenes)))
    assert both["total_amount"] > one["total_amount"]
    advanced = client.post(
        "/v1/sandbox/clock/advance", json={"seconds": 3600}, headers=tenant["headers"]
    )
    assert advanced.status_code == 200, advanced.text
    made = client.get(f"/v1/orders/{both['id']}/deliverables", headers=tenant["headers"]).json()
    assert sorted(d["status"] for d in made["results"]) == ["delivered", "delivered"]
    (item,) = client.get(
        "/v0/order-items", params={"order_ids": both["id"]},
        headers={"Authorization": tenant["api_key"]},
    ).json()["order_items"]  # fmt: skip
    assert [i["item_id"] for i in item["images"]] == scenes
    assert item["images"][1]["geometry"]["type"] == "Polygon"
    assert item["status"] == "COMPLETED"
    tasks = item["tasks"]
    assert [t["type"] for t in tasks] == ["ARCHIVE", "ARCHIVE"]
    assert [t["status"] for t in tasks] == ["FULFILLED", "FULFILLED"]
    assert sum(t["tokens_used"] for t in tasks) == item["tokens_used"] == item["final_amount"]


def test_a_scene_listed_twice_or_a_point_aoi_is_refused_naming_its_image(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    install_example_catalog(runtime)
    scene = two_scenes(client, tenant)[0]
    point = {"type": "Point", "coordinates": [1.45, 43.61]}
    for scenes, aoi, field in (
        ([scene, scene], TOULOUSE, "items[0].images[1].item_id"),
        ([scene, "OTHER"], point, "items[0].images[1].aoi.type"),
    ):
        item = images_item(scenes)
        item["images"][1]["aoi"] = aoi
        response = client.post("/v1/orders", json=order_body(item), headers=tenant["headers"])
        assert response.status_code == 422, response.text
        assert field in {e["field"] for e in response.json()["errors"]}


def test_item_id_and_images_together_are_refused(client: TestClient, tenant: Tenant) -> None:
    item = {**images_item(["A", "B"]), "item_id": "A"}
    response = client.post("/v1/orders", json=order_body(item), headers=tenant["headers"])
    assert response.status_code == 422
    assert "images" in response.text
