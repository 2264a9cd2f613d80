"""Tasking items played out through the agenda: captures planned, attempted, retried, judged."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from skyorder.core.captures import Capture, CaptureStatus
from skyorder.core.clock import SandboxClock
from skyorder.core.mission import Failed, TaskingBackend
from skyorder.core.orders import ItemStatus, Order, OrderStatus
from skyorder.core.steps import StepKind
from skyorder.core.tenants import Principal
from skyorder.orbits.constellation import load_constellation
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.runtime import Runtime
from skyorder.services.agenda import Agenda
from skyorder.services.tasking_plan import TaskingPlanning
from skyorder.sim.backend import SimulatedBackend
from skyorder.sim.weather import WeatherModel
from skyorder.store import tables
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork
from tests.factories import order_body, place, tasking_item
from tests.tasking_fakes import FakeTaskingBackend

Tenant = dict[str, Any]
DAY = timedelta(days=1)
WINDOW_START = datetime(2026, 1, 6, tzinfo=UTC)
CACHE = EphemerisCache()
# About 45 x 22 km near Mar del Plata: wider than every demo swath.
WIDE = {
    "type": "Polygon",
    "coordinates": [
        [[-57.85, -38.05], [-57.35, -38.05], [-57.35, -37.85], [-57.85, -37.85], [-57.85, -38.05]]
    ],
}


def simulator(seed: int = 3) -> SimulatedBackend:
    return SimulatedBackend(
        load_constellation(), WeatherModel(seed), cache=CACHE, anomaly_rate=0.02, seed=seed
    )


class Played:
    """A runtime whose agenda runs the tasking steps with one backend."""

    def __init__(self, runtime: Runtime, backend: TaskingBackend) -> None:
        self.runtime = runtime
        self.planning = TaskingPlanning(backend)
        self.delivered: list[str] = []
        handlers = {
            StepKind.CAPTURE_ATTEMPT: self.planning.attempt,
            StepKind.ITEM_WINDOW_END: self.planning.window_end,
            StepKind.CAPTURE_DELIVER: self._deliver,
        }
        self.agenda = Agenda(runtime.uow, runtime.clock, handlers)

    def _deliver(self, uow: UnitOfWork, step: Step, now: datetime) -> None:
        self.delivered.append(step.entity_id)

    def principal(self, order: dict[str, Any]) -> Principal:
        return Principal(order["organisation_id"], "test")

    def fulfil(self, order: dict[str, Any]) -> None:
        """What ``order.fulfil`` does for tasking items."""
        with self.runtime.uow() as uow:
            found = uow.orders.get(self.principal(order), order["id"], for_update=True)
            assert found is not None
            now = self.runtime.clock.now()
            found.start(now)
            for item in found.items:
                self.planning.plan_item(uow, found, item, now)
            uow.orders.save(found)
            uow.commit()

    def advance(self, to: datetime) -> None:
        assert isinstance(self.runtime.clock, SandboxClock)
        self.agenda.advance(self.runtime.clock, to)

    def order(self, order: dict[str, Any]) -> Order:
        with self.runtime.uow(readonly=True) as uow:
            found = uow.orders.get(self.principal(order), order["id"])
        assert found is not None
        return found

    def captures(self, order: dict[str, Any]) -> list[Capture]:
        with self.runtime.uow(readonly=True) as uow:
            return uow.captures.of_item(self.principal(order), order["items"][0]["id"])

    def item_events(self, order: dict[str, Any]) -> list[dict[str, Any]]:
        with self.runtime.uow(readonly=True) as uow:
            rows = uow.connection.execute(
                select(tables.events.c.type, tables.events.c.details)
                .where(tables.events.c.entity_id == order["items"][0]["id"])
                .order_by(tables.events.c.timestamp)
            ).all()
        return [{"type": r.type, **(r.details or {})} for r in rows]


def ten_day_order(client: TestClient, tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    window = {"start": "2026-01-06T00:00:00Z", "end": "2026-01-16T00:00:00Z"}
    values: dict[str, Any] = {"window": window, "revisit_period": "P1D", "max_cloud_cover": 20}
    item = tasking_item(**{**values, **overrides})
    return place(client, tenant, order_body(item))


@pytest.fixture
def simulated(runtime: Runtime) -> Played:
    return Played(runtime, simulator())


def test_a_ten_day_daily_order_plays_out_with_cloud_failures_and_retries(
    client: TestClient, tenant: Tenant, simulated: Played
) -> None:
    order = ten_day_order(client, tenant)
    simulated.fulfil(order)
    simulated.advance(WINDOW_START + 10 * DAY + timedelta(hours=1))
    captures = simulated.captures(order)
    days = Counter((c.start - WINDOW_START) // DAY for c in captures)
    assert max(days.values()) == 1  # at most one attempt per revisit period
    failed = [c for c in captures if c.status is CaptureStatus.FAILED]
    collected = [c for c in captures if c.status is CaptureStatus.COLLECTED]
    assert any(
        c.latest_event is not None
        and c.latest_event.details["reason"].startswith("cloud cover ")
        and c.latest_event.details["reason"].endswith("% above the 20% maximum")
        for c in failed
    )
    assert collected and len(failed) + len(collected) == len(captures)
    first_failure = min(c.start for c in failed)
    assert any(c.start > first_failure for c in captures)  # retried after a failure
    assert sorted(simulated.delivered) == sorted(c.id for c in collected)
    found = simulated.order(order)
    expected = ItemStatus.COMPLETED if len(collected) == 10 else ItemStatus.PARTIALLY_COMPLETED
    assert found.items[0].status is expected
    assert found.status is (
        OrderStatus.COMPLETED
        if expected is ItemStatus.COMPLETED
        else OrderStatus.PARTIALLY_COMPLETED
    )


def test_a_failed_attempt_records_the_measured_cloud_cover(
    client: TestClient, tenant: Tenant, simulated: Played
) -> None:
    order = ten_day_order(client, tenant)
    simulated.fulfil(order)
    simulated.advance(WINDOW_START + 10 * DAY + timedelta(hours=1))
    cloudy = [
        c
        for c in simulated.captures(order)
        if c.latest_event is not None and "cloud cover" in c.latest_event.details.get("reason", "")
    ]
    assert cloudy and all(c.cloud_cover is not None and c.cloud_cover > 20 for c in cloudy)


def test_a_polygon_wider_than_the_swath_is_planned_as_several_strips(
    client: TestClient, tenant: Tenant, simulated: Played
) -> None:
    order = place(client, tenant, order_body(tasking_item(aoi=WIDE, revisit_period=None)))
    simulated.fulfil(order)
    captures = simulated.captures(order)
    assert len(captures) > 1
    assert sorted(c.strip for c in captures) == list(range(captures[0].strips))
    assert all(c.status is CaptureStatus.SCHEDULED for c in captures)
    assert all(
        c.latest_event is not None and c.latest_event.type == "CaptureScheduled" for c in captures
    )


def test_planned_captures_carry_their_pass_geometry(
    client: TestClient, tenant: Tenant, simulated: Played
) -> None:
    order = ten_day_order(client, tenant)
    simulated.fulfil(order)
    (capture,) = simulated.captures(order)
    assert capture.start >= WINDOW_START and capture.end > capture.start
    assert capture.ground_track is not None
    assert all(len(c) == 3 and c[2] > 300_000 for c in capture.ground_track["coordinates"])
    g = capture.geometry
    assert g.max_absolute_off_nadir is not None and g.max_absolute_off_nadir <= 30
    assert g.min_sun_elevation is not None and g.min_sun_elevation > 0


def test_planning_an_item_twice_adds_nothing(
    client: TestClient, tenant: Tenant, simulated: Played
) -> None:
    order = ten_day_order(client, tenant)
    simulated.fulfil(order)
    simulated.fulfil(order)
    assert len(simulated.captures(order)) == 1


def test_a_failed_attempt_is_retried_until_collected(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    fake = FakeTaskingBackend([Failed("cloud cover 80% above the 20% maximum", 80.0)])
    played = Played(runtime, fake)
    order = ten_day_order(client, tenant, revisit_period=None)
    played.fulfil(order)
    played.advance(WINDOW_START + 10 * DAY + timedelta(hours=1))
    assert [c.status for c in played.captures(order)] == [
        CaptureStatus.FAILED,
        CaptureStatus.COLLECTED,
    ]
    assert played.order(order).items[0].status is ItemStatus.COMPLETED
    assert played.order(order).status is OrderStatus.COMPLETED


def test_an_item_with_nothing_collected_expires_and_the_order_fails(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    fake = FakeTaskingBackend([Failed("satellite anomaly")] * 20)
    played = Played(runtime, fake)
    order = ten_day_order(client, tenant)
    played.fulfil(order)
    played.advance(WINDOW_START + 10 * DAY + timedelta(hours=1))
    found = played.order(order)
    assert len(played.captures(order)) == 10
    assert (found.items[0].status, found.status) == (ItemStatus.EXPIRED, OrderStatus.FAILED)
    assert played.item_events(order)[-1]["type"] == "OrderItemExpired"


def test_a_recurring_item_is_planned_and_judged_per_occurrence(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    fake = FakeTaskingBackend([Failed("cloud")] * 2)
    played = Played(runtime, fake)
    window = {"start": "2026-01-06T00:00:00Z", "end": "2026-01-08T00:00:00Z"}
    item = tasking_item(
        window=window, revisit_period=None, recurrence={"kind": "WEEKLY", "occurrences": 2}
    )
    order = place(client, tenant, order_body(item))
    played.fulfil(order)
    assert len(played.captures(order)) == 1  # only the first occurrence is planned
    played.advance(WINDOW_START + 16 * DAY)
    starts = [c.start for c in played.captures(order)]
    assert [s.date().isoformat() for s in starts] == ["2026-01-06", "2026-01-07", "2026-01-13"]
    ended = [e for e in played.item_events(order) if e["type"] == "OrderItemOccurrenceEnded"]
    assert [(e["occurrence"], e["status"]) for e in ended] == [(0, "expired"), (1, "completed")]
    assert played.order(order).items[0].status is ItemStatus.PARTIALLY_COMPLETED


def test_cancelling_an_order_cancels_its_attempts_to_come(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    fake = FakeTaskingBackend()
    played = Played(runtime, fake)
    order = place(client, tenant, order_body(tasking_item(aoi=WIDE, revisit_period=None)))
    played.fulfil(order)
    response = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert response.status_code == 200, response.text
    played.advance(WINDOW_START + 20 * DAY)
    captures = played.captures(order)
    assert captures and all(c.status is CaptureStatus.CANCELLED for c in captures)
    assert fake.decided == []


def test_a_rush_attempt_displaces_a_standard_capture_which_is_planned_again(
    client: TestClient, tenant: Tenant, simulated: Played
) -> None:
    standard = ten_day_order(client, tenant, priority="standard", product="TSKSTD-M.NN.NN")
    simulated.fulfil(standard)
    (first,) = simulated.captures(standard)
    rush = ten_day_order(client, tenant)
    simulated.fulfil(rush)
    (taken,) = simulated.captures(rush)
    assert (taken.satellite, taken.start) == (first.satellite, first.start)
    bumped = simulated.captures(standard)
    assert bumped[0].status is CaptureStatus.FAILED
    assert bumped[0].latest_event is not None
    assert bumped[0].latest_event.details["reason"].startswith("conflict")
    assert len(bumped) == 2 and bumped[1].status is CaptureStatus.SCHEDULED


def test_an_item_fulfilled_after_its_window_expires_at_once(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    played = Played(runtime, FakeTaskingBackend())
    order = ten_day_order(client, tenant)
    played.advance(WINDOW_START + 11 * DAY)
    played.fulfil(order)
    played.advance(WINDOW_START + 11 * DAY + timedelta(minutes=1))
    assert played.captures(order) == []
    assert played.order(order).items[0].status is ItemStatus.EXPIRED


def test_an_item_without_its_own_off_nadir_limit_keeps_to_its_products(
    client: TestClient, tenant: Tenant, simulated: Played, runtime: Runtime
) -> None:
    order = ten_day_order(
        client, tenant, product="TSKSTD-M.NN.NN", priority="standard", max_off_nadir=None,
        max_cloud_cover=100,
    )
    with runtime.uow(readonly=True) as uow:
        limit = uow.products.all()[order["items"][0]["product"]].max_off_nadir
    simulated.fulfil(order)
    simulated.advance(WINDOW_START + 10 * DAY + timedelta(hours=1))
    captures = simulated.captures(order)
    assert len(captures) >= 10
    # The sensor may point further (40°); the product promises at most its own limit.
    assert max(c.geometry.max_absolute_off_nadir or 0.0 for c in captures) <= limit
