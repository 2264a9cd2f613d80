"""``skyorder orders download`` of an order of 20+ files survives its server being killed
(SIGKILL) and restarted midway: it resumes, sends no byte of a finished file twice, and
checks every sha256.

The server sits behind a counting proxy (``tests/e2e/proxy.py``), as behind a load
balancer: the proxy logs each request's path, ``Range`` and the bytes it passed on, which
is the proof of what was transferred; while the server is down it answers 503.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from skyorder.client import Client
from skyorder.schemas.orders import OrderCreate
from tests.e2e.conftest import _free_port, cli_env, serve_command, wait_healthy
from tests.e2e.proxy import CountingProxy, Transfer

pytestmark = pytest.mark.e2e

SCENES = 4  # each deliverable has several assets: 4 scenes make an order of 20+ files


class Process:
    """``skyorder serve --demo`` on a fixed port and data directory, restartable."""

    def __init__(self, port: int, data_dir: Path, public_url: str, database_url: str) -> None:
        self.cmd = serve_command(port, data_dir, "--public-url", public_url)
        # Full-resolution products (tens of MB per order): at the sandbox resolution every
        # file is a few hundred kB and is done before the kill can cut one mid-transfer.
        self.env = {**cli_env(database_url), "SKYORDER_DELIVERABLE_RESOLUTION": "full"}
        self.base = f"http://127.0.0.1:{port}"
        self.log = data_dir.parent / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=log, stderr=log)
        wait_healthy(self.base, self.proc, self.log, seconds=120)

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _square(bbox: list[float], half: float = 0.01) -> dict[str, Any]:
    x, y = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    ring = [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _completed_order(url: str, api_key: str) -> str:
    """An archive order of several scenes, delivered (placed through the SDK)."""
    with Client(url, api_key=api_key) as client:
        scenes = list(
            client.catalog.search(collections=["micro-fleet-l1"], limit=SCENES, max_items=SCENES)
        )
        items = [
            {
                "kind": "archive",
                "collection": "micro-fleet-l1",
                "item_id": s.id,
                "processing_level": "L1B",
                "aoi": _square(s.bbox),
            }
            for s in scenes
        ]
        order = client.orders.create(OrderCreate.model_validate({"name": "many", "items": items}))
        client.clock.advance(seconds=86400)
        return client.orders.wait(order, until={"completed"}, timeout=600).order_number


def _file_bodies(transfers: list[Transfer]) -> list[Transfer]:
    return [t for t in transfers if t.path.startswith("/files/") and t.status in (200, 206)]


def _key(t: Transfer) -> str:
    return urlsplit(t.path).path


def test_a_download_survives_the_server_killed_and_restarted_midway(
    tmp_path: Path, database_url: str, engine: Any
) -> None:
    from tests.conftest import _empty

    _empty(engine)
    port = _free_port()
    with CountingProxy(port, slow_prefix="/files/", chunk=8192, pause=0.005) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        server = Process(port, tmp_path / "data", url, database_url)
        server.start()
        download: subprocess.Popen[str] | None = None
        try:
            key = json.loads((tmp_path / "data" / "demo-credentials.json").read_text())["api_key"]
            number = _completed_order(server.base, key)
            before = len(proxy.transfers())
            home = tmp_path / "home"
            home.mkdir()
            download = subprocess.Popen(
                [sys.executable, "-m", "skyorder.cli", "orders", "download", number]
                + ["--dest", "imagery", "--attempts", "120", "--url", url, "--api-key", key],
                env={**cli_env(database_url), "SKYORDER_CONFIG_DIR": str(home)},
                cwd=home,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            while True:  # midway: some files done, some under way
                bodies = _file_bodies(proxy.transfers()[before:])
                done = [t for t in bodies if t.complete]
                under_way = [t for t in bodies if not t.complete and t.sent > 0]
                if len(done) >= 5 and under_way:
                    break
                assert download.poll() is None, download.communicate()
                time.sleep(0.02)
            server.kill()
            killed_at = len(proxy.transfers())
            done_before_kill = {_key(t) for t in done}
            server.start()
            out, err = download.communicate(timeout=600)
        finally:
            if download is not None and download.poll() is None:
                download.kill()
                download.communicate()
            server.stop()
        assert download.returncode == 0, err
        assert "Traceback" not in err

    files = json.loads(out)
    assert len(files) >= 20
    sizes = {}
    for f in files:
        data = (home / f["path"]).read_bytes()
        assert len(data) == f["size"] and hashlib.sha256(data).hexdigest() == f["sha256"]
        assert not f["skipped"]
        sizes[f["path"]] = f["size"]
    assert not list(home.rglob("*.part"))

    transfers = proxy.transfers()[before:]
    bodies = _file_bodies(transfers)
    sent: dict[str, int] = defaultdict(int)
    for t in bodies:
        sent[_key(t)] += t.sent
    # Every byte of every file crossed the proxy exactly once: no file, and no part of one,
    # was sent twice, though the connections under way at the kill were cut.
    assert len(sent) == len(files)
    assert sorted(sent.values()) == sorted(sizes.values())
    assert sum(f["transferred"] for f in files) == sum(sizes.values())
    after = transfers[killed_at - before :]
    assert not [t for t in after if _key(t) in done_before_kill]  # finished: never asked again
    resumed = [t for t in _file_bodies(after) if t.range and t.range != "bytes=0-"]
    assert resumed and all(t.status == 206 for t in resumed)
    assert any(t.status == 503 for t in after)  # the client did meet the server down
