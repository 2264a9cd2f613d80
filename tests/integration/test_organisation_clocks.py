"""One sandbox clock per organisation: an advance moves only the caller's time and work."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.tenants import Role
from skyorder.runtime import Runtime, build_runtime
from skyorder.services.agenda import Agenda, Job
from skyorder.settings import Settings
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork
from skyorder.worker.process import follow_sandbox_clock
from tests.conftest import T0, WORLD_ARCHIVE, _tenant
from tests.factories import order_body, place

Tenant = dict[str, Any]
Ran = list[tuple[str, datetime]]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def now_of(client: TestClient, tenant: Tenant) -> datetime:
    response = client.get("/v1/sandbox/clock", headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return at(response.json()["now"])


def advance(client: TestClient, tenant: Tenant, seconds: float) -> dict[str, Any]:
    response = client.post(
        "/v1/sandbox/clock/advance", json={"seconds": seconds}, headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def ran(runtime: Runtime) -> Ran:
    """Steps of kind ``test.step`` the API's agenda ran: (entity, the time it ran at)."""
    seen: Ran = []

    def handler(uow: UnitOfWork, step: Step, now: datetime) -> None:
        seen.append((step.entity_id, now))

    handlers: dict[str, Callable[[UnitOfWork, Step, datetime], None]] = {"test.step": handler}
    runtime.agenda = Agenda(runtime.uow, runtime.clock, handlers, clocks=runtime.clocks)
    return seen


def schedule(runtime: Runtime, tenant: Tenant, entity_id: str, due_at: datetime) -> None:
    with runtime.uow() as uow:
        uow.agenda.schedule("test.step", entity_id, due_at, T0, tenant["organisation_id"])
        uow.commit()


def test_an_advance_leaves_another_organisations_clock_alone(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    advance(client, tenant, 10 * 86_400)
    assert now_of(client, tenant) == T0 + timedelta(days=10)
    assert now_of(client, other_tenant) == T0


def test_an_advance_runs_only_the_callers_due_work(
    client: TestClient, runtime: Runtime, tenant: Tenant, other_tenant: Tenant, ran: Ran
) -> None:
    schedule(runtime, tenant, "mine", T0 + timedelta(hours=1))
    schedule(runtime, other_tenant, "theirs", T0 + timedelta(hours=1))
    assert advance(client, tenant, 7200)["steps_run"] == 1
    assert ran == [("mine", T0 + timedelta(hours=1))]
    assert advance(client, other_tenant, 3600)["steps_run"] == 1
    assert ran[1:] == [("theirs", T0 + timedelta(hours=1))]


def test_the_agenda_runs_an_organisations_work_at_its_own_time(
    client: TestClient, runtime: Runtime, tenant: Tenant, other_tenant: Tenant, ran: Ran
) -> None:
    advance(client, tenant, 86_400)
    schedule(runtime, tenant, "mine", T0 + timedelta(days=1))
    schedule(runtime, other_tenant, "theirs", T0 + timedelta(days=1))
    assert runtime.agenda.run_due() == 1  # what the agenda threads do as time passes
    assert ran == [("mine", T0 + timedelta(days=1))]


def test_orders_carry_their_organisations_time(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    advance(client, tenant, 3600)
    assert at(place(client, tenant, order_body())["created_at"]) == T0 + timedelta(hours=1)
    assert at(place(client, other_tenant, order_body())["created_at"]) == T0


def test_an_admin_resets_the_organisations_clock(
    client: TestClient, runtime: Runtime, tenant: Tenant, other_tenant: Tenant
) -> None:
    admin = _tenant(runtime, "Initech", (Role.ADMIN,))
    advance(client, admin, 86_400)
    advance(client, other_tenant, 3600)
    response = client.post("/v1/sandbox/clock/reset", headers=admin["headers"])
    assert response.status_code == 200, response.text
    assert at(response.json()["now"]) == T0
    assert now_of(client, admin) == T0
    assert now_of(client, other_tenant) == T0 + timedelta(hours=1)
    with runtime.uow(readonly=True) as uow:
        saved = uow.clock.organisation_offsets()  # back on the server's time, the reset counted
        assert saved[admin["organisation_id"]] == timedelta(0)
        assert uow.clock.shared_time(admin["organisation_id"]).resets == 1


def test_only_an_admin_may_reset_the_clock(client: TestClient, tenant: Tenant) -> None:
    advance(client, tenant, 3600)
    response = client.post("/v1/sandbox/clock/reset", headers=tenant["headers"])
    assert response.status_code == 403
    assert now_of(client, tenant) == T0 + timedelta(hours=1)


def test_a_worker_follows_each_organisations_clock_from_the_database(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    other_tenant: Tenant,
    settings: Settings,
    engine: Engine,
) -> None:
    worker = build_runtime(
        settings, clock=SandboxClock(base=FixedClock(T0)), archive=WORLD_ARCHIVE, engine=engine
    )
    try:
        advance(client, tenant, 86_400)  # after the worker started
        follow_sandbox_clock(worker)
        assert worker.clocks.of(tenant["organisation_id"]).now() == T0 + timedelta(days=1)
        assert worker.clocks.of(other_tenant["organisation_id"]).now() == T0
        admin = _tenant(runtime, "Initech", (Role.ADMIN,))
        advance(client, admin, 3600)
        follow_sandbox_clock(worker)
        assert client.post("/v1/sandbox/clock/reset", headers=admin["headers"]).status_code == 200
        follow_sandbox_clock(worker)
        assert worker.clocks.of(admin["organisation_id"]).now() == T0
    finally:
        worker.close()


class Gate(Job):
    """A job whose work for ``held`` waits until another organisation's step has run."""

    def __init__(self, held: str) -> None:
        self.held = held
        self.working = threading.Event()
        self.released = threading.Event()
        self.recorded: list[str] = []

    def prepare(self, uow: UnitOfWork, step: Step, now: datetime) -> str:
        return step.entity_id

    def perform(self, prepared: Any) -> bool:
        if prepared != self.held:
            self.released.set()
            return True
        self.working.set()
        return self.released.wait(timeout=30)

    def record(
        self, uow: UnitOfWork, step: Step, prepared: Any, result: Any, now: datetime
    ) -> None:
        self.recorded.append(f"{prepared}: {'released' if result else 'timed out'}")


def test_organisations_advance_side_by_side(
    runtime: Runtime, tenant: Tenant, other_tenant: Tenant
) -> None:
    gate = Gate("mine")
    runtime.agenda = Agenda(runtime.uow, runtime.clock, {"test.step": gate}, clocks=runtime.clocks)
    schedule(runtime, tenant, "mine", T0 + timedelta(hours=1))
    schedule(runtime, other_tenant, "theirs", T0 + timedelta(hours=1))

    def advance_of(who: Tenant) -> threading.Thread:
        org = who["organisation_id"]
        clock = runtime.clocks.own(org)
        thread = threading.Thread(
            target=runtime.agenda.advance, args=(clock, T0 + timedelta(hours=2), org)
        )
        thread.start()
        return thread

    first = advance_of(tenant)
    assert gate.working.wait(timeout=30)  # the first advance is busy with "mine"
    second = advance_of(other_tenant)
    second.join(timeout=30)
    first.join(timeout=30)
    assert not first.is_alive() and not second.is_alive()
    # "theirs" ran while "mine" was under way, and released it
    assert gate.recorded == ["theirs: released", "mine: released"]
