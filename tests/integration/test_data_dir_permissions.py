"""The data directory and the secrets in it are the owner's only: 0700 and 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from skyorder.core.clock import SystemClock
from skyorder.runtime import build_runtime
from skyorder.services.demo import ensure_demo
from skyorder.settings import Settings
from tests.conftest import _empty

SECRET_FILES = ("secrets.key", "jwt-secret", "signing-secret", "demo-credentials.json")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask 022, under which files are world-readable unless made otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def start(settings: Settings) -> dict[str, int]:
    """Start and stop; the modes of the data directory's files while it ran."""
    runtime = build_runtime(settings)
    try:
        ensure_demo(runtime.uow, SystemClock(), settings.data_dir, "http://testserver")
        return {p.name: mode(p) for p in settings.data_dir.iterdir() if p.is_file()}
    finally:
        runtime.close()


def embedded(tmp_path: Path) -> Settings:
    """The embedded default: the SQLite database inside the data directory."""
    return Settings(data_dir=tmp_path / "data", wake_queue=False, settle_heap=False)


def test_the_embedded_database_and_data_directory_are_created_owner_only(tmp_path: Path) -> None:
    settings = embedded(tmp_path)
    modes = start(settings)
    assert mode(settings.data_dir) == 0o700
    assert set(modes) >= {"skyorder.db", "skyorder.db-wal", *SECRET_FILES}
    assert set(modes.values()) == {0o600}, modes


def test_world_readable_files_of_an_older_data_directory_are_tightened_at_start(
    tmp_path: Path,
) -> None:
    settings = embedded(tmp_path)
    start(settings)
    settings.data_dir.chmod(0o755)
    for name in ("skyorder.db", *SECRET_FILES):
        (settings.data_dir / name).chmod(0o644)
    start(settings)
    assert mode(settings.data_dir) == 0o700
    for name in ("skyorder.db", *SECRET_FILES):
        assert mode(settings.data_dir / name) == 0o600, name


def test_the_key_files_are_owner_only_with_the_configured_database(
    settings: Settings, engine: Engine
) -> None:
    _empty(engine)
    start(settings.model_copy(update={"jwt_secret": None}))
    assert mode(settings.data_dir) == 0o700
    for name in SECRET_FILES:
        assert mode(settings.data_dir / name) == 0o600, name
