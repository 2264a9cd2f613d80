"""The webhook outbox: every event saved becomes deliveries in the same transaction.

``insert_events`` calls :func:`fan_out` for each batch it writes, so no path that
records an event can forget its webhooks, and a process that dies after the commit
loses nothing: the deliveries and their agenda steps are already in the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, true
from sqlalchemy.engine import Connection

from skyorder.core.events import Event
from skyorder.core.ids import new_id
from skyorder.core.webhooks import DELIVER_STEP, DeliveryStatus, event_body
from skyorder.store import tables as t
from skyorder.store.repositories.agenda import DUE


def fan_out(conn: Connection, events: Sequence[Event]) -> int:
    """Create a delivery (and a due ``webhook.deliver`` step) per matching subscription.

    One indexed query per batch finds the enabled subscriptions of the events'
    organisations; type filters are matched here. Returns how many deliveries were made.
    """
    subs = t.webhook_subscriptions
    organisations = sorted({e.organisation_id for e in events})
    if not organisations:
        return 0
    rows = conn.execute(
        select(subs.c.id, subs.c.organisation_id, subs.c.event_types).where(
            subs.c.organisation_id.in_(organisations), subs.c.enabled == true()
        )
    ).all()
    if not rows:
        return 0
    deliveries: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for event in events:
        body: str | None = None
        for row in rows:
            if row.organisation_id != event.organisation_id:
                continue
            if row.event_types is not None and event.type not in row.event_types:
                continue
            body = body or event_body(event)
            delivery_id = new_id()
            deliveries.append(
                {
                    "id": delivery_id,
                    "organisation_id": event.organisation_id,
                    "subscription_id": row.id,
                    "event_id": event.id,
                    "event_type": event.type,
                    "body": body,
                    "status": DeliveryStatus.PENDING.value,
                    "attempts": [],
                    "next_attempt_at": event.timestamp,
                    "delivered_at": None,
                    "created_at": event.timestamp,
                    "updated_at": event.timestamp,
                }
            )
            steps.append(
                {
                    "kind": DELIVER_STEP,
                    "entity_id": delivery_id,
                    "due_at": event.timestamp,
                    "attempt": 0,
                    "state": DUE,
                    "created_at": event.timestamp,
                }
            )
    if deliveries:
        conn.execute(t.webhook_deliveries.insert(), deliveries)
        conn.execute(t.agenda.insert(), steps)
    return len(deliveries)
