"""The event log."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.engine import Connection

from skyorder.core.events import EntityType, Event
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import apply_conditions, insert_events, page_rows, scoped

EVENT_COLUMNS = {
    "type": t.events.c.type,
    "entity": t.events.c.entity_type,
    "entity_id": t.events.c.entity_id,
    "order_id": t.events.c.order_id,
    "timestamp": t.events.c.timestamp,
}


def _event(row: Row[Any]) -> Event:
    return Event(
        id=row.id,
        organisation_id=row.organisation_id,
        entity_type=EntityType(row.entity_type),
        entity_id=row.entity_id,
        order_id=row.order_id,
        type=row.type,
        details=dict(row.details or {}),
        message=row.message,
        timestamp=row.timestamp,
    )


class EventRepository:
    """Reads the event log; every read is scoped to the caller's organisation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, events: builtins.list[Event]) -> None:
        """Record events that belong to no aggregate saved with them (catalogue writes)."""
        insert_events(self.conn, events)

    def readable(self, principal: Principal) -> Any:
        """The one statement every event read starts from.

        Under a contract, the events of that contract's orders and the
        organisation's events that concern no order (its catalogue writes).
        """
        stmt = select(t.events).where(scoped(t.events, principal))
        if principal.contract_id is not None:
            stmt = stmt.where(
                or_(
                    t.events.c.order_id.is_(None),
                    t.events.c.order_id.in_(
                        select(t.orders.c.id).where(t.orders.c.contract_id == principal.contract_id)
                    ),
                )
            )
        return stmt

    def list(
        self, principal: Principal, query: ListQuery, order_id: str | None = None
    ) -> PageResult[Event]:
        """One page of events, oldest first (the order they happened in)."""
        stmt = apply_conditions(self.readable(principal), EVENT_COLUMNS, query)
        if order_id is not None:
            stmt = stmt.where(t.events.c.order_id == order_id)
        total, rows = page_rows(self.conn, stmt, query, t.events.c.timestamp, t.events.c.pk)
        return PageResult(total, [_event(r) for r in rows], query.limit, query.offset)

    def types_for(self, principal: Principal, entity_id: str) -> builtins.list[str]:
        """The types of an entity's events, oldest first."""
        stmt = (
            self.readable(principal)
            .with_only_columns(t.events.c.type)
            .where(t.events.c.entity_id == entity_id)
            .order_by(t.events.c.timestamp, t.events.c.pk)
        )
        return [str(v) for v in self.conn.execute(stmt).scalars()]
