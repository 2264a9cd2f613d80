from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import _empty
from tests.e2e.conftest import cli_env

pytestmark = pytest.mark.e2e


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skyorder.cli", *args],
        env=cli_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_admin_commands_print_credentials_and_contracts(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    data = ["--data-dir", str(tmp_path)]
    org = run(database_url, "admin", "create-org", "Initech", *data)
    assert org.returncode == 0, org.stderr
    creds: dict[str, Any] = json.loads(org.stdout)
    assert set(creds) == {
        "client_id",
        "client_secret",
        "api_key",
        "organisation_id",
        "contract_id",
        "project_id",
        "token_url",
        "base_url",
    }
    contract = run(
        database_url,
        "admin",
        "create-contract",
        "--org",
        creds["organisation_id"],
        "--name",
        "EUR pay per order",
        "--billing",
        "currency",
        "--currency",
        "EUR",
        "--payment-mode",
        "pay_per_order",
        "--allowed-product",
        "ARC-PHR-KM2",
        *data,
    )
    assert contract.returncode == 0, contract.stderr
    assert json.loads(contract.stdout)["allowed_products"] == ["ARC-PHR-KM2"]
    client = run(database_url, "admin", "create-client", "--org", creds["organisation_id"], *data)
    assert client.returncode == 0, client.stderr
    assert json.loads(client.stdout)["api_key"].startswith("sko_")


def test_admin_errors_are_explained_without_a_traceback(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    result = run(
        database_url, "admin", "create-client", "--org", "no-such-org", "--data-dir", str(tmp_path)
    )
    assert result.returncode == 2
    assert "organisation no-such-org not found" in result.stderr
    assert "Traceback" not in result.stderr
