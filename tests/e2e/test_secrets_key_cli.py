"""``skyorder admin rotate-secrets-key`` and the start-up errors about sealing keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from skyorder.core.clock import SystemClock
from skyorder.core.ids import new_id
from skyorder.core.webhooks import Subscription, new_secret
from skyorder.runtime import build_runtime
from skyorder.services.tenants import create_organisation
from skyorder.settings import Settings
from skyorder.store.sealing import key_id, new_key
from tests.conftest import _empty
from tests.e2e.conftest import cli_env

pytestmark = pytest.mark.e2e


def run(
    database_url: str, data_dir: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skyorder.cli", *args, "--data-dir", str(data_dir)],
        env={**cli_env(database_url), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def seed_webhook(database_url: str, data_dir: Path) -> str:
    """A database holding one webhook secret sealed with the data directory's key."""
    runtime = build_runtime(
        Settings(data_dir=data_dir, database_url=database_url, wake_queue=False)
    )
    clock = SystemClock()
    now = clock.now()
    try:
        with runtime.uow() as uow:
            org = create_organisation(uow, clock, "Seeded")
            uow.webhooks.add(  # straight to the store: the URL is never called
                Subscription(
                    id=new_id(),
                    organisation_id=org.id,
                    url="https://hooks.example.com/x",
                    event_types=None,
                    description="",
                    enabled=True,
                    secret=new_secret(),
                    created_at=now,
                    updated_at=now,
                )
            )
            uow.commit()
    finally:
        runtime.close()
    return runtime.uow.sealer.keyring.primary_id


def sealed_key_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        secrets = conn.execute(text("SELECT secret FROM webhook_subscriptions")).scalars()
        return {s.split(":")[2] for s in secrets}


def test_rotate_secrets_key_adds_a_key_and_reseals_every_secret(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    old_id = seed_webhook(database_url, tmp_path)

    result = run(database_url, tmp_path, "admin", "rotate-secrets-key")

    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout)
    keys = (tmp_path / "secrets.key").read_text().split()
    assert [key_id(k.encode()) for k in keys] == [done["key_id"], old_id]
    assert done["stored_secrets"] == 1
    assert sealed_key_ids(engine) == {done["key_id"]}


def test_a_wrong_secrets_keys_setting_ends_the_command_naming_it_without_a_traceback(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    old_id = seed_webhook(database_url, tmp_path)

    result = run(
        database_url, tmp_path, "admin", "rebuild-tallies", SKYORDER_SECRETS_KEYS=new_key().decode()
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"sealed with key {old_id}" in result.stderr
    assert "SKYORDER_SECRETS_KEYS" in result.stderr


def test_a_malformed_secrets_keys_setting_is_refused_saying_what_a_key_is(
    tmp_path: Path, database_url: str
) -> None:
    result = run(
        database_url, tmp_path, "admin", "rebuild-tallies", SKYORDER_SECRETS_KEYS="hunter2"
    )
    assert result.returncode == 2
    assert "SKYORDER_SECRETS_KEYS: a key must be 32 random bytes" in result.stderr
    assert "hunter2" not in result.stderr


def test_rotating_without_the_key_the_database_needs_adds_no_key(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    _empty(engine)
    old_id = seed_webhook(database_url, tmp_path / "first")

    result = run(database_url, tmp_path / "second", "admin", "rotate-secrets-key")

    assert result.returncode == 2
    assert f"secrets sealed with a key ({old_id})" in result.stderr
    assert not (tmp_path / "second" / "secrets.key").exists()
    assert sealed_key_ids(engine) == {old_id}
