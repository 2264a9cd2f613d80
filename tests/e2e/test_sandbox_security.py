"""Sandbox clocks on a real server: one per organisation; security on the wall clock.

A client keeps its token across advances (no vendor's client code fetches a new one
after moving sandbox time), and a signed download link expires by real time: here after
15 seconds (``SKYORDER_DOWNLOAD_LINK_TTL_SECONDS``), however far the clock is advanced.
One organisation's advance moves neither another's clock nor its orders or quotes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, cli_env, running_server

LINK_TTL = 15
MAR_DEL_PLATA = {
    "type": "Polygon",
    "coordinates": [[[-57.60, -37.95], [-57.55, -37.95], [-57.55, -37.92], [-57.60, -37.92],
                     [-57.60, -37.95]]],
}  # fmt: skip
DAY = 86_400


@pytest.fixture
def short_links(tmp_path: Path, database_url: str, engine: Any) -> Iterator[Server]:
    from tests.conftest import _empty

    _empty(engine)
    env = {"SKYORDER_DOWNLOAD_LINK_TTL_SECONDS": str(LINK_TTL)}
    with running_server(tmp_path, database_url, env=env) as running:
        yield running


def _bearer(server: Server, creds: dict[str, Any] | None = None) -> httpx.Client:
    creds = creds or server.creds
    issued = httpx.post(
        f"{server.base_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": creds["client_secret"],
        },
    )
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    return httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=120
    )


def _archive_items(c: httpx.Client) -> list[dict[str, Any]]:
    scene = c.post("/stac/search", json={"limit": 1}).json()["features"][0]
    return [{
        "kind": "archive", "collection": scene["collection"], "item_id": scene["id"],
        "processing_level": scene["properties"]["skyorder:processing_levels"][0],
    }]  # fmt: skip


LICENCES = [{"name": "DataCosmos EULA", "version": "1.0",
             "link": "https://example.com/license/eula-v1"}]  # fmt: skip


def _order(c: httpx.Client, project_id: str, **more: Any) -> dict[str, Any]:
    order = c.post("/v1/orders", json={
        "name": "Archive scene", "project_id": project_id, "items": _archive_items(c),
        "licences": LICENCES, **more,
    })  # fmt: skip
    assert order.status_code == 201, order.text
    return dict(order.json())


def _tasking_order(c: httpx.Client, project_id: str) -> dict[str, Any]:
    """A daily tasking order over Mar del Plata from two days on, for five days."""
    now = datetime.fromisoformat(c.get("/v1/sandbox/clock").json()["now"])
    start = now + timedelta(days=2)
    order = c.post("/v1/orders", json={
        "name": "Mar del Plata Airport", "project_id": project_id,
        "items": [{
            "kind": "tasking", "product": "TSKRSH-M.NN.NN", "aoi": MAR_DEL_PLATA,
            "window": {"start": start.isoformat(), "end": (start + timedelta(days=5)).isoformat()},
            "priority": "rush", "revisit_period": "P1D", "max_cloud_cover": 40,
            "processing_levels": ["L1B"],
        }],
    })  # fmt: skip
    assert order.status_code == 201, order.text
    return dict(order.json())


def _planned(c: httpx.Client, order: dict[str, Any]) -> dict[str, Any]:
    """The order once the server has planned its captures (in real time, no advance)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = c.get(f"/v1/orders/{order['id']}").json()
        if now["status"] == "in_progress":
            return dict(now)
        time.sleep(0.5)
    pytest.fail(f"order {order['id']} was not planned within a minute: {now['status']}")


def _delivered_archive_scene(c: httpx.Client, project_id: str) -> dict[str, Any]:
    """Order one archive scene and advance a day at a time until it is delivered."""
    scene = c.post("/stac/search", json={"limit": 1}).json()["features"][0]
    order = c.post("/v1/orders", json={
        "name": "Archive scene",
        "project_id": project_id,
        "items": [{
            "kind": "archive", "collection": scene["collection"], "item_id": scene["id"],
            "processing_level": scene["properties"]["skyorder:processing_levels"][0],
        }],
        "licences": [{"name": "DataCosmos EULA", "version": "1.0",
                      "link": "https://example.com/license/eula-v1"}],
    })  # fmt: skip
    assert order.status_code == 201, order.text
    for _ in range(3):
        moved = c.post("/v1/sandbox/clock/advance", json={"seconds": DAY})
        assert moved.status_code == 200, moved.text  # the token outlived the advance
        found = c.get("/v1/deliverables", params={"status": "delivered"}).json()["results"]
        if found:
            return dict(found[0])
    pytest.fail("the archive scene was not delivered within three sandbox days")


@pytest.mark.serial
def test_a_token_and_a_link_outlive_advances_and_a_link_expires_by_real_time(
    short_links: Server,
) -> None:
    with _bearer(short_links) as c:
        deliverable = _delivered_archive_scene(c, short_links.creds["project_id"])
        asset = c.get(
            f"/v1/deliverables/{deliverable['id']}/assets/thumbnail", follow_redirects=False
        )
        assert asset.status_code == 307, asset.text
        link = asset.headers["location"]
        signed_at = time.monotonic()
        moved = c.post("/v1/sandbox/clock/advance", json={"seconds": 365 * DAY})
        assert moved.status_code == 200, moved.text
        assert c.get("/v1/orders").status_code == 200
        with httpx.Client(base_url=short_links.base_url, timeout=60) as anyone:
            assert anyone.get(link).status_code == 200
            assert time.monotonic() - signed_at < LINK_TTL, "too slow to tell: raise LINK_TTL"
            time.sleep(max(0.0, LINK_TTL + 1.5 - (time.monotonic() - signed_at)))
            expired = anyone.get(link)
            assert expired.status_code == 403
            assert "expired at" in expired.json()["detail"]


def _create_org(server: Server, database_url: str, name: str) -> dict[str, Any]:
    made = subprocess.run(
        [sys.executable, "-m", "skyorder.cli", "admin", "create-org", name,
         "--credits", "1000000000", "--data-dir", str(server.data_dir)],
        env=cli_env(database_url), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    creds: dict[str, Any] = json.loads(made.stdout)
    return creds


def test_one_organisations_advance_moves_only_its_own_time_and_work(
    server: Server, database_url: str
) -> None:
    b_creds = _create_org(server, database_url, "Globex")
    with _bearer(server) as a, _bearer(server, b_creds) as b:  # tokens minted before
        b_order = _planned(b, _tasking_order(b, b_creds["project_id"]))
        b_captures = b.get(f"/v1/orders/{b_order['id']}/captures").json()["results"]
        quote = b.post("/v1/quotes", json={"items": _archive_items(b)})
        assert quote.status_code == 201, quote.text
        b_clock = b.get("/v1/sandbox/clock").json()
        a_order = _order(a, server.creds["project_id"])

        moved = a.post("/v1/sandbox/clock/advance", json={"seconds": 10 * DAY})
        assert moved.status_code == 200, moved.text

        delivered = a.get("/v1/deliverables", params={"status": "delivered"}).json()
        assert [d["order_id"] for d in delivered["results"]] == [a_order["id"]]
        # B: its clock, order and quote as they were; its token still works
        b_now = b.get("/v1/sandbox/clock").json()
        assert (
            abs(
                datetime.fromisoformat(b_now["now"]).timestamp()
                - datetime.fromisoformat(b_clock["now"]).timestamp()
            )
            < 120
        )  # real time only
        assert b_now["offset_seconds"] == b_clock["offset_seconds"]
        again = b.get(f"/v1/orders/{b_order['id']}")
        assert again.status_code == 200, again.text
        assert again.json()["status"] == b_order["status"]
        captures = b.get(f"/v1/orders/{b_order['id']}/captures").json()["results"]
        assert captures == b_captures
        assert captures and {c["status"] for c in captures} == {"scheduled"}
        assert b.get("/v1/deliverables").json()["count"] == 0
        cited = _order(b, b_creds["project_id"], quote_id=quote.json()["id"])
        assert cited["status"] == "accepted"
        # A's clock is 10 days ahead of B's
        a_now = datetime.fromisoformat(a.get("/v1/sandbox/clock").json()["now"])
        assert a_now - datetime.fromisoformat(b_now["now"]) > timedelta(days=9, hours=23)
