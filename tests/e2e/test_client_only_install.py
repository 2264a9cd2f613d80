"""A real ``pip install 'skyorder[client]'`` into a fresh virtualenv: the SDK and the CLI's API
commands work there, and none of the server's packages is installed or imported.

Installs from a copy of this checkout (what a wheel holds: ``pyproject.toml``, ``README.md``,
``src/``), so the build leaves nothing in the working tree; the dependencies come from the
package index pip is configured with.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]



def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _server_distributions() -> set[str]:
    """The ``server`` extra's distributions, as pyproject.toml names them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extra = project["optional-dependencies"]["server"]
    return {_normalised(re.split(r"[<>=\[ ;]", req)[0]) for req in extra}


PROBE = """
import json, sys
import skyorder.client
from skyorder.client import Client
with Client("http://127.0.0.1:1", api_key="k") as client:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _run(*cmd: str | Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


def test_a_client_only_install_has_the_sdk_and_cli_but_nothing_of_the_server(
    tmp_path: Path,
) -> None:
    source = tmp_path / "skyorder"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python, skyorder = venv / "bin" / "python", venv / "bin" / "skyorder"
    _run(python, "-m", "pip", "install", "--quiet", "--no-compile", f"{source}[client]")

    listed = json.loads(_run(python, "-m", "pip", "list", "--format", "json").stdout)
    installed = {_normalised(p["name"]) for p in listed}
    server = _server_distributions()
    assert "skyorder" in installed and {"sqlalchemy", "rasterio", "sgp4"} <= server
    assert installed.isdisjoint(server), installed & server

    loaded = json.loads(_run(python, "-c", PROBE).stdout)
    assert "skyorder.client.sync" in loaded
    assert not {"sqlalchemy", "rasterio", "sgp4"} & {m.split(".")[0] for m in loaded}
    assert not [m for m in loaded if m.startswith(("skyorder.store", "skyorder.orbits"))]

    assert "opportunities" in _run(skyorder, "--help").stdout
    serve = _run(skyorder, "serve", "--demo", code=2)
    assert "pip install 'skyorder[server]'" in serve.stderr
    down = _run(skyorder, "orders", "list", "--url", "http://127.0.0.1:1", "--api-key", "k", code=5)
    assert down.stderr.startswith("error: cannot reach http://127.0.0.1:1")
