"""The Aleph documents' Python examples, run as written against a real server.

Only the base URL, the token, the contract id and the order id are filled in. A
tasking order (daily revisit over 10 days) and an archive order are placed through
the native API and played out with the sandbox clock first; then each example runs
with ``requests``, exactly as 000_… shows it, and its answer is checked key by key.
The accounting report procedure's CSV is compared with ``GET /v1/reports/usage``.
The examples keep the document's long lines and quoting.
"""
# ruff: noqa: E501

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from tests.e2e.conftest import Server, running_server

pytestmark = pytest.mark.e2e

# The examples below keep the document's layout and quoting: no reformatting.
# fmt: off

DAY = 86_400
ORDER_KEYS = {
    "order_id", "contract_id", "contract_name", "project_id", "project_name", "sku",
    "product_name", "order_name", "status", "parameters",
}  # fmt: skip
CAPTURE_KEYS = {
    "capture_id", "satellite", "status", "start", "end", "order", "created_at", "updated_at",
    "metadata", "latest_event",
}  # fmt: skip
DELIVERABLE_KEYS = {
    "deliverable_id", "contract", "created_by", "order", "status", "footprint", "assets",
    "order_name", "activity_outcome_id", "processing_level", "created_at", "updated_at",
    "delivered_at", "rejected_at", "metadata", "tags", "user_email", "latest_event",
    "billing_details",
}  # fmt: skip
METADATA_KEYS = {
    "camera", "n_bands", "created_at", "exposure_sec", "offnadir_deg", "sun_elevation",
    "cloud_coverage", "orthorectified", "product_version", "gsd", "area_km2", "collection",
    "scene_id",
}  # fmt: skip
MAR_DEL_PLATA = {
    "type": "Polygon",
    "coordinates": [[[-57.60, -37.95], [-57.55, -37.95], [-57.55, -37.92], [-57.60, -37.92],
                     [-57.60, -37.95]]],
}  # fmt: skip


def _naive(text: str) -> datetime:
    """An Aleph entity time: no zone, UTC."""
    assert "+" not in text and not text.endswith("Z"), text
    return datetime.fromisoformat(text)


def _zulu(text: str) -> datetime:
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text[:-1])


class World:
    """What the played-out sandbox holds: the orders, and the period they were delivered in."""

    def __init__(self, server: Server, token: str, tasking: dict[str, Any], archive: dict[str, Any],
                 period: tuple[datetime, datetime]) -> None:  # fmt: skip
        self.server = server
        self.token = token
        self.tasking = tasking
        self.archive = archive
        self.period = period


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, database_url: str, engine: Any) -> Any:
    from tests.conftest import _empty

    _empty(engine)
    tmp = tmp_path_factory.mktemp("aleph")
    env = {"SKYORDER_PIXEL_BUDGET": "250000"}
    with running_server(tmp, database_url, env=env) as server:
        yield _play_out(server)


def _play_out(server: Server) -> World:
    creds = server.creds
    with server.client() as c:
        now = datetime.fromisoformat(c.get("/v1/sandbox/clock").json()["now"].replace("Z", "+00:00"))
        start = now + timedelta(hours=1)
        tasking = c.post("/v1/orders", json={
            "name": "Mar del Plata Airport",
            "project_id": creds["project_id"],
            "items": [{
                "kind": "tasking", "product": "TSKRSH-M.NN.NN", "aoi": MAR_DEL_PLATA,
                "window": {"start": start.isoformat(),
                           "end": (start + timedelta(days=10)).isoformat()},
                "priority": "rush", "revisit_period": "P1D", "min_off_nadir": 0,
                "max_cloud_cover": 40, "processing_levels": ["L1B", "L1D_SR"],
            }],
        })  # fmt: skip
        assert tasking.status_code == 201, tasking.text
        # A scene of the Satellogic collection (another vendor's product may require a licence).
        found = c.post("/stac/search", json={"limit": 1, "collections": ["micro-fleet-l1"]})
        scene = found.json()["features"][0]
        archive = c.post("/v1/orders", json={
            "name": "Archive scene",
            "project_id": creds["project_id"],
            "items": [{
                "kind": "archive", "collection": scene["collection"], "item_id": scene["id"],
                "processing_level": scene["properties"]["skyorder:processing_levels"][0],
            }],
        })  # fmt: skip
        assert archive.status_code == 201, archive.text
        for _ in range(12):
            step = c.post("/v1/sandbox/clock/advance", json={"seconds": DAY})
            assert step.status_code == 200, step.text
        end = datetime.fromisoformat(c.get("/v1/sandbox/clock").json()["now"].replace("Z", "+00:00"))
    token = httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "client_credentials", "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
    }).json()["access_token"]  # fmt: skip
    period = (now.replace(tzinfo=None) - timedelta(days=1), end.replace(tzinfo=None) + timedelta(days=1))
    return World(server, token, tasking.json(), archive.json(), period)


# The document's names, filled in.
def _doc(world: World) -> dict[str, Any]:
    return {
        "ALEPH_API_URL": world.server.base_url,
        "ACCESS_TOKEN": world.token,
        "token": world.token,
        "contract_id": f"cont.{world.server.creds['contract_id']}",
        "ORDERS_URI": "/v2/orders/",
        "ORDER_ID": world.tasking["order_number"],
    }


def test_get_all_orders_in_my_contract(world: World) -> None:
    d = _doc(world)
    ALEPH_API_URL, ORDERS_URI = d["ALEPH_API_URL"], d["ORDERS_URI"]
    ACCESS_TOKEN, contract_id = d["ACCESS_TOKEN"], d["contract_id"]
    response = requests.get(
        f"{ALEPH_API_URL}{ORDERS_URI}",
        headers={
            'authorizationToken': f'Bearer {ACCESS_TOKEN}',
            'X-Satellogic-Contract-Id': contract_id
        },
    )  # fmt: skip
    response.raise_for_status()
    orders = response.json()
    print(json.dumps(orders, indent=4))
    assert orders["type"] == "FeatureCollection"
    assert (orders["count"], orders["next"], orders["previous"]) == (2, None, None)
    by_name = {f["properties"]["order_name"]: f for f in orders["features"]}
    for feature in orders["features"]:
        assert feature["type"] == "Feature"
        assert ORDER_KEYS <= set(feature["properties"])
        p = feature["properties"]
        assert p["contract_id"] == contract_id and p["project_id"].startswith("project.")
        assert all(isinstance(p[k], str) for k in ORDER_KEYS - {"parameters"})
    tasking = by_name["Mar del Plata Airport"]
    assert tasking["geometry"]["type"] == "Polygon"
    assert tasking["properties"]["status"] in ("completed", "partially_completed", "failed")
    assert tasking["properties"]["parameters"]["revisit_period"] == "P1D"
    assert tasking["properties"]["parameters"]["min_ona"] == 0
    paged = requests.get(f"{ALEPH_API_URL}{ORDERS_URI}", params={"limit": 1}, headers={
        "authorizationToken": f"Bearer {ACCESS_TOKEN}", "X-Satellogic-Contract-Id": contract_id,
    }).json()  # fmt: skip
    assert paged["next"] == "/v2/orders?offset=1&limit=1" and len(paged["features"]) == 1


def test_get_order_details(world: World) -> None:
    d = _doc(world)
    ALEPH_API_URL, ORDERS_URI = d["ALEPH_API_URL"], d["ORDERS_URI"]
    ACCESS_TOKEN, contract_id = d["ACCESS_TOKEN"], d["contract_id"]
    ORDER_ID = d["ORDER_ID"]
    response = requests.get(
        f"{ALEPH_API_URL}{ORDERS_URI}{ORDER_ID}",
        headers={
            'authorizationToken': f'Bearer {ACCESS_TOKEN}',
            'X-Satellogic-Contract-Id': contract_id
        },
    )  # fmt: skip
    response.raise_for_status()
    order_details = response.json()
    p = order_details["properties"]
    assert order_details["type"] == "Feature" and p["order_id"] == ORDER_ID
    assert p["sku"] == "TSKRSH-M.NN.NN" and p["product_name"]
    params = p["parameters"]
    assert _zulu(params["end"]) - _zulu(params["start"]) == timedelta(days=10)
    assert _zulu(p["latest_event"]["timestamp"])
    task = world.tasking["items"][0]["task_id"]
    by_task = requests.get(f"{ALEPH_API_URL}{ORDERS_URI}{task}", headers={
        "authorizationToken": f"Bearer {ACCESS_TOKEN}", "X-Satellogic-Contract-Id": contract_id,
    }).json()  # fmt: skip
    assert by_task["properties"]["order_id"] == ORDER_ID


def _captures(world: World) -> list[dict[str, Any]]:
    d = _doc(world)
    ALEPH_API_URL, ORDERS_URI = d["ALEPH_API_URL"], d["ORDERS_URI"]
    ACCESS_TOKEN, contract_id, ORDER_ID = d["ACCESS_TOKEN"], d["contract_id"], d["ORDER_ID"]
    CAPTURES_URI = "/captures/"
    response = requests.get(
        f"{ALEPH_API_URL}{ORDERS_URI}{ORDER_ID}{CAPTURES_URI}",
        headers={
            'authorizationToken': f'Bearer {ACCESS_TOKEN}',
            'X-Satellogic-Contract-Id': contract_id
        },
    )  # fmt: skip
    response.raise_for_status()
    capture_details = response.json()
    assert capture_details["type"] == "FeatureCollection"
    features: list[dict[str, Any]] = capture_details["features"]
    assert capture_details["count"] == len(features)
    return features


def test_get_all_captures_for_my_tasking_order(world: World) -> None:
    features = _captures(world)
    assert len(features) >= 10  # a daily revisit over 10 days
    for f in features:
        assert f["geometry"]["type"] == "LineString"
        assert all(len(c) == 3 for c in f["geometry"]["coordinates"])
        p = f["properties"]
        assert CAPTURE_KEYS <= set(p) and p["order"] == _doc(world)["ORDER_ID"]
        assert _naive(p["start"]) < _naive(p["end"])
        assert isinstance(p["metadata"]["priority"], int)
        assert isinstance(p["metadata"]["min_absolute_off_nadir"], float)
        if p["status"] == "failed":
            assert p["latest_event"]["type"] == "CaptureCollectionFailed"
            assert p["latest_event"]["details"]["reason"]
    assert {f["properties"]["status"] for f in features} <= {"collected", "failed"}


def test_get_capture_attempts_with_a_given_status_within_a_period(world: World) -> None:
    d = _doc(world)
    ALEPH_API_URL, token = d["ALEPH_API_URL"], d["token"]
    every = _captures(world)
    first = min(_naive(f["properties"]["start"]) for f in every)
    CAPTURES_URI = "/v2/captures/"
    params = {
        'status': 'failed',
        'limit': 10,
        'start__gt': (first - timedelta(days=1)).date().isoformat(), # collection time greater than
        'end__lt': (first + timedelta(days=6)).date().isoformat() # collection time lower than
    }  # fmt: skip
    response = requests.get(
        f"{ALEPH_API_URL}{CAPTURES_URI}",
        headers={
            'authorizationToken': f'Bearer {token}',
            'X-Satellogic-Contract-Id': d["contract_id"]
        },
        params=params
    )  # fmt: skip
    response.raise_for_status()
    capture_details = response.json()
    low = datetime.fromisoformat(params["start__gt"])
    high = datetime.fromisoformat(params["end__lt"])
    expected = [
        f["properties"]["capture_id"] for f in every
        if f["properties"]["status"] == "failed" and _naive(f["properties"]["start"]) > low
        and _naive(f["properties"]["end"]) < high
    ]  # fmt: skip
    assert capture_details["count"] == len(expected)
    assert sorted(f["properties"]["capture_id"] for f in capture_details["features"]) == sorted(
        expected[:10]
    )


def _deliverables(world: World, params: dict[str, str]) -> dict[str, Any]:
    d = _doc(world)
    ALEPH_API_URL, ACCESS_TOKEN, contract_id = d["ALEPH_API_URL"], d["ACCESS_TOKEN"], d["contract_id"]
    DELIVERABLES_URI = "/v2/deliverables/"
    response = requests.get(
        f"{ALEPH_API_URL}{DELIVERABLES_URI}",
        headers={
            'authorizationToken': f'Bearer {ACCESS_TOKEN}',
            'X-Satellogic-Contract-Id': contract_id
        },
        params=params
    )  # fmt: skip
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def test_get_all_deliverables_for_my_order_id(world: World) -> None:
    params = {
        'order': _doc(world)["ORDER_ID"] # optionally filter by order number
    }  # fmt: skip
    deliverables_list = _deliverables(world, params)
    assert set(deliverables_list) == {"count", "next", "previous", "results"}
    results = deliverables_list["results"]
    collected = [f for f in _captures(world) if f["properties"]["status"] == "collected"]
    assert deliverables_list["count"] == len(results) == 2 * len(collected)
    for d in results:
        assert set(d) == DELIVERABLE_KEYS
        assert d["deliverable_id"].startswith("deliv.") and d["contract"].startswith("cont.")
        assert d["status"] == "DELIVERED" and d["footprint"]["type"] == "Polygon"
        assert set(d["assets"]) == {"visual", "preview", "delivery", "thumbnail"}
        assert d["assets"]["preview"]["roles"] == ["overview"]
        assert METADATA_KEYS <= set(d["metadata"])
        assert d["metadata"]["scene_id"].endswith(f"_{d['processing_level']}_MS_"
                                                  f"{world.tasking['items'][0]['task_id']}")  # fmt: skip
        assert d["latest_event"]["details"]["delivery_method"] == "api"
        assert d["billing_details"]["billable_sku"] == "TSKRSH-M.NN.NN"
        assert d["activity_outcome_id"] in {f["properties"]["capture_id"] for f in collected}
    charged_km2 = world.tasking["items"][0]["price"]["billable_km2"] * len(collected) / 10
    billed = sum(d["billing_details"]["billable_sqkm"] for d in results)
    assert billed == pytest.approx(charged_km2, abs=1e-5)


def _report(world: World, tmp: Path) -> list[dict[str, str]]:
    """The document's accounting report procedure, as written."""
    d = _doc(world)
    ALEPH_API_URL, ACCESS_TOKEN, contract_id = d["ALEPH_API_URL"], d["ACCESS_TOKEN"], d["contract_id"]
    ORDERS_URI = d["ORDERS_URI"]
    low, high = world.period
    params = {
        'status': 'DELIVERED',
        'delivered_at__gt': low.isoformat() + "Z",
        'delivered_at__lt': high.isoformat() + "Z",
    }  # fmt: skip
    deliverables_list = _deliverables(world, params)
    report_columns = [
        "contract_name", "order_name", "order_id", "project_name", "sku", "product_name",
        "capture_time", "capture_id", "scene_id", "status", "delivered_at", "billable_quantity",
    ]  # fmt: skip

    def extract_deliverable_data(deliverable: dict[str, Any]) -> dict[str, Any]:
        def safe_get(d: Any, *keys: str, default: Any = "") -> Any:
            for key in keys:
                try:
                    d = d[key]
                except (KeyError, TypeError, IndexError):
                    return default
            return d if d is not None else default

        return {
            "order_name": safe_get(deliverable, 'order_name'),
            "order_id": safe_get(deliverable, 'order'),
            "capture_id": safe_get(deliverable, 'activity_outcome_id'),
            "scene_id": safe_get(deliverable, 'metadata', 'scene_id'),
            "delivered_at": safe_get(deliverable, 'delivered_at'),
            "billable_quantity": safe_get(deliverable, 'billing_details', 'billable_sqkm'),
            "status": safe_get(deliverable, 'status'),
            "contract_name": "",
            "project_name": "",
            "sku": "",
            "product_name": "",
            "capture_time": "",
        }  # fmt: skip

    records = [extract_deliverable_data(x) for x in deliverables_list.get('results', [])]
    for record in records:
        if not record['contract_name'] or not record['project_name'] or not record['sku'] or not record['product_name']:
            order_id = record['order_id']
            if order_id:
                response = requests.get(
                    f"{ALEPH_API_URL}{ORDERS_URI}{order_id}",
                    headers={
                        'authorizationToken': f'Bearer {ACCESS_TOKEN}',
                        'X-Satellogic-Contract-Id': contract_id
                    },
                )  # fmt: skip
                if response.status_code == 200:
                    order_details = response.json()
                    record['contract_name'] = order_details.get('properties', {}).get('contract_name', record['contract_name'])
                    record['project_name'] = order_details.get('properties', {}).get('project_name', record['project_name'])
                    record['sku'] = order_details.get('properties', {}).get('sku', record['sku'])
                    record['product_name'] = order_details.get('properties', {}).get('product_name', record['product_name'])
        if not record['capture_time']:
            capture_id = record['capture_id']
            if capture_id:
                response = requests.get(
                    f"{ALEPH_API_URL}/v2/captures/{capture_id}",
                    headers={
                        'authorizationToken': f'Bearer {ACCESS_TOKEN}',
                        'X-Satellogic-Contract-Id': contract_id
                    },
                )  # fmt: skip
                if response.status_code == 200:
                    capture_details = response.json()
                    record['capture_time'] = capture_details.get('properties', {}).get('start', record['capture_time'])
    records = [{key: record.get(key, "") for key in report_columns} for record in records]
    output_file = tmp / 'deliverables_report.csv'
    with open(output_file, 'w', newline='', encoding='utf-8') as csvfile:
        writer = csv.DictWriter(csvfile, fieldnames=report_columns)
        writer.writeheader()
        writer.writerows(records)
    return list(csv.DictReader(io.StringIO(output_file.read_text(encoding="utf-8"))))


def test_successful_deliveries_give_scene_ids_times_and_links_that_download(world: World) -> None:
    low, high = world.period
    params = {
        'status': 'DELIVERED',
        'delivered_at__gt': low.isoformat() + "Z",
        'delivered_at__lt': high.isoformat() + "Z",
    }  # fmt: skip
    deliverables_list = _deliverables(world, params)
    simplified_deliverables = []
    for item in deliverables_list.get('results', []):
        simplified_item = {
            'scene_id': item.get('metadata', {}).get('scene_id', {}),
            'delivered_at': item.get('delivered_at'),
            'download_link': item.get('assets', {}).get('delivery', {}).get('href')
        }  # fmt: skip
        simplified_deliverables.append(simplified_item)
    assert len(simplified_deliverables) == deliverables_list["count"] >= 3
    for s in simplified_deliverables:
        assert isinstance(s["scene_id"], str) and s["scene_id"]
        assert low < _naive(s["delivered_at"]) < high
    download = requests.get(simplified_deliverables[0]["download_link"])
    download.raise_for_status()
    assert download.content[:2] == b"PK"
    early = _deliverables(world, {"status": "delivered", "delivered_at__lt": low.isoformat()})
    assert early["count"] == 0


def test_the_accounting_report_equals_the_native_usage_report(
    world: World, tmp_path: Path
) -> None:
    rows = _report(world, tmp_path)
    low, high = world.period
    with world.server.client() as c:
        native = c.get("/v1/reports/usage", params={
            "delivered_at__gte": low.isoformat() + "Z", "delivered_at__lt": high.isoformat() + "Z",
            "format": "json",
        })  # fmt: skip
    assert native.status_code == 200, native.text
    expected = {r["scene_id"]: r for r in native.json()["results"]}
    assert len(rows) == len(expected) >= 3
    for row in rows:
        theirs = expected[row["scene_id"]]
        archive = row["order_id"] == world.archive["order_number"]
        for column, value in row.items():
            assert value != "" or (archive and column == "capture_time"), (column, row)
        for column in ("contract_name", "order_name", "order_id", "project_name", "sku",
                       "product_name"):  # fmt: skip
            assert row[column] == theirs[column], column
        assert row["status"].lower() == theirs["status"]
        assert float(row["billable_quantity"]) == pytest.approx(theirs["billable_quantity"])
        delivered = datetime.fromisoformat(theirs["delivered_at"].replace("Z", "+00:00"))
        assert _naive(row["delivered_at"]) == delivered.replace(tzinfo=None)
        if not archive:
            assert row["capture_id"] == theirs["capture_id"]
            captured = datetime.fromisoformat(theirs["capture_time"].replace("Z", "+00:00"))
            assert _naive(row["capture_time"]) == captured.replace(tzinfo=None)
