"""``skyorder worker`` starts, says what it does and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import _empty
from tests.e2e.conftest import cli_env

pytestmark = pytest.mark.e2e


def test_a_worker_stops_cleanly_on_sigterm(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "skyorder.cli", "worker", "--data-dir", str(tmp_path),
             "--concurrency", "2"],
            env=cli_env(database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "worker running" not in log_path.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    output = log_path.read_text()
    assert "worker running: 2 thread(s)" in output
    assert "received SIGTERM: stopping" in output
    assert output.rstrip().endswith("worker stopped")
