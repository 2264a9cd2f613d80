"""The sandbox clock API: reading and advancing sandbox time, running the steps due meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime, build_runtime
from skyorder.services.agenda import Agenda
from skyorder.settings import Settings
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork
from tests.conftest import T0
from tests.factories import order_body, place

Tenant = dict[str, Any]
Calls = list[tuple[str, datetime, datetime]]


def advance_by(client: TestClient, tenant: Tenant, **body: Any) -> Any:
    response = client.post("/v1/sandbox/clock/advance", json=body, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def schedule(runtime: Runtime, tenant: Tenant, *due: tuple[str, datetime]) -> None:
    """Steps of ``tenant``'s organisation, due at its time."""
    with runtime.uow() as uow:
        for entity_id, due_at in due:
            uow.agenda.schedule(
                "test.step", entity_id, due_at, runtime.clock.now(), tenant["organisation_id"]
            )
        uow.commit()


@pytest.fixture
def calls(runtime: Runtime) -> Calls:
    """``test.step`` steps the API's agenda ran: (entity, handler's now, its org's now)."""
    seen: Calls = []

    def handler(uow: UnitOfWork, step: Step, now: datetime) -> None:
        seen.append((step.entity_id, now, runtime.clocks.of(step.organisation_id).now()))

    handlers: dict[str, Callable[[UnitOfWork, Step, datetime], None]] = {"test.step": handler}
    runtime.agenda = Agenda(runtime.uow, runtime.clock, handlers, clocks=runtime.clocks)
    return seen


def test_the_clock_starts_at_sandbox_time_with_no_offset(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/sandbox/clock", headers=tenant["headers"])
    assert response.status_code == 200
    body = response.json()
    assert at(body["now"]) == T0
    assert body["sandbox"] is True
    assert body["offset_seconds"] == 0


def test_the_clock_requires_credentials(client: TestClient) -> None:
    assert client.get("/v1/sandbox/clock").status_code == 401


def test_advancing_by_seconds_moves_now_and_the_offset(client: TestClient, tenant: Tenant) -> None:
    body = advance_by(client, tenant, seconds=5400)
    assert at(body["now"]) == T0 + timedelta(minutes=90)
    assert body["offset_seconds"] == 5400
    assert body["steps_run"] == 0
    read = client.get("/v1/sandbox/clock", headers=tenant["headers"]).json()
    assert at(read["now"]) == T0 + timedelta(minutes=90)


def test_advancing_to_a_moment_moves_now_there(client: TestClient, tenant: Tenant) -> None:
    body = advance_by(client, tenant, to="2026-02-01T08:30:00Z")
    assert at(body["now"]) == datetime.fromisoformat("2026-02-01T08:30:00+00:00")
    assert body["offset_seconds"] == (at(body["now"]) - T0).total_seconds()


def test_advancing_to_a_moment_with_an_offset_honours_it(
    client: TestClient, tenant: Tenant
) -> None:
    body = advance_by(client, tenant, to="2026-01-05T15:00:00+02:00")
    assert at(body["now"]) == T0 + timedelta(hours=1)


def test_advancing_by_zero_seconds_changes_nothing(client: TestClient, tenant: Tenant) -> None:
    body = advance_by(client, tenant, seconds=0)
    assert at(body["now"]) == T0


def test_advancing_persists_the_offset(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    advance_by(client, tenant, seconds=120)
    with runtime.uow(readonly=True) as uow:
        offsets = uow.clock.organisation_offsets()
        assert offsets == {tenant["organisation_id"]: timedelta(seconds=120)}
        assert uow.clock.load_offset() == timedelta(0)  # the server's clock did not move


def test_orders_placed_after_advancing_carry_the_new_time(
    client: TestClient, tenant: Tenant
) -> None:
    advance_by(client, tenant, seconds=3600)
    order = place(client, tenant, order_body())
    assert at(order["created_at"]) == T0 + timedelta(hours=1)


def test_advancing_to_the_past_is_a_conflict(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/v1/sandbox/clock/advance",
        json={"to": "2026-01-05T11:59:59Z"},
        headers=tenant["headers"],
    )
    assert response.status_code == 409
    assert "only moves forward" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"seconds": 10, "to": "2026-02-01T00:00:00Z"},
        {"seconds": -1},
        {"to": "2026-02-01T00:00:00"},
        {"to": "next tuesday"},
        {"minutes": 5},
    ],
)
def test_an_invalid_advance_is_refused(
    client: TestClient, tenant: Tenant, body: dict[str, Any]
) -> None:
    response = client.post("/v1/sandbox/clock/advance", json=body, headers=tenant["headers"])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_a_refused_advance_leaves_the_clock_alone(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/sandbox/clock/advance", json={"seconds": -5}, headers=tenant["headers"])
    now = client.get("/v1/sandbox/clock", headers=tenant["headers"]).json()["now"]
    assert at(now) == T0


def test_steps_due_before_the_new_time_run_each_at_its_due_time(
    client: TestClient, runtime: Runtime, tenant: Tenant, calls: Calls
) -> None:
    schedule(runtime, tenant, ("late", T0 + timedelta(hours=2)), ("early", T0 + timedelta(hours=1)))
    body = advance_by(client, tenant, seconds=3 * 3600)
    assert body["steps_run"] == 2
    assert calls == [
        ("early", T0 + timedelta(hours=1), T0 + timedelta(hours=1)),
        ("late", T0 + timedelta(hours=2), T0 + timedelta(hours=2)),
    ]
    assert at(body["now"]) == T0 + timedelta(hours=3)


def test_steps_due_after_the_new_time_wait(
    client: TestClient, runtime: Runtime, tenant: Tenant, calls: Calls
) -> None:
    schedule(
        runtime, tenant, ("soon", T0 + timedelta(minutes=30)), ("later", T0 + timedelta(hours=5))
    )
    assert advance_by(client, tenant, seconds=3600)["steps_run"] == 1
    assert [entity for entity, *_ in calls] == ["soon"]
    assert advance_by(client, tenant, to="2026-01-05T17:00:00Z")["steps_run"] == 1
    assert [entity for entity, *_ in calls] == ["soon", "later"]


def test_a_step_due_exactly_at_the_new_time_runs(
    client: TestClient, runtime: Runtime, tenant: Tenant, calls: Calls
) -> None:
    schedule(runtime, tenant, ("edge", T0 + timedelta(hours=1)))
    assert advance_by(client, tenant, seconds=3600)["steps_run"] == 1


def test_a_step_already_due_runs_at_the_current_time(
    client: TestClient, runtime: Runtime, tenant: Tenant, calls: Calls
) -> None:
    schedule(runtime, tenant, ("overdue", T0 - timedelta(hours=1)))
    advance_by(client, tenant, seconds=60)
    assert calls == [("overdue", T0, T0)]


def test_a_restarted_runtime_resumes_at_the_advanced_sandbox_time(
    client: TestClient, tenant: Tenant, settings: Settings
) -> None:
    advance_by(client, tenant, seconds=86_400)
    restarted = build_runtime(settings)
    try:
        assert isinstance(restarted.clock, SandboxClock)
        assert restarted.clocks.own(tenant["organisation_id"]).offset == timedelta(days=1)
    finally:
        restarted.close()
