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
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from skyorder.api.app import create_app
from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.tenants import Role
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.runtime import Runtime, build_runtime
from skyorder.services.archive import StaticArchive
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms
from skyorder.settings import Settings
from skyorder.store import tables
from skyorder.store.engine import make_engine
from skyorder.store.migrate import alembic_config, upgrade

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
PG_ADMIN_URL = os.environ.get("SKYORDER_TEST_DATABASE_URL")
TENANT_CREDITS = 10**12  # whole-scene test orders cover continents (see WORLD_ARCHIVE)
# In tests that do not use the catalog, every archive scene covers the places the tests
# order (longitudes -140..35; a footprint must stay under 180° wide, see core.pricing).
WORLD_ARCHIVE = StaticArchive(
    default={
        "type": "Polygon",
        "coordinates": [[[-140, -80], [35, -80], [35, 80], [-140, 80], [-140, -80]]],
    }
)


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
    """Delete every row (faster than TRUNCATE for the few rows a test writes)."""
    names = [t.name for t in reversed(tables.metadata.sorted_tables)]
    # The balances first: deleting the ledger's entries one by one would take an available
    # balance below zero on the way, which the database refuses (migration 0023).
    names.remove("contract_balances")
    names.insert(0, "contract_balances")
    with engine.begin() as conn:
        for name in names:
            conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def clock() -> SandboxClock:
    """Sandbox time that starts at T0 and moves only when advanced."""
    return SandboxClock(base=FixedClock(T0))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        jwt_secret="test-secret-0123456789abcdefghijklmnop",
        pixel_budget=250_000,  # small synthetic scenes: deliverables in a fraction of a second
        wake_queue=False,  # no worker processes here (tests of the queue turn it on)
        settle_heap=False,  # one process starts many apps: no heap freezing
        # Webhook receivers and S3 servers of the tests listen on loopback.
        outbound_allow_networks=["127.0.0.0/8", "::1/128"],
    )


@pytest.fixture
def outbound() -> OutboundPolicy | None:
    """The runtime's outbound policy; None: the settings' (modules override it to fake DNS)."""
    return None


@pytest.fixture
def runtime(
    engine: Engine, settings: Settings, clock: SandboxClock, outbound: OutboundPolicy | None
) -> Iterator[Runtime]:
    _empty(engine)
    yield build_runtime(
        settings, clock=clock, archive=WORLD_ARCHIVE, engine=engine, outbound=outbound
    )


_APPS: dict[str, FastAPI] = {}


@pytest.fixture
def client(runtime: Runtime, settings: Settings) -> Iterator[TestClient]:
    """A client of the app; one app serves the session, each test gets its own runtime."""
    app = _APPS.get("app")
    if app is None:
        app = _APPS["app"] = create_app(settings, runtime, run_agenda=False)
    app.state.facade = runtime.facade
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _tenant(runtime: Runtime, name: str, roles: tuple[Role, ...] = ()) -> dict[str, Any]:
    creds = provision_organisation(
        runtime.uow,
        runtime.clock,
        name,
        "http://testserver",
        ContractTerms(name=f"{name} contract"),
        credits=TENANT_CREDITS,
        roles=roles,
    )
    creds["headers"] = {"X-API-Key": creds["api_key"]}
    return creds


@pytest.fixture
def tenant(runtime: Runtime) -> dict[str, Any]:
    """An organisation with a contract, project and API client; ``headers`` authenticate."""
    return _tenant(runtime, "Acme")


@pytest.fixture
def provider(runtime: Runtime) -> dict[str, Any]:
    """An organisation whose API client also has the provider role (may write the catalog)."""
    return _tenant(runtime, "Provider Co", (Role.PROVIDER,))


@pytest.fixture
def other_tenant(runtime: Runtime) -> dict[str, Any]:
    """A second, unrelated organisation."""
    return _tenant(runtime, "Globex")


@pytest.fixture
def blank_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own (the session's is migrated to the latest already)."""
    if not PG_ADMIN_URL:
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    name = f"skyorder_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_pg(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(_pg(PG_ADMIN_URL)).set(database=name).render_as_string(False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate_to(engine: Engine, revision: str) -> None:
    """Apply the migrations up to ``revision`` (a blank database's schema of that time)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
