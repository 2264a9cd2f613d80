"""Shared fixtures: one database per session (SQLite, or PostgreSQL when
SKYORDER_TEST_DATABASE_URL is set), emptied before each test that uses it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from skyorder.api.app import create_app
from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.runtime import Runtime, build_runtime
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms
from skyorder.settings import Settings
from skyorder.store import tables
from skyorder.store.engine import make_engine
from skyorder.store.migrate import upgrade

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
PG_ADMIN_URL = os.environ.get("SKYORDER_TEST_DATABASE_URL")


def _pg(url: str) -> str:
    return (
        url.replace("postgresql://", "postgresql+psycopg://", 1)
        if url.startswith("postgresql://")
        else url
    )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for this test session."""
    if not PG_ADMIN_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    name = f"skyorder_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_pg(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_pg(PG_ADMIN_URL)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def _empty(engine: Engine) -> None:
    names = [t.name for t in reversed(tables.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def clock() -> SandboxClock:
    """Sandbox time that starts at T0 and moves only when advanced."""
    return SandboxClock(base=FixedClock(T0))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, jwt_secret="test-secret-0123456789abcdefghijklmnop")


@pytest.fixture
def runtime(engine: Engine, settings: Settings, clock: SandboxClock) -> Iterator[Runtime]:
    _empty(engine)
    rt = build_runtime(settings, clock=clock)
    yield rt
    rt.close()


@pytest.fixture
def client(runtime: Runtime, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, runtime, run_agenda=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _tenant(runtime: Runtime, name: str) -> dict[str, Any]:
    creds = provision_organisation(
        runtime.uow,
        runtime.clock,
        name,
        "http://testserver",
        ContractTerms(name=f"{name} contract"),
    )
    creds["headers"] = {"X-API-Key": creds["api_key"]}
    return creds


@pytest.fixture
def tenant(runtime: Runtime) -> dict[str, Any]:
    """An organisation with a contract, project and API client; ``headers`` authenticate."""
    return _tenant(runtime, "Acme")


@pytest.fixture
def other_tenant(runtime: Runtime) -> dict[str, Any]:
    """A second, unrelated organisation."""
    return _tenant(runtime, "Globex")
