"""The webhook outbox: every event saved becomes deliveries in the same transaction.

``insert_events`` calls :func:`fan_out` for each batch it writes, so no path that
records an event can forget its webhooks, and a process that dies after the commit
loses nothing: the deliveries and their agenda steps are already in the database.
Which subscriptions get an event is the core's rule (:func:`~skyorder.core.webhooks.matching`);
the first attempts are scheduled through the agenda's own API.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from skyorder.core.events import Event
from skyorder.core.ids import new_id
from skyorder.core.steps import StepKind
from skyorder.core.webhooks import (
    Delivery,
    DeliveryStatus,
    SubscriptionFilter,
    event_body,
    matching,
)
from skyorder.store import tables as t
from skyorder.store.repositories.agenda import AgendaRepository


def delivery_row(d: Delivery, at: datetime) -> dict[str, Any]:
    """A new delivery as a ``webhook_deliveries`` row."""
    return {
        "id": d.id,
        "organisation_id": d.organisation_id,
        "subscription_id": d.subscription_id,
        "event_id": d.event_id,
        "event_type": d.event_type,
        "body": d.body,
        "status": d.status.value,
        "attempts": [a.to_json() for a in d.attempts],
        "next_attempt_at": d.next_attempt_at,
        "delivered_at": d.delivered_at,
        "created_at": d.created_at,
        "updated_at": at,
    }


_subs = t.webhook_subscriptions
_SUBSCRIPTIONS = select(
    _subs.c.id, _subs.c.organisation_id, _subs.c.event_types, _subs.c.enabled
).where(_subs.c.organisation_id.in_(bindparam("organisations", expanding=True)))
"""Built once (read at every event written): building and keying it cost more than running it."""


def subscription_filters(
    conn: Connection, organisations: Sequence[str]
) -> list[SubscriptionFilter]:
    """The subscriptions of ``organisations``, enabled or not, as the fan-out reads them."""
    rows = conn.execute(_SUBSCRIPTIONS, {"organisations": list(organisations)}).all()
    return [
        SubscriptionFilter(
            id=row.id,
            organisation_id=row.organisation_id,
            event_types=tuple(row.event_types) if row.event_types is not None else None,
            enabled=bool(row.enabled),
        )
        for row in rows
    ]


def fan_out(conn: Connection, events: Sequence[Event]) -> int:
    """Create a delivery (and a due ``webhook.deliver`` step) per matching subscription.

    One indexed query per batch reads the subscriptions of the events' organisations;
    :func:`~skyorder.core.webhooks.matching` picks each event's. Returns how many
    deliveries were made.
    """
    organisations = sorted({e.organisation_id for e in events})
    if not organisations:
        return 0
    subscriptions = subscription_filters(conn, organisations)
    if not subscriptions:
        return 0
    deliveries: list[Delivery] = []
    for event in events:
        chosen = matching(subscriptions, event)
        body = event_body(event) if chosen else ""
        deliveries += [
            Delivery(
                id=new_id(),
                organisation_id=event.organisation_id,
                subscription_id=s.id,
                event_id=event.id,
                event_type=event.type,
                body=body,
                status=DeliveryStatus.PENDING,
                created_at=event.timestamp,
                next_attempt_at=event.timestamp,
            )
            for s in chosen
        ]
    if deliveries:
        conn.execute(
            t.webhook_deliveries.insert(), [delivery_row(d, d.created_at) for d in deliveries]
        )
        agenda = AgendaRepository(conn)
        for organisation_id in organisations:  # each runs on its organisation's time
            own = [d for d in deliveries if d.organisation_id == organisation_id]
            if own:
                agenda.schedule_new(
                    StepKind.WEBHOOK_DELIVER,
                    [(d.id, d.created_at) for d in own],
                    max(d.created_at for d in own),
                    organisation_id,
                )
    return len(deliveries)
