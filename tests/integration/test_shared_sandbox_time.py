"""Several API processes on one database share sandbox time: an advance or a reset made
through one shows in the next request to another (``shared_clock``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from skyorder.api.app import create_app
from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.tenants import Role
from skyorder.runtime import Runtime, build_runtime
from skyorder.settings import Settings
from tests.conftest import T0, WORLD_ARCHIVE, _tenant
from tests.factories import order_body, place

Tenant = dict[str, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"shared_clock": True})


@pytest.fixture
def other(settings: Settings, engine: Engine, runtime: Runtime) -> Iterator[TestClient]:
    """A second API process: its own runtime, clocks and app on the same database."""
    second = build_runtime(
        settings, clock=SandboxClock(base=FixedClock(T0)), archive=WORLD_ARCHIVE, engine=engine
    )
    assert second.shares_clock
    app = create_app(settings, second, run_agenda=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def now(client: TestClient, tenant: Tenant) -> datetime:
    response = client.get("/v1/sandbox/clock", headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["now"].replace("Z", "+00:00"))


def advance(client: TestClient, tenant: Tenant, seconds: int) -> None:
    response = client.post(
        "/v1/sandbox/clock/advance", json={"seconds": seconds}, headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text


def test_an_advance_through_one_process_shows_in_the_next_request_to_another(
    client: TestClient, other: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    advance(client, tenant, 86_400)
    assert now(other, tenant) == T0 + timedelta(days=1)
    assert now(other, other_tenant) == T0  # another organisation's time did not move
    order = place(other, tenant, order_body())
    assert order["created_at"].startswith((T0 + timedelta(days=1)).date().isoformat())


def test_advances_through_both_processes_add_up(
    client: TestClient, other: TestClient, tenant: Tenant
) -> None:
    advance(client, tenant, 3_600)
    advance(other, tenant, 3_600)
    assert now(client, tenant) == now(other, tenant) == T0 + timedelta(hours=2)


def test_a_reset_through_one_process_shows_in_another(
    client: TestClient, other: TestClient, runtime: Runtime
) -> None:
    admin = _tenant(runtime, "Initech", (Role.ADMIN,))
    advance(client, admin, 86_400)
    assert now(other, admin) == T0 + timedelta(days=1)
    response = client.post("/v1/sandbox/clock/reset", headers=admin["headers"])
    assert response.status_code == 200, response.text
    assert now(other, admin) == T0
    advance(other, admin, 60)  # and time moves on from there, in both
    assert now(client, admin) == T0 + timedelta(seconds=60)


def test_without_the_setting_a_process_keeps_its_own_time(
    settings: Settings, engine: Engine, client: TestClient, tenant: Tenant
) -> None:
    alone = build_runtime(
        settings.model_copy(update={"shared_clock": False}),
        clock=SandboxClock(base=FixedClock(T0)),
        archive=WORLD_ARCHIVE,
        engine=engine,
    )
    advance(client, tenant, 86_400)
    assert not alone.shares_clock
    assert alone.clocks.own(tenant["organisation_id"]).now() == T0
