"""The OneAtlas Data guide's examples, sent as written to a real server with demo data.

Each curl command and Python snippet below is the guide's, with only the host and the
token filled in (``HOST`` and ``<access_token>`` / ``token`` are replaced at run time).
The guide's JavaScript variants are run with Node in ``test_oneatlas_javascript.py``; its
product-list body has no client example and is sent as it stands.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rasterio
from rasterio.io import MemoryFile

from tests.e2e.conftest import Server, running_server

requests = pytest.importorskip("requests")

HOST = "https://data.api.oneatlas.airbus.com"

CURL_PRICES = """curl -X POST \\
  https://data.api.oneatlas.airbus.com/api/v1/prices \\
  -H 'Authorization: Bearer <access_token>' \\
  -H 'Cache-Control: no-cache' \\
  -H 'Content-Type: application/json' \\
  -d '{
  "kind": "order.data.product",
  "products": [
    {
      "productType": "bundle",
      "radiometricProcessing": "REFLECTANCE",
      "imageFormat": "image/jp2",
      "crsCode": "urn:ogc:def:crs:EPSG::4326",
      "id": "d42de348-110b-4ed6-a597-755867b3ee54",
      "aoi": {
        "type": "Polygon",
        "coordinates": [
          [
            [1.4089965820312502, 43.59829500262717],
            [1.4089965820312502, 43.63408731864001],
            [1.5078735351562496, 43.63408731864001],
            [1.5078735351562496, 43.59829500262717],
            [1.4089965820312502, 43.59829500262717]
          ]
        ]
      }
    }
  ]
}'"""

PY_PRICES = """import requests

headers = {
    'Authorization': token,
    'Content-Type': "application/json",
    'Cache-Control': "no-cache",
    }
url = "https://data.api.oneatlas.airbus.com/api/v1/prices"
payload = {
  "kind": "order.product",
  "products": [
    {
      "productType": "bundle",
      "radiometricProcessing": "REFLECTANCE",
      "imageFormat": "image/jp2",
      "crsCode": "urn:ogc:def:crs:EPSG::4326",
      "id": "d42de348-110b-4ed6-a597-755867b3ee54",
      "aoi": {
        "type": "Polygon",
        "coordinates": [
          [
            [1.4089965820312502, 43.59829500262717],
            [1.4089965820312502, 43.63408731864001],
            [1.5078735351562496, 43.63408731864001],
            [1.5078735351562496, 43.59829500262717],
            [1.4089965820312502, 43.59829500262717]
          ]
        ]
      }
    }
  ]
}
response = requests.request("POST", url, json=payload,headers=headers)
"""

CURL_ORDER = CURL_PRICES.replace("/api/v1/prices", "/api/v1/orders")

PY_ORDER = """import requests

url = "https://data.api.oneatlas.airbus.com/api/v1/orders"

payload = {
  "kind": "order.data.product",
  "products": [
    {
      "productType": "bundle",
      "radiometricProcessing": "REFLECTANCE",
      "imageFormat": "image/jp2",
      "crsCode": "urn:ogc:def:crs:EPSG::4326",
      "id": "d42de348-110b-4ed6-a597-755867b3ee54",
      "aoi": {
        "type": "Polygon",
        "coordinates": [
          [
            [1.4089965820312502, 43.59829500262717],
            [1.4089965820312502, 43.63408731864001],
            [1.5078735351562496, 43.63408731864001],
            [1.5078735351562496, 43.59829500262717],
            [1.4089965820312502, 43.59829500262717]
          ]
        ]
      }
    }
  ]
}

headers = {
    'Authorization': "Bearer <access_token>",
}

response = requests.request("POST", url, json=payload, headers=headers)

print(response.text)
"""

PRODUCT_LIST = """{ "kind": "order.data.product",
  "products": [
    {
      "productType": "pansharpened",
      "radiometricProcessing": "DISPLAY",
      "imageFormat": "image/geotiff",
      "crsCode": "urn:ogc:def:crs:EPSG::4326",
      "id": "b6777f1b-5a43-452c-bc1b-42223bac23cb",
      "aoi": {
        "type": "Polygon",
        "coordinates": [
          [
            [-104.775823, 39.790956],
            [-104.776331, 39.790956],
            [-104.776331, 39.791346],
            [-104.775823, 39.791346],
            [-104.775823, 39.790956]
          ]
        ]
      }
    },
    {
      "productType": "pansharpened",
      "radiometricProcessing": "DISPLAY",
      "imageFormat": "image/geotiff",
      "crsCode": "urn:ogc:def:crs:EPSG::4326",
      "id": "e1ce3f3d-931b-4274-9120-7dd23d0a517d",
      "aoi": {
        "type": "Polygon",
        "coordinates": [
          [
            [-104.775823, 39.790956],
            [-104.776331, 39.790956],
            [-104.776331, 39.791346],
            [-104.775823, 39.791346],
            [-104.775823, 39.790956]
          ]
        ]
      }
    }
  ]
}"""

CURL_LIST = """curl -X GET "https://data.api.oneatlas.airbus.com/api/v1/orders" \\
  -H "Authorization: Bearer <access_token>" \\
  -H "Content-Type: application/json" \\
  -H "Cache-Control: no-cache\""""

PY_LIST = """import requests

url = "https://data.api.oneatlas.airbus.com/api/v1/orders"

headers = {
    'Authorization': "Bearer <access_token>",
    'Content-Type': "application/json",
    'Cache-Control': "no-cache",
    }

response = requests.request("GET", url, headers=headers)

print(response.text)
"""

CURL_LIST_FILTERED = (
    'curl -X GET "https://data.api.oneatlas.airbus.com/api/v1/orders?status=delivered'
    '&kind=order.subscription.streaming&page=1&itemsPerPage=1" \\\n'
    '  -H "Authorization: Bearer <access_token>" \\\n'
    '  -H "Content-Type: application/json" \\\n'
    '  -H "Cache-Control: no-cache"'
)

PRICE_KEYS = {"credits", "amount", "isAmountEstimated", "areaKm2", "amountUnit"}
PRICED_DELIVERY_KEYS = {"datas", "id", "amount", "amountUnit", "isAmountEstimated", "areaKm2"}
PRICED_DATAS_KEYS = {
    "aoi",
    "productType",
    "radiometricProcessing",
    "imageFormat",
    "crsCode",
    "id",
    "sourceId",
}
ORDER_KEYS = {
    "_links",
    "id",
    "kind",
    "service",
    "createdAt",
    "createdBy",
    "status",
    "contractId",
    "isAmountEstimated",
    "price",
    "amount",
    "amountUnit",
    "estimatedAmount",
    "payload",
    "deliveries",
}
ORDER_LINKS = {"self", "cancel", "contract", "payments", "deliveries", "subscription"}
DELIVERY_KEYS = {
    "_links",
    "id",
    "kind",
    "service",
    "createdAt",
    "status",
    "isAmountEstimated",
    "price",
    "amount",
    "amountUnit",
    "area",
    "unit",
    "datas",
    "updatedAt",
}
DATAS_KEYS = PRICED_DATAS_KEYS | {"sensor", "segmentFootprint", "processingLevel", "areaKm2"}
LIST_KEYS = {"startIndex", "totalResults", "countLimitReached", "itemsPerPage", "items"}
STATUSES = {"ordered", "delivered", "error", "rejected", "cancelled"}  # + cancelled by you


@pytest.fixture(scope="module")
def atlas(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, engine: Any
) -> Iterator[Server]:
    from tests.conftest import _empty

    _empty(engine)
    with running_server(tmp_path_factory.mktemp("oneatlas"), database_url) as running:
        yield running


def token(server: Server) -> str:
    """A fresh access token of the demo client (client credentials)."""
    answer = httpx.post(
        f"{server.base_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": server.creds["client_id"],
            "client_secret": server.creds["client_secret"],
        },
        timeout=30,
    )
    return str(answer.json()["access_token"])


def filled(text: str, server: Server) -> str:
    """The example with only the host and the token filled in."""
    return text.replace(HOST, server.base_url).replace("<access_token>", token(server))


def curl(example: str, server: Server) -> Any:
    """Run a curl example as written; its output is the answer's JSON."""
    done = subprocess.run(
        ["bash", "-c", filled(example, server)], capture_output=True, timeout=120, check=True
    )
    return json.loads(done.stdout)


def python(example: str, server: Server) -> Any:
    """Run a Python example as written (``token`` holds ``Bearer <token>``); its response."""
    namespace: dict[str, Any] = {"token": f"Bearer {token(server)}"}
    exec(compile(filled(example, server), "example", "exec"), namespace)  # noqa: S102
    return namespace["response"]


def check_order(order: dict[str, Any]) -> None:
    assert ORDER_KEYS <= set(order), ORDER_KEYS - set(order)
    assert ORDER_LINKS <= set(order["_links"])
    assert order["status"] in STATUSES and order["kind"] == "order.data.product"
    assert order["service"] == "data" and order["isAmountEstimated"] in ("true", "false")
    assert isinstance(order["price"], int) and order["price"] == order["amount"] > 0
    assert set(order["payload"]) == {"kind", "products"}
    for delivery in order["deliveries"]:
        assert DELIVERY_KEYS <= set(delivery), DELIVERY_KEYS - set(delivery)
        assert DATAS_KEYS <= set(delivery["datas"]), DATAS_KEYS - set(delivery["datas"])
        assert delivery["kind"] == "delivery.data.product"
        assert isinstance(delivery["area"], str) and delivery["unit"] == "km2"
        assert delivery["datas"]["sensor"] == "PHR"
        assert delivery["datas"]["segmentFootprint"]["type"] == "Polygon"


def get(server: Server, href: str) -> httpx.Response:
    """GET a link as a client that follows redirects (the download link is one)."""
    return httpx.get(
        href,
        headers={"Authorization": f"Bearer {token(server)}"},
        timeout=60,
        follow_redirects=True,
    )


@pytest.fixture(scope="module")
def delivered(atlas: Server) -> dict[str, Any]:
    """The guide's curl order, played out with the sandbox clock until delivered."""
    order = curl(CURL_ORDER, atlas)
    assert order["status"] == "ordered", order
    check_order(order)
    with atlas.client() as native:
        deadline = time.monotonic() + 180
        while True:
            native.post("/v1/sandbox/clock/advance", json={"seconds": 600})
            current = get(atlas, order["_links"]["self"]["href"]).json()
            if current["status"] != "ordered" or time.monotonic() > deadline:
                break
            time.sleep(1)
    assert current["status"] == "delivered", current
    return dict(current)


def test_the_price_examples_answer_the_documented_shape(atlas: Server) -> None:
    by_curl = curl(CURL_PRICES, atlas)
    by_python = python(PY_PRICES, atlas)
    assert by_python.status_code == 200, by_python.text
    for answer in (by_curl, by_python.json()):
        assert set(answer) == {"payload", "deliveries", "price", "feasibility", "orderable"}
        assert set(answer["price"]) == PRICE_KEYS
        (delivery,) = answer["deliveries"]
        assert set(delivery) == PRICED_DELIVERY_KEYS
        assert set(delivery["datas"]) == PRICED_DATAS_KEYS
        assert delivery["datas"]["sourceId"] == "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"
        ring = answer["payload"]["products"][0]["aoi"]["coordinates"][0]
        assert delivery["datas"]["aoi"]["coordinates"] == [ring[::-1]]  # as the guide shows
        assert delivery["areaKm2"] == answer["price"]["areaKm2"] == 31.74
        assert delivery["isAmountEstimated"] == answer["price"]["isAmountEstimated"] == "false"
        assert isinstance(answer["price"]["credits"], int) and answer["price"]["credits"] > 0
        assert answer["feasibility"] == "automatic"
        assert answer["orderable"] == "noAvailableSubscriptionData"
    assert by_python.json()["payload"]["kind"] == "order.product"


def test_the_order_example_is_delivered_and_every_link_answers(
    atlas: Server, delivered: dict[str, Any]
) -> None:
    check_order(delivered)
    (delivery,) = delivered["deliveries"]
    assert delivery["status"] == "delivered" and "deliveredAt" in delivery
    links = {k: v["href"] for k, v in delivered["_links"].items() if k != "cancel"}
    links.update({f"delivery.{k}": v["href"] for k, v in delivery["_links"].items()})
    assert {"delivery.download", "delivery.catalogItem", "delivery.catalogUrl"} <= set(links)
    assert "delivery.payment" in links  # the charge of its price
    assert links["delivery.catalogUrl"] == links["delivery.catalogItem"]
    for name, href in links.items():
        answer = get(atlas, href)
        assert answer.status_code in (200, 202), (name, answer.status_code, answer.text[:200])


def test_the_download_link_returns_the_product_in_the_ordered_format_and_crs(
    atlas: Server, delivered: dict[str, Any], tmp_path: Path
) -> None:
    href = delivered["deliveries"][0]["_links"]["download"]["href"]
    answer = httpx.get(
        href,
        headers={"Authorization": f"Bearer {token(atlas)}"},
        follow_redirects=True,
        timeout=120,
    )
    assert answer.status_code == 200
    with MemoryFile(answer.content) as memory, memory.open() as product:
        assert product.driver == "JP2OpenJPEG"  # image/jp2
        assert product.crs == rasterio.crs.CRS.from_epsg(4326)
        assert product.count == 4 and product.dtypes[0] == "uint16"  # bundle MS, REFLECTANCE


def test_the_python_order_example_places_an_order_that_can_be_cancelled(atlas: Server) -> None:
    response = python(PY_ORDER, atlas)
    assert response.status_code == 201, response.text
    order = response.json()
    check_order(order)
    assert order["status"] == "ordered"
    cancel = httpx.post(
        order["_links"]["cancel"]["href"],
        headers={"Authorization": f"Bearer {token(atlas)}"},
        timeout=60,
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"


def test_the_product_list_example_is_refused_for_its_area_under_the_minimum(
    atlas: Server,
) -> None:
    answer = requests.request(
        "POST",
        f"{atlas.base_url}/api/v1/orders",
        json=json.loads(PRODUCT_LIST),
        headers={"Authorization": f"Bearer {token(atlas)}"},
    )
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == ["products[0].aoi", "products[1].aoi"]
    for error in errors:
        assert "covers 0.0019 km²" in error["message"]
        assert "the minimum orderable area is 0.1 km²" in error["message"]


def test_the_listing_examples_answer_the_documented_shape(
    atlas: Server, delivered: dict[str, Any]
) -> None:
    by_curl = curl(CURL_LIST, atlas)
    by_python = python(PY_LIST, atlas)
    assert by_python.status_code == 200
    for answer in (by_curl, by_python.json()):
        assert set(answer) == LIST_KEYS
        assert answer["startIndex"] == 0 and answer["countLimitReached"] is False
        assert answer["totalResults"] == len(answer["items"]) >= 1
        for order in answer["items"]:
            check_order(order)
    filtered = curl(CURL_LIST_FILTERED, atlas)
    assert set(filtered) == LIST_KEYS and filtered["itemsPerPage"] == 1
    assert filtered["items"] == []  # no streaming subscriptions here
    first = get(atlas, f"{atlas.base_url}/api/v1/orders?status=delivered&itemsPerPage=1").json()
    (order,) = first["items"]
    assert (order["id"], order["status"]) == (delivered["id"], "delivered")
    assert first["totalResults"] == 1
