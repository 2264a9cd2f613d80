"""Scale mode: three worker processes, SIGKILLed at random, fulfil 100 orders exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from skyorder.store import tables as t
from tests.e2e.conftest import cli_env, start_server, stop_server
from tests.factories import TOULOUSE, archive_item, order_body

pytestmark = pytest.mark.e2e

ORDERS = 100
WORKERS = 3
FINAL = {"completed", "partially_completed", "failed", "cancelled", "rejected"}


def _worker_env(database_url: str) -> dict[str, str]:
    env = cli_env(database_url)
    env.update(SKYORDER_PIXEL_BUDGET="60000", SKYORDER_JOB_LEASE_SECONDS="4")
    return env


class Fleet:
    """Worker processes that can be killed and restarted."""

    def __init__(self, database_url: str, data_dir: Path, logs: Path) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.logs = logs
        self.procs: list[subprocess.Popen[bytes]] = []
        self.files: list[IO[str]] = []
        self.started = 0
        self.killed = 0

    def start(self) -> subprocess.Popen[bytes]:
        self.started += 1
        cmd = [
            sys.executable, "-m", "skyorder.cli", "worker", "--real-clock",
            "--data-dir", str(self.data_dir), "--interval", "0.2",
        ]  # fmt: skip
        log = (self.logs / f"worker-{self.started}.log").open("w")
        self.files.append(log)
        proc = subprocess.Popen(
            cmd, env=_worker_env(self.database_url), stdout=log, stderr=subprocess.STDOUT
        )
        self.procs.append(proc)
        return proc

    def kill_one(self, rng: random.Random) -> None:
        alive = [p for p in self.procs if p.poll() is None]
        if not alive:
            return
        victim = rng.choice(alive)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        self.killed += 1
        self.start()

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self.files:
            log.close()


@pytest.fixture
def api(tmp_path: Path, database_url: str, engine: Engine) -> Iterator[tuple[str, dict[str, Any]]]:
    """``skyorder serve --demo --no-agenda``: the API does no background work itself."""
    from tests.conftest import _empty

    if not database_url.startswith("postgresql"):
        pytest.skip("scale mode runs on PostgreSQL (set SKYORDER_TEST_DATABASE_URL)")
    _empty(engine)
    data_dir = tmp_path / "data"
    args = ["--demo", "--no-agenda", "--real-clock", "--data-dir", str(data_dir)]
    proc, base, log = start_server(args, database_url, tmp_path)
    try:
        yield base, json.loads((data_dir / "demo-credentials.json").read_text())
    finally:
        stop_server(proc, log)


def _statuses(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.orders.c.status, func.count()).group_by(t.orders.c.status)
        ).all()
    return {str(status): int(n) for status, n in rows}


def test_killed_workers_lose_no_order_and_make_no_deliverable_twice(
    api: tuple[str, dict[str, Any]], database_url: str, engine: Engine, tmp_path: Path
) -> None:
    base, creds = api
    data_dir = tmp_path / "data"
    with httpx.Client(base_url=base, headers={"X-API-Key": creds["api_key"]}, timeout=60) as c:
        for n in range(ORDERS):
            body = order_body(archive_item(aoi=TOULOUSE), name=f"Scale order {n}")
            response = c.post("/v1/orders", json=body)
            assert response.status_code == 201, response.text
    fleet = Fleet(database_url, data_dir, tmp_path)
    rng = random.Random(20261123)
    try:
        for _ in range(WORKERS):
            fleet.start()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.5, 2.5))
            statuses = _statuses(engine)
            if sum(statuses.get(s, 0) for s in FINAL) == ORDERS:
                break
            fleet.kill_one(rng)
    finally:
        fleet.stop()
    statuses = _statuses(engine)
    assert statuses == {"completed": ORDERS}, (statuses, fleet.killed)
    assert fleet.killed >= 3
    with engine.connect() as conn:
        per_item = conn.execute(
            select(t.deliverables.c.item_id, func.count()).group_by(t.deliverables.c.item_id)
        ).all()
        assets = conn.execute(select(t.deliverables.c.status, t.deliverables.c.assets)).all()
        steps = conn.execute(
            select(t.agenda.c.state, func.count()).group_by(t.agenda.c.state)
        ).all()
    assert len(per_item) == ORDERS
    assert {n for _, n in per_item} == {1}  # exactly one deliverable per item: none twice
    assert {status for status, _ in assets} == {"delivered"}
    for _, files in assets:
        for asset in files.values():
            assert (data_dir / "objects" / asset["path"]).is_file()
    assert dict(steps).get("failed", 0) == 0
