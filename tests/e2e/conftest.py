"""A real server process (``skyorder serve --demo``) on a free loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running server and the demo credentials it printed."""

    def __init__(self, base_url: str, creds: dict[str, Any], data_dir: Path) -> None:
        self.base_url = base_url
        self.creds = creds
        self.data_dir = data_dir

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"X-API-Key": self.creds["api_key"]}, timeout=60
        )


def cli_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SKYORDER_DATABASE_URL"] = database_url
    return env


def start_server(
    args: list[str], database_url: str, tmp_path: Path
) -> tuple[subprocess.Popen[bytes], str, IO[str]]:
    """``skyorder serve ARGS`` on a free port; returns once ``/health`` answers."""
    port = _free_port()
    cmd = [sys.executable, "-m", "skyorder.cli", "serve", *args, "--port", str(port)]
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(cmd, env=cli_env(database_url), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return proc, base, log
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_server(proc, log)
            raise RuntimeError((tmp_path / "server.log").read_text())
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen[bytes], log: IO[str]) -> None:
    """Terminate a server started by ``start_server`` (kill it if it hangs)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture
def server(tmp_path: Path, database_url: str, engine: Any) -> Iterator[Server]:
    from tests.conftest import _empty

    _empty(engine)
    data_dir = tmp_path / "data"
    proc, base, log = start_server(["--demo", "--data-dir", str(data_dir)], database_url, tmp_path)
    try:
        creds = json.loads((data_dir / "demo-credentials.json").read_text())
        yield Server(base, creds, data_dir)
    finally:
        stop_server(proc, log)
