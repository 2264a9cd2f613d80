"""The OneAtlas Data front end (``/api/v1``) and the guide's rules through it and ``/v1``."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from skyorder.core.catalog import scene_uuid as derived_uuid
from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime, build_runtime
from skyorder.services import catalog
from skyorder.settings import Settings
from tests.catalog_examples import install_example_catalog
from tests.conftest import _empty
from tests.factories import TOULOUSE, archive_item, order_body, poor_organisation

D42 = "d42de348-110b-4ed6-a597-755867b3ee54"  # Pléiades over Toulouse
D42_SOURCE = "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"
DENVER = "b6777f1b-5a43-452c-bc1b-42223bac23cb"
DENVER_SOURCE = "DS_PHR1A_201702201754406_FR1_PX_W105N39_0319_07392"
DENVER_AOI = {
    "type": "Polygon",
    "coordinates": [
        [
            [-104.775823, 39.790956],
            [-104.776331, 39.790956],
            [-104.776331, 39.791346],
            [-104.775823, 39.791346],
            [-104.775823, 39.790956],
        ]
    ],
}


@pytest.fixture
def runtime(engine: Engine, settings: Settings, clock: SandboxClock) -> Iterator[Runtime]:
    """A runtime whose archive is its own catalog, holding the documents' example scenes."""
    _empty(engine)
    rt = build_runtime(settings, clock=clock, engine=engine)
    install_example_catalog(rt)
    yield rt


def product(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "productType": "bundle",
        "radiometricProcessing": "REFLECTANCE",
        "imageFormat": "image/jp2",
        "crsCode": "urn:ogc:def:crs:EPSG::4326",
        "id": D42,
        "aoi": copy.deepcopy(TOULOUSE),
    }
    body.update(overrides)
    return body


def oneatlas(*products: dict[str, Any], kind: str = "order.data.product") -> dict[str, Any]:
    return {"kind": kind, "products": list(products) or [product()]}


def scene_uuid(client: TestClient, tenant: dict[str, Any], collection: str) -> tuple[str, str]:
    """The catalogue UUID and source id of a Toulouse scene of ``collection``."""
    if collection == "phr":
        return D42, D42_SOURCE
    body = {"collections": [collection], "bbox": [1.45, 43.61, 1.46, 43.62], "limit": 1}
    found = client.post("/stac/search", json=body, headers=tenant["headers"]).json()
    item = found["features"][0]
    return derived_uuid(collection, item["id"]), item["id"]


def bearer(tenant: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant['api_key']}"}


# --- prices and orders -----------------------------------------------------------------------


def test_a_price_names_the_scene_by_uuid_and_shows_its_source_id_and_area(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    answer = client.post("/api/v1/prices", json=oneatlas(), headers=bearer(tenant))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    (delivery,) = body["deliveries"]
    assert delivery["datas"]["sourceId"] == D42_SOURCE
    assert delivery["datas"]["id"] == delivery["id"] == D42
    assert delivery["areaKm2"] == body["price"]["areaKm2"] == 31.74
    assert body["price"]["amount"] == body["price"]["credits"] == delivery["amount"] > 0
    assert (body["feasibility"], body["orderable"]) == ("automatic", "noAvailableSubscriptionData")


def test_a_products_datas_aoi_is_wound_as_rfc_7946_and_the_payload_is_as_sent(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    sent = TOULOUSE["coordinates"][0]  # clockwise, as in the guide
    priced = client.post("/api/v1/prices", json=oneatlas(), headers=bearer(tenant)).json()
    ordered = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()
    for answer in (priced, ordered):
        assert answer["payload"]["products"][0]["aoi"]["coordinates"] == [sent]
        assert answer["deliveries"][0]["datas"]["aoi"]["coordinates"] == [sent[::-1]]


def test_an_order_is_the_same_order_in_the_native_api(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    placed = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant))
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "ordered"
    native = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()
    assert native["status"] == "accepted"
    assert native["items"][0]["item_id"] == D42_SOURCE
    assert native["total_amount"] == order["amount"]


def test_the_python_examples_order_product_kind_is_read_as_a_km2_order(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    placed = client.post(
        "/api/v1/orders", json=oneatlas(kind="order.product"), headers=bearer(tenant)
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["kind"] == "order.data.product"
    assert placed.json()["payload"]["kind"] == "order.product"  # as sent, as the guide shows


def test_a_scene_is_ordered_natively_by_its_catalogue_uuid_alone(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    item = archive_item(item_id=D42)
    del item["collection"]
    placed = client.post("/v1/orders", json=order_body(item), headers=tenant["headers"])
    assert placed.status_code == 201, placed.text
    assert (placed.json()["items"][0]["collection"], placed.json()["items"][0]["item_id"]) == (
        "phr",
        D42_SOURCE,
    )


def test_an_unknown_catalogue_uuid_is_refused_naming_the_product(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    answer = client.post(
        "/api/v1/orders", json=oneatlas(product(id=unknown)), headers=bearer(tenant)
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "products[0].id"
    assert unknown in answer.json()["detail"]


def test_the_denver_aoi_is_refused_with_its_area_and_the_minimum(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    body = oneatlas(product(id=DENVER, aoi=DENVER_AOI, productType="pansharpened"))
    for path in ("/api/v1/prices", "/api/v1/orders"):
        answer = client.post(path, json=body, headers=bearer(tenant))
        assert answer.status_code == 422
        (error,) = answer.json()["errors"]
        assert error["field"] == "products[0].aoi"
        assert (
            "0.0019 km²" in error["message"]
            and "minimum orderable area is 0.1 km²" in (error["message"])
        )


# --- the product rules, through /api/v1 and /v1 ------------------------------------------------

RULES = [
    # (collection, options: allowed, options: refused, the field refused)
    ("pneo", {"product_type": "bundle-fs"}, {"product_type": "bundle"}, "product_type"),
    ("phr", {"product_type": "bundle"}, {"product_type": "bundle-fs"}, "product_type"),
    ("spot", {"product_type": "pansharpened"}, {"product_type": "pansharpened-fs"}, "product_type"),
    (
        "spot",
        {"radiometric_processing": "BASIC16"},
        {"radiometric_processing": "BASIC16", "product_type": "bundle-fs"},
        "product_type",
    ),
    (
        "pneo",
        {"product_type": "pansharpened-fs", "radiometric_processing": "REFLECTANCE"},
        {"product_type": "pansharpened-fs", "radiometric_processing": "BASIC16"},
        "radiometric_processing",
    ),
    (
        "phr",
        {"radiometric_processing": "DISPLAY", "bit_depth": 8},
        {"radiometric_processing": "DISPLAY", "bit_depth": 16},
        "bit_depth",
    ),
    ("phr", {"crs_code": "EPSG:32631"}, {"crs_code": "EPSG:3857"}, "crs_code"),
    (
        "phr",
        {"crs_code": "urn:ogc:def:crs:EPSG::32631"},
        {"crs_code": "urn:ogc:def:crs:EPSG::32661"},
        "crs_code",
    ),
    ("phr", {"product_type": "multiSpectral"}, {"product_type": "hyperspectral"}, "product_type"),
]
WIRE = {
    "product_type": "productType",
    "radiometric_processing": "radiometricProcessing",
    "crs_code": "crsCode",
    "bit_depth": "radiometricProcessing",
}
DEFAULTS = {
    "phr": {"product_type": "bundle", "radiometric_processing": "REFLECTANCE"},
    "spot": {"product_type": "bundle", "radiometric_processing": "REFLECTANCE"},
    "pneo": {"product_type": "bundle-fs", "radiometric_processing": "REFLECTANCE"},
}


def native_body(collection: str, item_id: str, options: dict[str, Any]) -> dict[str, Any]:
    item = archive_item(collection=collection, item_id=item_id, processing_level="SENSOR")
    item["options"] = {**DEFAULTS[collection], **options}
    return {"items": [item]}


def oneatlas_body(uuid: str, collection: str, options: dict[str, Any]) -> dict[str, Any] | None:
    if "bit_depth" in options:  # OneAtlas bodies have no pixel depth
        return None
    merged = {
        "crs_code": "urn:ogc:def:crs:EPSG::4326",
        "image_format": "image/jp2",
        **DEFAULTS[collection],
        **options,
    }
    return oneatlas(
        product(
            id=uuid,
            productType=merged["product_type"],
            radiometricProcessing=merged["radiometric_processing"],
            crsCode=merged["crs_code"],
            imageFormat=merged["image_format"],
        )
    )


@pytest.mark.parametrize(("collection", "allowed", "refused", "field"), RULES)
def test_each_product_rule_allows_and_refuses_through_both_apis(
    client: TestClient,
    tenant: dict[str, Any],
    collection: str,
    allowed: dict[str, Any],
    refused: dict[str, Any],
    field: str,
) -> None:
    uuid, source = scene_uuid(client, tenant, collection)
    ok = client.post(
        "/v1/quotes", json=native_body(collection, source, allowed), headers=tenant["headers"]
    )
    assert ok.status_code == 201, ok.text
    no = client.post(
        "/v1/quotes", json=native_body(collection, source, refused), headers=tenant["headers"]
    )
    assert no.status_code == 422, no.text
    assert [e["field"] for e in no.json()["errors"]] == [f"items[0].options.{field}"]
    wire_ok, wire_no = (oneatlas_body(uuid, collection, o) for o in (allowed, refused))
    if wire_ok is None or wire_no is None:
        return
    assert client.post("/api/v1/prices", json=wire_ok, headers=bearer(tenant)).status_code == 200
    answer = client.post("/api/v1/orders", json=wire_no, headers=bearer(tenant))
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [f"products[0].{WIRE[field]}"]


# --- rejected orders ---------------------------------------------------------------------------


def test_an_order_the_balance_cannot_cover_is_listed_as_rejected_in_both_apis(
    client: TestClient, runtime: Runtime
) -> None:
    poor = poor_organisation(runtime)
    answer = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(poor))
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "rejected"
    assert answer.json()["deliveries"][0]["status"] == "rejected"
    native = client.post(
        "/v1/orders", json=order_body(archive_item()), headers={"X-API-Key": poor["api_key"]}
    )
    assert native.status_code == 402
    listed = client.get("/api/v1/orders?status=rejected", headers=bearer(poor)).json()
    assert listed["totalResults"] == 2
    assert {o["id"] for o in listed["items"]} == {answer.json()["id"], native.json()["order_id"]}
    natively = client.get("/v1/orders?status=rejected", headers={"X-API-Key": poor["api_key"]})
    assert natively.json()["count"] == 2
    balance = client.get(f"/api/v1/contracts/{poor['contract_id']}", headers=bearer(poor)).json()
    assert (balance["balance"], balance["held"]) == (10, 0)


# --- listing, links, cancelling ----------------------------------------------------------------


def test_the_listing_pages_and_filters_by_the_guides_statuses(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    ids = [
        client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()["id"]
        for _ in range(3)
    ]
    client.post(f"/api/v1/orders/{ids[0]}/cancel", headers=bearer(tenant))
    first = client.get("/api/v1/orders?page=1&itemsPerPage=2", headers=bearer(tenant)).json()
    second = client.get("/api/v1/orders?page=2&itemsPerPage=2", headers=bearer(tenant)).json()
    assert (first["startIndex"], first["totalResults"], first["itemsPerPage"]) == (0, 3, 2)
    assert second["startIndex"] == 2 and len(second["items"]) == 1
    assert [o["id"] for o in first["items"] + second["items"]] == ids[::-1]
    ordered = client.get("/api/v1/orders?status=ordered", headers=bearer(tenant)).json()
    assert {o["id"] for o in ordered["items"]} == set(ids[1:])
    streaming = client.get(
        "/api/v1/orders?kind=order.subscription.streaming", headers=bearer(tenant)
    ).json()
    assert streaming["totalResults"] == 0 and streaming["items"] == []


def test_every_link_of_an_order_answers(client: TestClient, tenant: dict[str, Any]) -> None:
    order = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()
    links = {k: v["href"] for k, v in order["_links"].items() if k != "cancel"}
    links.update({f"delivery {k}": v["href"] for k, v in order["deliveries"][0]["_links"].items()})
    for name, href in links.items():
        answer = client.get(href, headers=bearer(tenant))
        assert answer.status_code == 200, (name, answer.text)
    payments = client.get(order["_links"]["payments"]["href"], headers=bearer(tenant)).json()
    assert {p["kind"] for p in payments["items"]} == {"hold"}
    cancelled = client.post(order["_links"]["cancel"]["href"], headers=bearer(tenant))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


# --- tenant isolation and bad input ------------------------------------------------------------


def test_another_organisations_order_delivery_and_payments_answer_404(
    client: TestClient, tenant: dict[str, Any], other_tenant: dict[str, Any]
) -> None:
    order = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(tenant)).json()
    delivery = order["deliveries"][0]["id"]
    for path in (
        f"/api/v1/orders/{order['id']}",
        f"/api/v1/orders/{order['id']}/deliveries",
        f"/api/v1/orders/{order['id']}/payments",
        f"/api/v1/deliveries/{delivery}",
        f"/api/v1/contracts/{tenant['contract_id']}",
        f"/api/v1/subscriptions/{tenant['contract_id']}",
    ):
        assert client.get(path, headers=bearer(other_tenant)).status_code == 404, path
    cancel = client.post(f"/api/v1/orders/{order['id']}/cancel", headers=bearer(other_tenant))
    assert cancel.status_code == 404
    listed = client.get("/api/v1/orders", headers=bearer(other_tenant)).json()
    assert listed["totalResults"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "order.data.tiles", "products": [product()]}, "kind"),
        ({"kind": "order.data.product", "products": []}, "products"),
        ({"kind": "order.data.product", "products": [{"id": D42}]}, "products[0].productType"),
        (oneatlas(product(colour="red")), "products[0].colour"),
        (oneatlas(product(crsCode="EPSG:3857")), "products[0].crsCode"),
        (oneatlas(product(imageFormat="image/png")), "products[0].imageFormat"),
        (oneatlas(product(aoi={"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]})), None),
    ],
)
def test_bad_input_is_refused_with_a_4xx_naming_the_field(
    client: TestClient, tenant: dict[str, Any], body: dict[str, Any], field: str | None
) -> None:
    answer = client.post("/api/v1/orders", json=body, headers=bearer(tenant))
    assert answer.status_code == 422, answer.text
    fields = [e["field"] for e in answer.json()["errors"]]
    assert field in fields if field else all(f.startswith("products[0].aoi") for f in fields)
    assert client.get("/api/v1/orders", headers=bearer(tenant)).json()["totalResults"] == 0


@pytest.mark.parametrize(
    "query", ["status=shipped", "page=0", "itemsPerPage=0", "itemsPerPage=5000", "page=x"]
)
def test_a_bad_listing_query_answers_422(
    client: TestClient, tenant: dict[str, Any], query: str
) -> None:
    assert client.get(f"/api/v1/orders?{query}", headers=bearer(tenant)).status_code == 422


def test_a_body_that_is_not_json_answers_400_and_no_token_401(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    headers = {**bearer(tenant), "Content-Type": "application/json"}
    assert client.post("/api/v1/orders", content=b"{nope", headers=headers).status_code == 400
    assert client.post("/api/v1/orders", json=oneatlas()).status_code == 401


# --- volume-priced products (the GB kind) ------------------------------------------------------


def test_a_gb_price_is_an_estimate_in_kb(client: TestClient, tenant: dict[str, Any]) -> None:
    answer = client.post(
        "/api/v1/prices", json=oneatlas(kind="order.data.gb.product"), headers=bearer(tenant)
    ).json()
    assert answer["price"] == {
        "credits": 2222,  # 31.74 km² x 70 kB/km², at 1 credit per kB
        "amount": 2222,
        "isAmountEstimated": "true",
        "areaKm2": 31.74,
        "amountUnit": "kB",
    }


def test_pleiades_neo_has_no_gb_product(client: TestClient, tenant: dict[str, Any]) -> None:
    uuid, _ = scene_uuid(client, tenant, "pneo")
    body = oneatlas(product(id=uuid, productType="bundle-fs"), kind="order.data.gb.product")
    answer = client.post("/api/v1/orders", json=body, headers=bearer(tenant))
    assert answer.status_code == 422
    assert "no archive product sells collection 'pneo' by volume" in answer.json()["detail"]


def test_a_gb_orders_final_amount_is_its_delivered_size_and_the_ledger_charges_it(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime, clock: SandboxClock
) -> None:
    order = client.post(
        "/api/v1/orders", json=oneatlas(kind="order.data.gb.product"), headers=bearer(tenant)
    ).json()
    assert order["kind"] == "order.data.gb.product"
    assert (order["isAmountEstimated"], order["amount"], order["amountUnit"]) == (
        "true",
        2222,
        "kB",
    )
    runtime.agenda.advance(clock, clock.now() + timedelta(hours=1))
    done = client.get(order["_links"]["self"]["href"], headers=bearer(tenant)).json()
    assert done["status"] == "delivered", done
    made = client.get(
        done["deliveries"][0]["_links"]["catalogItem"]["href"], headers=bearer(tenant)
    ).json()
    images = sum(f["size"] for f in made["files"] if f["type"] == "image/jp2")
    delivered_kb = -(-images // 1000)
    assert (done["isAmountEstimated"], done["estimatedAmount"]) == ("false", 2222)
    assert done["deliveredAt"] == done["deliveries"][0]["deliveredAt"]
    assert done["amount"] == done["price"] == delivered_kb
    assert done["deliveries"][0]["amount"] == delivered_kb
    payments = client.get(done["_links"]["payments"]["href"], headers=bearer(tenant)).json()
    moved: dict[str, int] = {}
    for entry in payments["items"]:
        if entry["account"] == "held":
            moved[entry["kind"]] = moved.get(entry["kind"], 0) + abs(entry["amount"])
    assert moved["hold"] - moved.get("release", 0) == moved["charge"] == delivered_kb
    contract = client.get(done["_links"]["contract"]["href"], headers=bearer(tenant)).json()
    assert (contract["held"], contract["consumed"]) == (0, delivered_kb)
    native = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()
    assert native["total_amount"] == delivered_kb
    line = native["items"][0]["price"]
    assert (line["total"], line["final_amount"], line["estimated"]) == (2222, delivered_kb, False)
    assert (line["volume_kb"], line["delivered_kb"]) == (2222, delivered_kb)


def test_a_demo_archive_seeded_before_gets_the_guides_scenes_and_uuids(
    engine: Engine, settings: Settings, clock: SandboxClock
) -> None:
    _empty(engine)
    rt = build_runtime(settings, clock=clock, engine=engine)
    with rt.uow() as uow:
        products = uow.products.all()
        old = [
            replace(e, uuid=None)
            for e in catalog.example_items(products)
            if e.collection not in ("pneo", "spot") and e.id != DENVER_SOURCE
        ]
        catalog.install_collections(uow, rt.clock, catalog.demo_collections()[:5])
        catalog.store_items(uow, rt.clock, old)
        uow.commit()
    with rt.uow() as uow:
        assert uow.catalog.item_by_uuid(D42) is None
        added = catalog.add_missing_examples(uow, rt.clock)
        uow.commit()
    assert added == len(catalog.example_items(products)) - len(old)
    with rt.uow() as uow:
        found = uow.catalog.item_by_uuid(D42)
        assert found is not None and found.id == D42_SOURCE
        assert uow.catalog.item_by_uuid(DENVER) is not None
        assert uow.catalog.collection("pneo") is not None
        assert catalog.add_missing_examples(uow, rt.clock) == 0  # once is enough
