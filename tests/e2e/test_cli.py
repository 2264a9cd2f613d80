from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from tests.conftest import PG_ADMIN_URL, _empty, _pg
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
        "organisation_number",
        "contract_id",
        "contract_number",
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
    made = json.loads(contract.stdout)
    assert made["allowed_products"] == ["ARC-PHR-KM2"]
    assert made["contract_number"] == creds["contract_number"] + 1
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


def test_admin_disables_enables_and_rotates_a_client(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    data = ["--data-dir", str(tmp_path)]
    creds = json.loads(run(database_url, "admin", "create-org", "Initech", *data).stdout)
    client_id = creds["client_id"]
    disabled = run(database_url, "admin", "disable-client", client_id, *data)
    assert disabled.returncode == 0, disabled.stderr
    assert json.loads(disabled.stdout) == {"client_id": client_id, "disabled": True}
    enabled = run(database_url, "admin", "enable-client", client_id, *data)
    assert json.loads(enabled.stdout)["disabled"] is False
    key = json.loads(run(database_url, "admin", "rotate-key", client_id, *data).stdout)
    assert key["api_key"].startswith("sko_") and key["api_key"] != creds["api_key"]
    secret = json.loads(run(database_url, "admin", "rotate-secret", client_id, *data).stdout)
    assert secret["client_secret"] != creds["client_secret"]


def test_an_unknown_client_is_named_without_a_traceback(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    result = run(database_url, "admin", "disable-client", "cli_nope", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "API client cli_nope not found" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not PG_ADMIN_URL, reason="needs PostgreSQL (SKYORDER_TEST_DATABASE_URL)")
def test_a_database_without_postgis_is_one_line_saying_how_to_enable_it(tmp_path: Path) -> None:
    assert PG_ADMIN_URL is not None
    name = f"skyorder_nogis_{uuid.uuid4().hex[:8]}"  # a role that may not create PostGIS
    admin = create_engine(_pg(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    url = make_url(_pg(PG_ADMIN_URL)).set(username=name, password=None, database=name)
    try:
        result = run(
            url.render_as_string(hide_password=False),
            "admin", "create-org", "Initech", "--data-dir", str(tmp_path),
        )  # fmt: skip
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        admin.dispose()
    assert result.returncode == 2
    assert "CREATE EXTENSION postgis" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_top_up_beyond_what_a_balance_holds_is_one_line_naming_amount_and_its_maximum(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    data = ["--data-dir", str(tmp_path)]
    creds = json.loads(run(database_url, "admin", "create-org", "Initech", *data).stdout)
    amount = str(10**20)
    result = run(
        database_url, "admin", "top-up", "--contract", creds["contract_id"], "--amount", amount,
        *data,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("error: --amount:")
    assert f"at most {2**63 - 1}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


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
