"""Webhook subscriptions and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, delete, select, update
from sqlalchemy.engine import Connection

from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.steps import StepKind
from skyorder.core.tenants import Principal
from skyorder.core.webhooks import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Subscription,
)
from skyorder.store import tables as t
from skyorder.store.repositories.agenda import AgendaRepository
from skyorder.store.repositories.base import apply_conditions, page_rows, scoped
from skyorder.store.sealing import SecretSealer
from skyorder.store.webhook_outbox import delivery_row

SUBS = t.webhook_subscriptions
DELIVERIES = t.webhook_deliveries

DELIVERY_COLUMNS = {
    "status": DELIVERIES.c.status,
    "event_type": DELIVERIES.c.event_type,
    "created_at": DELIVERIES.c.created_at,
}


def _subscription(row: Row[Any], sealer: SecretSealer) -> Subscription:
    return Subscription(
        id=row.id,
        organisation_id=row.organisation_id,
        url=row.url,
        event_types=list(row.event_types) if row.event_types is not None else None,
        description=row.description,
        enabled=bool(row.enabled),
        secret=sealer.unseal(row.secret),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _subscription_values(s: Subscription, sealer: SecretSealer) -> dict[str, Any]:
    return {
        "url": s.url,
        "event_types": s.event_types,
        "description": s.description,
        "enabled": s.enabled,
        "secret": sealer.seal(s.secret),
        "updated_at": s.updated_at,
    }


def _delivery(row: Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        organisation_id=row.organisation_id,
        subscription_id=row.subscription_id,
        event_id=row.event_id,
        event_type=row.event_type,
        body=row.body,
        status=DeliveryStatus(row.status),
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        attempts=[Attempt.from_json(a) for a in row.attempts or []],
        delivered_at=row.delivered_at,
    )


class WebhookRepository:
    """Subscriptions are read and written for the caller's organisation only.

    The agenda's delivery job, which acts for the platform rather than a caller,
    reads a delivery by the id its step carries (:meth:`for_work`).
    """

    def __init__(self, conn: Connection, sealer: SecretSealer) -> None:
        self.conn = conn
        self.sealer = sealer
        """Seals signing secrets on the way in, opens them on the way out."""

    def readable(self, principal: Principal) -> Select[Any]:
        """The one statement every subscription read starts from (organisation-wide)."""
        return select(SUBS).where(scoped(SUBS, principal))

    def add(self, s: Subscription) -> None:
        """Save a new subscription."""
        values = _subscription_values(s, self.sealer)
        values.update(id=s.id, organisation_id=s.organisation_id, created_at=s.created_at)
        self.conn.execute(SUBS.insert(), values)

    def get(self, principal: Principal, subscription_id: str) -> Subscription | None:
        """One of the caller's subscriptions."""
        row = self.conn.execute(
            self.readable(principal).where(SUBS.c.id == subscription_id)
        ).first()
        return _subscription(row, self.sealer) if row else None

    def list(self, principal: Principal, query: ListQuery) -> PageResult[Subscription]:
        """One page of the caller's subscriptions, oldest first."""
        total, rows = page_rows(self.conn, self.readable(principal), query, SUBS.c.pk)
        return PageResult(
            total, [_subscription(r, self.sealer) for r in rows], query.limit, query.offset
        )

    def update(self, principal: Principal, s: Subscription) -> None:
        """Write a subscription's changed fields."""
        self.conn.execute(
            update(SUBS)
            .where(scoped(SUBS, principal), SUBS.c.id == s.id)
            .values(**_subscription_values(s, self.sealer))
        )

    def delete(self, principal: Principal, subscription_id: str) -> bool:
        """Remove a subscription and its delivery log; pending deliveries stop."""
        if self.get(principal, subscription_id) is None:
            return False
        self.conn.execute(delete(DELIVERIES).where(DELIVERIES.c.subscription_id == subscription_id))
        self.conn.execute(delete(SUBS).where(scoped(SUBS, principal), SUBS.c.id == subscription_id))
        return True

    def deliveries(
        self, principal: Principal, subscription_id: str, query: ListQuery
    ) -> PageResult[Delivery]:
        """One page of a subscription's deliveries, newest first."""
        stmt = select(DELIVERIES).where(
            scoped(DELIVERIES, principal), DELIVERIES.c.subscription_id == subscription_id
        )
        stmt = apply_conditions(stmt, DELIVERY_COLUMNS, query)
        total, rows = page_rows(self.conn, stmt, query, DELIVERIES.c.pk.desc())
        return PageResult(total, [_delivery(r) for r in rows], query.limit, query.offset)

    def add_delivery(self, d: Delivery, at: datetime) -> None:
        """Save a delivery made outside the event fan-out and schedule its first attempt."""
        self.conn.execute(DELIVERIES.insert(), delivery_row(d, at))
        if d.next_attempt_at is not None:
            AgendaRepository(self.conn).schedule(
                StepKind.WEBHOOK_DELIVER, d.id, d.next_attempt_at, at, d.organisation_id
            )

    def for_work(self, delivery_id: str) -> tuple[Delivery, Subscription] | None:
        """A delivery and its subscription, for the agenda job that sends it."""
        row = self.conn.execute(select(DELIVERIES).where(DELIVERIES.c.id == delivery_id)).first()
        if row is None:
            return None
        sub = self.conn.execute(select(SUBS).where(SUBS.c.id == row.subscription_id)).first()
        if sub is None:
            return None
        return _delivery(row), _subscription(sub, self.sealer)

    def save_delivery(self, d: Delivery, at: datetime) -> None:
        """Write a delivery's outcome and, while it is pending, schedule its next attempt."""
        self.conn.execute(
            update(DELIVERIES)
            .where(DELIVERIES.c.id == d.id)
            .values(
                status=d.status.value,
                attempts=[a.to_json() for a in d.attempts],
                next_attempt_at=d.next_attempt_at,
                delivered_at=d.delivered_at,
                updated_at=at,
            )
        )
        if d.status is DeliveryStatus.PENDING and d.next_attempt_at is not None:
            AgendaRepository(self.conn).schedule(
                StepKind.WEBHOOK_DELIVER, d.id, d.next_attempt_at, at, d.organisation_id
            )
