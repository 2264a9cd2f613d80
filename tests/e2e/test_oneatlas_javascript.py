"""The OneAtlas Data guide's JavaScript examples, run with Node against a real server.

Each example below is the guide's, with only the host and the token filled in, run by
``node`` after ``js/xhr.js`` (the ``XMLHttpRequest`` a browser would give it, over Node's
``fetch``). What an example prints is the answer's body; the status is read beside it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, running_server
from tests.e2e.test_oneatlas_examples import (
    LIST_KEYS,
    PRICE_KEYS,
    PRICED_DATAS_KEYS,
    PRICED_DELIVERY_KEYS,
    check_order,
    filled,
)

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="the JavaScript examples need node")
XHR = Path(__file__).parent / "js" / "xhr.js"

JS_PRICES = """var data = JSON.stringify({
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
});

var xhr = new XMLHttpRequest();
xhr.withCredentials = true;

xhr.addEventListener("readystatechange", function () {
  if (this.readyState === 4) {
    console.log(this.responseText);
  }
});

xhr.open("POST", "https://data.api.oneatlas.airbus.com/api/v1/prices");
xhr.setRequestHeader("Authorization", "Bearer <access_token>");
xhr.setRequestHeader("Content-Type", "application/json");

xhr.send(data);
"""

JS_ORDER = """var data = JSON.stringify({
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
});


var xhr = new XMLHttpRequest();
xhr.withCredentials = true;

xhr.addEventListener("readystatechange", function () {
  if (this.readyState === 4) {
    console.log(this.responseText);
  }
});

xhr.open("POST", "https://data.api.oneatlas.airbus.com/api/v1/orders");
xhr.setRequestHeader("Authorization", "Bearer <access_token>");
xhr.setRequestHeader("Content-Type", "application/json");

xhr.send(data);
"""

JS_LIST = """var data = null;

var xhr = new XMLHttpRequest();
xhr.withCredentials = false;

xhr.addEventListener("readystatechange", function () {
  if (this.readyState === 4) {
    console.log(this.responseText);
  }
});

xhr.open("GET", "https://data.api.oneatlas.airbus.com/api/v1/orders");
xhr.setRequestHeader("Authorization", "Bearer <access_token>");
xhr.setRequestHeader("Content-Type", "application/json");
xhr.setRequestHeader("Cache-Control", "no-cache");

xhr.send(data);
"""

JS_LIST_FILTERED = """var data = null;

var xhr = new XMLHttpRequest();
xhr.withCredentials = false;

xhr.addEventListener("readystatechange", function () {
  if (this.readyState === 4) {
    console.log(this.responseText);
  }
});

xhr.open("GET", "https://data.api.oneatlas.airbus.com/api/v1/orders??status=delivered&itemsPerPage=1");
xhr.setRequestHeader("Authorization", "Bearer <access_token>");
xhr.setRequestHeader("Content-Type", "application/json");
xhr.setRequestHeader("Cache-Control", "no-cache");

xhr.send(data);
"""


@dataclass(frozen=True)
class Answer:
    """What an example printed (the body) and the status it got."""

    status: int
    body: Any


@pytest.fixture(scope="module")
def atlas(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, engine: Any
) -> Iterator[Server]:
    from tests.conftest import _empty

    _empty(engine)
    with running_server(tmp_path_factory.mktemp("oneatlas-js"), database_url) as running:
        yield running


def node(example: str, server: Server) -> Answer:
    """Run a JavaScript example as written (host and token filled in) after the XHR shim."""
    assert NODE is not None
    script = XHR.read_text() + "\n" + filled(example, server)
    done = subprocess.run(
        [NODE, "-"], input=script, capture_output=True, text=True, timeout=120, check=True
    )
    status = [line for line in done.stderr.splitlines() if line.startswith("HTTP ")]
    assert len(status) == 1, done.stderr
    return Answer(int(status[0].split()[1]), json.loads(done.stdout))


def test_the_javascript_price_example_answers_the_documented_shape(atlas: Server) -> None:
    answer = node(JS_PRICES, atlas)
    assert answer.status == 200, answer.body
    assert set(answer.body) == {"payload", "deliveries", "price", "feasibility", "orderable"}
    assert set(answer.body["price"]) == PRICE_KEYS
    (delivery,) = answer.body["deliveries"]
    assert set(delivery) == PRICED_DELIVERY_KEYS and set(delivery["datas"]) == PRICED_DATAS_KEYS
    assert delivery["datas"]["sourceId"] == "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"
    assert delivery["areaKm2"] == answer.body["price"]["areaKm2"] == 31.74


def test_the_javascript_order_example_orders_and_the_listing_example_lists_it(
    atlas: Server,
) -> None:
    placed = node(JS_ORDER, atlas)
    assert placed.status == 201, placed.body
    check_order(placed.body)
    assert placed.body["status"] == "ordered"
    listed = node(JS_LIST, atlas)
    assert listed.status == 200 and set(listed.body) == LIST_KEYS
    assert [o["id"] for o in listed.body["items"]] == [placed.body["id"]]
    assert (listed.body["totalResults"], listed.body["countLimitReached"]) == (1, False)
    for order in listed.body["items"]:
        check_order(order)


def test_the_javascript_filtered_listing_lists_as_the_guide_means_despite_its_two_question_marks(
    atlas: Server,
) -> None:
    # The guide's URL is ``/orders??status=delivered&itemsPerPage=1``: its first parameter
    # is named ``?status``, which the listing reads as the guide means it (``status``).
    placed = node(JS_ORDER, atlas)
    assert placed.status == 201, placed.body
    answer = node(JS_LIST_FILTERED, atlas)
    assert answer.status == 200, answer.body
    assert answer.body["itemsPerPage"] == 1
    assert all(o["status"] == "delivered" for o in answer.body["items"])
    # The order is ordered or, once its product is made, delivered: either way the filter
    # lists it, and a filter for another status does not.
    both = JS_LIST_FILTERED.replace("status=delivered&itemsPerPage=1", "status=ordered,delivered")
    listed = node(both, atlas)
    assert listed.status == 200, listed.body
    assert placed.body["id"] in [o["id"] for o in listed.body["items"]]
    rejected = node(JS_LIST_FILTERED.replace("status=delivered", "status=rejected"), atlas)
    assert rejected.status == 200 and rejected.body["items"] == [], rejected.body
