"""Pixxel's ``GET /v0/order-items`` curl request against a real server, orders played out.

Orders are placed through ``/v1`` with the demo key (a weekly recurring hyperspectral
tasking item of 4 occurrences with a chosen bandset, and a hyperspectral archive scene),
the sandbox clock is advanced past every occurrence, and the document's curl command is
run as written, with only the host and the key changed.
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.e2e.conftest import Server

ITEM_STATUSES = {"DRAFT", "ACTIVE", "COMPLETED", "CANCELLED", "FAILED", "PARTIALLY_COMPLETED"}
TASK_STATUSES = {
    "DRAFT", "REQUESTED", "CREATED", "IN_PROGRESS", "FULFILLED",
    "PARTIALLY_FULFILLED", "FAILED", "CANCELED", "EXPIRED",
}  # fmt: skip
PAYMENT = {"PAID", "PARTIAL-REFUND", "REFUND", "UNPAID", "PARTIAL-MONTHLY"}
FIELDS = {
    "area", "bandset", "base_amount", "cloud_cover", "cloud_delivery", "created_at",
    "created_by", "delivery_speed", "end_date", "feasibility_status", "final_amount", "id",
    "image_type", "images", "last_feasibility_check", "name", "no_of_occurrences",
    "number_of_bands", "occurrences", "off_nadir", "order_id", "org_id", "payment_status",
    "project_id", "recurrence", "start_date", "status", "tasks", "tokens_used",
    "transaction_id", "type", "updated_at", "updated_by", "uplifts", "usecase", "user_id",
    "validation_errors",
}  # fmt: skip
TASK_FIELDS = {
    "created_at", "created_by", "delivery_status", "end_date", "id", "number_of_strips",
    "order_item_id", "start_date", "status", "tokens_used", "transaction_id", "type",
    "updated_at", "updated_by",
}  # fmt: skip
ENDED = {"FULFILLED", "PARTIALLY_FULFILLED", "EXPIRED", "FAILED"}


def curl(server: Server, key: str, query: str = "") -> dict[str, Any]:
    """The document's request, as written, against this server."""
    done = subprocess.run(
        [
            "curl", "--silent", "--show-error", "--fail-with-body",
            "--request", "GET",
            "--url", f"{server.base_url}/v0/order-items{query}",
            "--header", f"Authorization: {key}",
        ],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def place(c: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = c.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def hyperspectral_scenes(c: httpx.Client) -> list[dict[str, Any]]:
    found = c.post("/stac/search", json={"collections": ["hyperspectral"], "limit": 2})
    assert found.status_code == 200, found.text
    features: list[dict[str, Any]] = found.json()["features"]
    assert len(features) == 2
    return features


def test_the_documented_request_lists_played_out_items_with_every_field(server: Server) -> None:
    key = server.creds["api_key"]
    with server.client() as c:
        now = datetime.fromisoformat(c.get("/v1/sandbox/clock").json()["now"])
        start = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        recurring = {
            "kind": "tasking", "product": "TSK-HYP", "name": "weekly fields",
            "aoi": {"type": "Point", "coordinates": [-57.56, -37.95]},
            "window": {"start": start.isoformat(), "end": (start + timedelta(days=3)).isoformat()},
            "recurrence": {"kind": "WEEKLY", "occurrences": 4},
            "processing_levels": ["L2A"], "max_cloud_cover": 30,
            "options": {"image_type": "VNIR", "bands": ["B001", "B050", "B100"],
                        "bandset_id": "crop-health", "usecase": "agriculture"},
        }  # fmt: skip
        scenes = hyperspectral_scenes(c)
        archive = {
            "kind": "archive", "collection": "hyperspectral",
            "images": [{"item_id": s["id"]} for s in scenes],
            "processing_level": scenes[0]["properties"]["skyorder:processing_levels"][0],
            "name": "archive scene",
        }  # fmt: skip
        tasking_order = place(c, {"name": "Pixxel recurring", "items": [recurring]})
        archive_order = place(c, {"name": "Pixxel archive", "items": [archive]})
        past = {"start": "2020-10-22T00:00:00Z", "end": "2020-10-28T00:00:00Z"}
        draft = place(
            c, {"name": "Pixxel draft", "draft": True, "items": [{**recurring, "window": past,
                "recurrence": None, "name": "draft item"}]},
        )  # fmt: skip
        assert draft["status"] == "draft"
        for week in range(1, 6):  # a week at a time: each step plans and attempts captures
            to = (start + timedelta(days=7 * week)).isoformat()
            advanced = c.post("/v1/sandbox/clock/advance", json={"to": to}, timeout=600)
            assert advanced.status_code == 200, advanced.text
        deadline = time.monotonic() + 120
        while True:  # the archive product is made by the server's own worker
            page = curl(server, key)
            by_name = {i["name"]: i for i in page["order_items"]}
            if by_name["archive scene"]["status"] != "ACTIVE" or time.monotonic() > deadline:
                break
            time.sleep(1)

    assert page["pagination"] == {"limit": 10, "offset": 0, "total": 3}
    for item in page["order_items"]:
        assert set(item) == FIELDS
        assert item["status"] in ITEM_STATUSES and item["payment_status"] in PAYMENT
        assert item["type"] in {"TASKING", "ARCHIVE", "RECURRING"}
        assert all(set(t) == TASK_FIELDS and t["status"] in TASK_STATUSES for t in item["tasks"])

    weekly = by_name["weekly fields"]
    assert weekly["order_id"] == tasking_order["id"] and weekly["type"] == "RECURRING"
    assert (weekly["recurrence"], weekly["no_of_occurrences"]) == ("WEEKLY", 4)
    assert [b["name"] for b in weekly["bandset"]["bands"]] == ["B001", "B050", "B100"]
    assert weekly["bandset"]["bands"][0]["wavelength"] == 473.0
    assert (weekly["image_type"], weekly["number_of_bands"]) == ("VNIR", 3)
    assert weekly["status"] in {"COMPLETED", "PARTIALLY_COMPLETED", "FAILED"}
    tasks = weekly["tasks"]
    assert len(tasks) == 4 and all(t["status"] in ENDED for t in tasks), tasks
    assert len({t["transaction_id"] for t in tasks}) == 4
    assert sum(t["tokens_used"] for t in tasks) == weekly["tokens_used"]
    assert weekly["delivery_speed"] == "STANDARD" and weekly["cloud_cover"] == 30

    scene_item = by_name["archive scene"]
    assert scene_item["order_id"] == archive_order["id"] and scene_item["type"] == "ARCHIVE"
    assert scene_item["status"] == "COMPLETED", scene_item
    assert [i["item_id"] for i in scene_item["images"]] == [s["id"] for s in scenes]
    assert scene_item["recurrence"] == "NOT_APPLICABLE"
    assert scene_item["delivery_speed"] == "NOT_APPLICABLE"
    tasks = scene_item["tasks"]
    assert [(t["type"], t["status"]) for t in tasks] == [("ARCHIVE", "FULFILLED")] * 2
    assert sum(t["tokens_used"] for t in tasks) == scene_item["final_amount"]

    drafted = by_name["draft item"]
    assert (drafted["status"], drafted["payment_status"], drafted["tasks"]) == (
        "DRAFT",
        "UNPAID",
        [],
    )
    assert drafted["validation_errors"][0]["field"] == "items[0].window.end"

    assert curl(server, key, "?type=RECURRING")["pagination"]["total"] == 1
    assert curl(server, key, "?status=DRAFT")["order_items"][0]["name"] == "draft item"
    newest_first = [i["name"] for i in curl(server, key, "?limit=2&offset=1")["order_items"]]
    assert newest_first == ["archive scene", "weekly fields"]


def test_bad_input_and_bad_keys_are_refused(server: Server) -> None:
    key = server.creds["api_key"]
    with httpx.Client(base_url=server.base_url, timeout=30) as c:
        unknown = c.get("/v0/order-items?colour=red", headers={"Authorization": key})
        assert unknown.status_code == 400 and "colour" in unknown.text
        reversed_range = c.get("/v0/order-items?area_range=10,1", headers={"Authorization": key})
        assert reversed_range.status_code == 400
        assert c.get("/v0/order-items", headers={"Authorization": "nope"}).status_code == 401
