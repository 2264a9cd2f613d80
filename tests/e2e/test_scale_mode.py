"""Scale mode: one API process, three worker processes killed and restarted at random."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from skyorder.core.orders import ORDER_STATES, OrderStatus
from skyorder.store import tables as t
from tests.conftest import _empty
from tests.e2e.conftest import Server, cli_env, running_server
from tests.e2e.test_cli import run

pytestmark = pytest.mark.e2e

ORDERS = 100
WORKERS = 3
KILLS = 6
DEADLINE_SECONDS = 150
WORKER_ENV = {
    "SKYORDER_PIXEL_BUDGET": "60000",  # small scenes: a deliverable in a fraction of a second
    "SKYORDER_AGENDA_LEASE_SECONDS": "5",  # a killed worker's job is taken over after 5 s
}


class Workers:
    """``skyorder worker`` processes that can be killed and restarted."""

    def __init__(self, tmp_path: Path, database_url: str, data_dir: Path) -> None:
        self._tmp = tmp_path
        self._env = {**cli_env(database_url), **WORKER_ENV}
        self._data_dir = data_dir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        self.starts = 0

    def start(self, slot: int | None = None) -> None:
        self.starts += 1
        path = self._tmp / f"worker-{self.starts}.log"
        log = path.open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "skyorder.cli", "worker", "--data-dir", str(self._data_dir)],
            env=self._env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        if slot is None:
            self.procs.append(proc)
            self.logs.append(path)
        else:
            self.procs[slot] = proc
            self.logs[slot] = path

    def _at_work(self, slot: int) -> bool:
        return "worker running" in self.logs[slot].read_text()

    def kill_and_restart(self, rng: random.Random) -> bool:
        """SIGKILL a worker that is at work (not still starting up); start another."""
        ready = [i for i in range(len(self.procs)) if self._at_work(i)]
        if not ready:
            return False
        slot = rng.choice(ready)
        self.procs[slot].send_signal(signal.SIGKILL)
        self.procs[slot].wait(timeout=10)
        self.start(slot)
        return True

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def scale_server(tmp_path: Path, database_url: str, engine: Engine) -> Iterator[Server]:
    if engine.dialect.name != "postgresql":
        pytest.skip("scale mode runs on PostgreSQL (set SKYORDER_TEST_DATABASE_URL)")
    _empty(engine)
    with running_server(tmp_path, database_url, "--no-agenda") as server:
        yield server


def _archive_items(server: Server, headers: dict[str, str]) -> list[dict[str, Any]]:
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as c:
        # Scenes any contract may order: Sentinel-2 needs a licence, Pléiades Neo a subscription.
        collections = [
            col["id"]
            for col in c.get("/stac/collections").json()["collections"]
            if col["id"] not in ("sentinel-2-l2a", "pneo")
        ]
        search = {"limit": ORDERS, "collections": collections}
        found = c.post("/stac/search", json=search).json()["features"]
    assert len(found) == ORDERS
    return [
        {
            "kind": "archive",
            "collection": f["collection"],
            "item_id": f["id"],
            "processing_level": f["properties"]["skyorder:processing_levels"][0],
            "aoi": f["geometry"],
        }
        for f in found
    ]


def _order_statuses(engine: Engine) -> Counter[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(t.orders.c.status, func.count()).group_by(t.orders.c.status))
        return Counter({status: count for status, count in rows})


def _all_final(statuses: Counter[str]) -> bool:
    return sum(statuses.values()) == ORDERS and all(
        ORDER_STATES.is_terminal(OrderStatus(s)) for s in statuses
    )


def test_orders_end_with_one_deliverable_each_while_workers_are_killed(
    scale_server: Server, database_url: str, engine: Engine, tmp_path: Path
) -> None:
    created = run(
        database_url, "admin", "create-org", "Scale Org", "--credits", str(10**9),
        "--data-dir", str(scale_server.data_dir),
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    headers = {"X-API-Key": json.loads(created.stdout)["api_key"]}
    items = _archive_items(scale_server, headers)
    workers = Workers(tmp_path, database_url, scale_server.data_dir)
    for _ in range(WORKERS):
        workers.start()
    rng = random.Random(5)
    try:

        def place(item: dict[str, Any]) -> int:
            with httpx.Client(base_url=scale_server.base_url, headers=headers, timeout=60) as c:
                body = {"name": item["item_id"], "items": [item]}
                return c.post("/v1/orders", json=body).status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            placing = pool.map(place, items)
            kills = 0
            deadline = time.monotonic() + DEADLINE_SECONDS
            while not _all_final(_order_statuses(engine)):
                assert time.monotonic() < deadline, _order_statuses(engine)
                time.sleep(rng.uniform(1.0, 4.0))  # kills spread over the whole run
                if kills < KILLS and workers.kill_and_restart(rng):
                    kills += 1
            assert list(placing) == [201] * ORDERS
    finally:
        workers.stop()

    assert _order_statuses(engine) == Counter({"completed": ORDERS})
    with engine.connect() as conn:
        made = t.order_items.outerjoin(
            t.deliverables, t.deliverables.c.item_id == t.order_items.c.id
        )
        per_item = conn.execute(
            select(t.order_items.c.id, t.deliverables.c.processing_level, func.count())
            .select_from(made)
            .group_by(t.order_items.c.id, t.deliverables.c.processing_level)
        ).all()
        delivered = (
            conn.execute(
                select(t.deliverables.c.assets).where(t.deliverables.c.status == "delivered")
            )
            .scalars()
            .all()
        )
    assert len(per_item) == ORDERS  # one processing level per archive item
    assert all(level is not None and count == 1 for _, level, count in per_item)
    assert len(delivered) == ORDERS
    missing = [
        a["path"]
        for assets in delivered
        for a in assets.values()
        if not (scale_server.data_dir / "objects" / a["path"]).is_file()
    ]
    assert missing == []
