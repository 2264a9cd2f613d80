"""Events: every state change of an entity is recorded as one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from skyorder.core.ids import new_id


class EntityType(StrEnum):
    """The kinds of entity that emit events."""

    ORDER = "order"
    ITEM = "item"
    CAPTURE = "capture"
    DELIVERABLE = "deliverable"
    COLLECTION = "collection"
    CATALOG_ITEM = "catalog_item"


@dataclass(frozen=True)
class Event:
    """One thing that happened to one entity."""

    id: str
    organisation_id: str
    entity_type: EntityType
    entity_id: str
    order_id: str | None
    type: str
    details: dict[str, Any]
    message: str
    timestamp: datetime

    def summary(self) -> dict[str, Any]:
        """The ``latest_event`` shape each entity carries."""
        return {
            "id": self.id,
            "type": self.type,
            "details": self.details,
            "message": self.message,
            "timestamp": self.timestamp,
        }


def make_event(
    *,
    organisation_id: str,
    entity_type: EntityType,
    entity_id: str,
    order_id: str | None,
    order_number: str | None,
    type: str,
    at: datetime,
    details: dict[str, Any] | None = None,
) -> Event:
    """Create an event with the conventional message ``<Type> event occurred for order N``."""
    subject = f"order {order_number}" if order_number else f"{entity_type.value} {entity_id}"
    return Event(
        id=new_id(),
        organisation_id=organisation_id,
        entity_type=entity_type,
        entity_id=entity_id,
        order_id=order_id,
        type=type,
        details=dict(details or {}),
        message=f"{type} event occurred for {subject}",
        timestamp=at,
    )


@dataclass(kw_only=True)
class EventSource:
    """Mixin state for an aggregate that records events until they are saved."""

    pending_events: list[Event] = field(default_factory=list, repr=False, compare=False)
    latest_event: Event | None = field(default=None, compare=False)

    def record(self, event: Event) -> None:
        """Queue an event for saving and make it the entity's latest."""
        self.pending_events.append(event)
        self.latest_event = event
