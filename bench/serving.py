"""What the benches that run a real server share: a port, a server, older code from git."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port(preferred: Sequence[int] = ()) -> int:
    """A free loopback port, the ``preferred`` ones first."""
    for port in [*preferred, 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError("no free port")


def start(
    data_dir: Path,
    port: int,
    pythonpath: Path | None,
    *args: str,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """``skyorder serve --demo`` (plus ``args``) on a fresh data directory, once it answers."""
    environ = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    if pythonpath is not None:
        environ["PYTHONPATH"] = str(pythonpath)
    cmd = [sys.executable, "-m", "skyorder.cli", "serve", "--demo", *args]
    cmd += ["--port", str(port), "--data-dir", str(data_dir)]
    data_dir.mkdir(parents=True)
    log = (data_dir.parent / "server.log").open("wb")
    proc = subprocess.Popen(cmd, env=environ, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.name}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop(proc)
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server the bench started."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def merge_base() -> str:
    """The commit this branch left ``main`` at."""
    return subprocess.run(
        ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def unpack(ref: str, into: Path) -> Path:
    """The ``src`` folder of ``ref`` of this repository, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def percentile(ordered: Sequence[float], share: float) -> float:
    """The ``share`` percentile of sorted values (nearest rank)."""
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
