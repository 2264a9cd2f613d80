"""The outbox: events saved become deliveries and due steps, in the events' transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from skyorder.core.events import EntityType, Event, make_event
from skyorder.core.tenants import Principal
from skyorder.core.webhooks import DELIVER_STEP, SubscriptionSpec
from skyorder.runtime import Runtime
from skyorder.services.webhooks import create_subscription
from skyorder.store import tables
from skyorder.store.repositories.base import insert_events
from tests.conftest import T0

Tenant = dict[str, Any]


def _principal(tenant: Tenant) -> Principal:
    return Principal(tenant["organisation_id"], tenant["client_id"])


def _subscribe(runtime: Runtime, tenant: Tenant, **spec: Any) -> None:
    with runtime.uow() as uow:
        create_subscription(
            uow,
            runtime.clock,
            _principal(tenant),
            SubscriptionSpec(url="https://example.com/in", **spec),
            runtime.outbound,
        )
        uow.commit()


def _events(tenant: Tenant, count: int, type: str = "OrderAccepted") -> list[Event]:
    return [
        make_event(
            organisation_id=tenant["organisation_id"],
            entity_type=EntityType.ORDER,
            entity_id=f"order-{i}",
            order_id=None,
            order_number=None,
            type=type,
            at=T0,
        )
        for i in range(count)
    ]


def _count(runtime: Runtime, table: Any) -> int:
    with runtime.uow(readonly=True) as uow:
        return int(uow.connection.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def subscription_queries(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "webhook_subscriptions" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    yield seen
    event.remove(engine, "before_cursor_execute", listen)


def test_a_batch_of_events_costs_one_subscription_query(
    runtime: Runtime, tenant: Tenant, other_tenant: Tenant, subscription_queries: list[str]
) -> None:
    _subscribe(runtime, tenant)
    _subscribe(runtime, other_tenant)
    with runtime.uow() as uow:
        insert_events(uow.connection, _events(tenant, 30) + _events(other_tenant, 20))
        uow.commit()
    assert len(subscription_queries) == 1
    assert _count(runtime, tables.webhook_deliveries) == 50


def test_every_matching_subscription_gets_its_own_delivery_and_due_step(
    runtime: Runtime, tenant: Tenant
) -> None:
    _subscribe(runtime, tenant)
    _subscribe(runtime, tenant, event_types=["OrderAccepted"])
    _subscribe(runtime, tenant, event_types=["OrderCancelled"])
    with runtime.uow() as uow:
        insert_events(uow.connection, _events(tenant, 2))
        uow.commit()
    with runtime.uow(readonly=True) as uow:
        steps = uow.connection.execute(
            select(tables.agenda.c.kind, tables.agenda.c.state, tables.agenda.c.due_at)
        ).all()
    assert _count(runtime, tables.webhook_deliveries) == 4
    assert [tuple(s) for s in steps] == [(DELIVER_STEP, "due", T0)] * 4


def test_events_rolled_back_leave_no_delivery(runtime: Runtime, tenant: Tenant) -> None:
    _subscribe(runtime, tenant)
    with runtime.uow() as uow:
        insert_events(uow.connection, _events(tenant, 3))  # never committed
    assert _count(runtime, tables.webhook_deliveries) == 0
    assert _count(runtime, tables.agenda) == 0


def test_an_organisation_without_webhooks_gets_no_delivery(
    runtime: Runtime, tenant: Tenant, other_tenant: Tenant
) -> None:
    _subscribe(runtime, other_tenant)
    with runtime.uow() as uow:
        insert_events(uow.connection, _events(tenant, 3))
        uow.commit()
    assert _count(runtime, tables.webhook_deliveries) == 0
