from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_cli import run
from tests.factories import order_body

pytestmark = pytest.mark.e2e


def test_fifty_concurrent_orders_against_a_balance_for_ten_accept_exactly_ten(
    server: Server, database_url: str
) -> None:
    body = order_body(name="Contended")
    body["items"][0]["window"] = {"start": "2030-01-01T00:00:00Z", "end": "2030-01-10T00:00:00Z"}
    with server.client() as c:
        price = c.post("/v1/orders", json={**body, "dry_run": True}).json()["total_amount"]
    created = run(
        database_url,
        "admin",
        "create-org",
        "Contended Org",
        "--credits",
        str(10 * price),
        "--data-dir",
        str(server.data_dir),
    )
    assert created.returncode == 0, created.stderr
    creds: dict[str, Any] = json.loads(created.stdout)
    headers = {"X-API-Key": creds["api_key"]}

    def post(_: int) -> httpx.Response:
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=120) as c:
            return c.post("/v1/orders", json=body)

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(post, range(50)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 10 + [402] * 40
    refused = [r.json() for r in responses if r.status_code == 402]
    assert all("available balance" in p["detail"] for p in refused)
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as c:
        assert c.get("/v1/orders?status=accepted,in_progress,completed").json()["count"] == 10
        assert c.get("/v1/orders?status=rejected").json()["count"] == 40  # kept, as rejected
        balance = c.get(f"/v1/contracts/{creds['contract_id']}/balance").json()
        assert balance["available"] == 0
        assert balance["held"] == 10 * price
        ledger = c.get(f"/v1/contracts/{creds['contract_id']}/ledger?limit=1000").json()
        assert sum(e["amount"] for e in ledger["results"]) == 0


def _scene(server: Server) -> dict[str, Any]:
    with server.client() as c:
        found = c.post("/stac/search", json={"collections": ["phr"], "limit": 1}).json()
    return found["features"][0]


@pytest.mark.serial
def test_five_hundred_concurrent_archive_orders_against_a_balance_for_a_hundred(
    server: Server, database_url: str
) -> None:
    """Exactly 100 accepted, the rest 402, no 5xx, and other tenants are served meanwhile."""
    scene = _scene(server)
    body = {
        "name": "Contended archive",
        "items": [
            {
                "kind": "archive",
                "collection": scene["collection"],
                "item_id": scene["id"],
                "processing_level": "ORTHO",
                "options": {"product_type": "pansharpened", "radiometric_processing": "DISPLAY"},
            }
        ],
    }
    with server.client() as c:
        dry = c.post("/v1/orders", json={**body, "dry_run": True})
        assert dry.status_code == 200, dry.text
        price = dry.json()["total_amount"]
    created = run(
        database_url,
        "admin",
        "create-org",
        "Archive Rush",
        "--credits",
        str(100 * price),
        "--data-dir",
        str(server.data_dir),
    )
    assert created.returncode == 0, created.stderr
    creds: dict[str, Any] = json.loads(created.stdout)
    headers = {"X-API-Key": creds["api_key"]}

    async def storm() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=500)
        async with httpx.AsyncClient(
            base_url=server.base_url, headers=headers, timeout=300, limits=limits
        ) as c:
            return await asyncio.gather(*(c.post("/v1/orders", json=body) for _ in range(500)))

    waits: list[float] = []
    done = threading.Event()

    def watch() -> None:  # the demo organisation reads its orders throughout
        with server.client() as c:
            while not done.is_set():
                started = time.monotonic()
                assert c.get("/v1/orders?limit=1").status_code == 200
                waits.append(time.monotonic() - started)
                time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        responses = asyncio.run(storm())
    finally:
        done.set()
        watcher.join()
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 100, 402: 400}, statuses
    assert waits and max(waits) < 1.0, f"slowest read by another organisation: {max(waits):.2f}s"
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as c:
        assert c.get("/v1/orders?status=accepted,in_progress,completed").json()["count"] == 100
        assert c.get("/v1/orders?status=rejected").json()["count"] == 400
        balance = c.get(f"/v1/contracts/{creds['contract_id']}/balance").json()
        assert balance["available"] == 0
        ledger = c.get(f"/v1/contracts/{creds['contract_id']}/ledger?limit=1000").json()
        assert sum(e["amount"] for e in ledger["results"]) == 0
