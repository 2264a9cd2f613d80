"""``skyorder.client`` loads with only the ``client`` extra's packages: never the server's."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from skyorder.schemas.reports import UsageRow
from skyorder.store.repositories.reports import REPORT_COLUMNS

ROOT = Path(__file__).resolve().parents[2]

# Distributions of the server that the SDK must do without (import names).
SERVER_ONLY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "rasterio",
    "rio_cogeo",
    "sgp4",
    "psycopg",
    "procrastinate",
    "boto3",
    "botocore",
    "pystac",
    "cql2",
    "orjson",
    "jwt",
    "cryptography",
    "pydantic_settings",
)

# A fresh interpreter in which the server's packages cannot be imported at all, as in a
# virtualenv where only `skyorder[client]` was installed.
BLOCKER = """
import importlib.abc, json, sys
BLOCKED = set(json.loads(sys.argv.pop(1)))
class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Absent())
"""
PROBE = BLOCKER + """
import skyorder.client
from skyorder.client import Client
Client("http://127.0.0.1:1", api_key="k").close()
print(json.dumps(sorted(sys.modules)))
"""


def test_the_sdk_imports_without_the_server_packages() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(SERVER_ONLY)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert "skyorder.client.sync" in loaded
    server = [
        m
        for m in loaded
        if m.startswith(("skyorder.store", "skyorder.services", "skyorder.api", "skyorder.orbits"))
    ]
    assert server == []


def _names(requirements: list[str]) -> set[str]:
    return {req.split(">")[0].split("[")[0].strip().lower() for req in requirements}


def test_the_base_install_names_no_server_package_and_the_server_extra_does() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = _names(project["dependencies"])
    extras = project["optional-dependencies"]
    assert {"httpx", "pydantic", "typer", "rich"} <= base
    assert base.isdisjoint({"sqlalchemy", "rasterio", "fastapi", "sgp4", "alembic"})
    assert extras["client"] == []  # pip always installs the base: the client extra adds nothing
    assert {"sqlalchemy", "rasterio", "fastapi", "sgp4", "alembic"} <= _names(extras["server"])


# The command line where the server's packages cannot be imported: API commands load, the
# server's commands say what to install.
CLI_PROBE = BLOCKER + "from skyorder.cli.main import app\napp()\n"


def test_without_the_server_packages_the_server_commands_say_what_to_install() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CLI_PROBE, json.dumps(SERVER_ONLY), "serve", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "pip install 'skyorder[server]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_usage_row_has_the_report_columns_in_order() -> None:
    assert tuple(UsageRow.model_fields) == REPORT_COLUMNS
