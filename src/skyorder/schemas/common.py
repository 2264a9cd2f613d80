"""Shapes every resource shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from skyorder.core.events import Event

T = TypeVar("T")


class EventSummary(BaseModel):
    """The ``latest_event`` every entity carries."""

    id: str
    type: str
    details: dict[str, Any]
    message: str
    timestamp: datetime

    @classmethod
    def of(cls, event: Event | None) -> EventSummary | None:
        """Render an event, or None."""
        if event is None:
            return None
        return cls(
            id=event.id,
            type=event.type,
            details=event.details,
            message=event.message,
            timestamp=event.timestamp,
        )


def event_summary_json(event: Event | None) -> dict[str, Any] | None:
    """``EventSummary.of(event)`` as a dict (for lists rendered without models)."""
    if event is None:
        return None
    return {
        "id": event.id,
        "type": event.type,
        "details": event.details,
        "message": event.message,
        "timestamp": event.timestamp,
    }


class EventOut(EventSummary):
    """An event in the event log."""

    entity_type: str
    entity_id: str
    order_id: str | None

    @classmethod
    def from_event(cls, e: Event) -> EventOut:
        """Render one event."""
        return cls(
            id=e.id,
            type=e.type,
            details=e.details,
            message=e.message,
            timestamp=e.timestamp,
            entity_type=e.entity_type.value,
            entity_id=e.entity_id,
            order_id=e.order_id,
        )


class Page(BaseModel, Generic[T]):
    """One page of a list: total matches, links to neighbouring pages, results."""

    count: int
    next: str | None
    previous: str | None
    results: list[T]


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] = []
