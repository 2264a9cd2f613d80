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


def test_public_url_is_what_credentials_point_at(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    data = ["--data-dir", str(tmp_path), "--public-url", "https://sky.example.org/"]
    org = run(database_url, "admin", "create-org", "Initech", *data)
    assert org.returncode == 0, org.stderr
    creds = json.loads(org.stdout)
    assert creds["base_url"] == "https://sky.example.org"
    assert creds["token_url"] == "https://sky.example.org/oauth/token"
    client = run(database_url, "admin", "create-client", "--org", creds["organisation_id"], *data)
    assert json.loads(client.stdout)["token_url"] == "https://sky.example.org/oauth/token"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["serve", "--port", "0"], {}, "--port: Input should be greater than or equal to 1"),
        (
            ["admin", "create-org", "X", "--public-url", "sky.example.org"],
            {},
            "--public-url: must be an http:// or https:// URL with a host",
        ),
        (
            ["admin", "create-org", "X", "--database-url", "mysql://u:hunter2@h/d"],
            {},
            "--database-url: must be a SQLite or PostgreSQL URL",
        ),
        (
            ["catalog", "generate", "--items", "1"],
            {"SKYORDER_DATABASE_URL": "postgresql://u:hunter2@127.0.0.1:1/x"},
            "cannot open the database 'postgresql://u:***@127.0.0.1:1/x'",
        ),
        (
            ["worker"],
            {"SKYORDER_PRODUCTS_FILE": "/no/such/products.json"},
            "SKYORDER_PRODUCTS_FILE: no such file",
        ),
        (
            ["admin", "create-org", "X", "--data-dir", "/proc/skyorder"],
            {},
            "cannot create the data directory '/proc/skyorder'",
        ),
    ],
)
def test_bad_settings_are_explained_without_a_traceback(
    tmp_path: Path, database_url: str, args: list[str], env: dict[str, str], message: str
) -> None:
    full_env = {**cli_env(database_url), "SKYORDER_DATA_DIR": str(tmp_path), **env}
    result = subprocess.run(
        [sys.executable, "-m", "skyorder.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert "hunter2" not in result.stderr


def test_create_user_prints_the_user_and_the_key_of_their_own_client(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    data = ["--data-dir", str(tmp_path)]
    org = json.loads(run(database_url, "admin", "create-org", "Initech", *data).stdout)
    made = run(
        database_url, "admin", "create-user", org["organisation_id"], "Peter@Initech.example",
        "--role", "viewer", "--name", "Peter Gibbons", *data,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    out = json.loads(made.stdout)
    assert {k: out["user"][k] for k in ("email", "display_name", "role")} == {
        "email": "peter@initech.example",
        "display_name": "Peter Gibbons",
        "role": "viewer",
    }
    assert out["api_key"].startswith("sko_")
    theirs = run(
        database_url, "admin", "create-client", "--org", org["organisation_id"],
        "--user", "peter@initech.example", *data,
    )  # fmt: skip
    assert theirs.returncode == 0, theirs.stderr


def test_create_user_explains_an_unknown_organisation_and_a_taken_email(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    data = ["--data-dir", str(tmp_path)]
    missing = run(database_url, "admin", "create-user", "no-such-org", "a@b.example", *data)
    assert missing.returncode == 2
    assert "organisation no-such-org not found" in missing.stderr
    org = json.loads(run(database_url, "admin", "create-org", "Initech", *data).stdout)
    run(database_url, "admin", "create-user", org["organisation_id"], "a@b.example", *data)
    taken = run(database_url, "admin", "create-user", org["organisation_id"], "a@b.example", *data)
    assert taken.returncode == 2
    assert "already has a user a@b.example" in taken.stderr
    assert "Traceback" not in taken.stderr
