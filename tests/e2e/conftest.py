"""A real server process (``skyorder serve --demo``) on a free loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest


def _free_port() -> int:
    """A free loopback port: any, or one of ``SKYORDER_TEST_PORTS`` (``8900-8999``) when set,
    for machines where each user keeps to a range."""
    low, _, high = os.environ.get("SKYORDER_TEST_PORTS", "").partition("-")
    candidates = range(int(low), int(high or low) + 1) if low else range(0, 1)
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError(f"no free port in SKYORDER_TEST_PORTS={low}-{high}")


class Server:
    """A running server and the demo credentials it printed."""

    def __init__(
        self,
        base_url: str,
        creds: dict[str, Any],
        data_dir: Path,
        process: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.base_url = base_url
        self.creds = creds
        self.data_dir = data_dir
        self.process = process

    def alive(self) -> bool:
        """The process still runs and answers its health check."""
        if self.process is not None and self.process.poll() is not None:
            return False
        return httpx.get(f"{self.base_url}/health", timeout=5).status_code == 200

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"X-API-Key": self.creds["api_key"]}, timeout=60
        )


def cli_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SKYORDER_DATABASE_URL"] = database_url
    return env


def serve_command(port: int, data_dir: Path, *args: str) -> list[str]:
    """The command line of ``skyorder serve --demo`` on ``port`` over ``data_dir``."""
    return [
        sys.executable,
        "-m",
        "skyorder.cli",
        "serve",
        "--demo",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        *args,
    ]


def wait_healthy(
    base: str, proc: subprocess.Popen[bytes], log_path: Path, seconds: float
) -> None:
    """Wait until the server at ``base`` answers ``/health``; fail with its log if it dies."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log_path.read_text())
        time.sleep(0.2)


@contextmanager
def running_server(
    tmp_path: Path,
    database_url: str,
    *args: str,
    env: dict[str, str] | None = None,
    log_name: str = "server.log",
) -> Iterator[Server]:
    """``skyorder serve --demo`` (plus ``args``) on a free port, stopped afterwards."""
    port = _free_port()
    data_dir = tmp_path / "data"
    log = (tmp_path / log_name).open("w")
    proc = subprocess.Popen(
        serve_command(port, data_dir, *args),
        env={**cli_env(database_url), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, tmp_path / log_name, seconds=60)
        creds = json.loads((data_dir / "demo-credentials.json").read_text())
        yield Server(base, creds, data_dir, proc)
    finally:
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
    with running_server(tmp_path, database_url) as running:
        yield running


@contextmanager
def module_server(
    tmp_path_factory: pytest.TempPathFactory,
    database_url: str,
    engine: Any,
    name: str,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """A server on an emptied database, for a module's tests to share."""
    from tests.conftest import _empty

    _empty(engine)
    with running_server(tmp_path_factory.mktemp(name), database_url, env=env) as running:
        yield running
