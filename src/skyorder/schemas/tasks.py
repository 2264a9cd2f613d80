"""Native wire models of order items' tasks (``GET /v1/items/{id}/tasks``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from skyorder.core.tasks import Task
from skyorder.core.users import Actor


def _who(actor: Actor | None) -> str | None:
    return actor.client_id if actor is not None else None


class TaskOut(BaseModel):
    """One task: an occurrence of a tasking item, or an image of an archive item."""

    id: str
    order_id: str
    item_id: str
    position: int
    kind: str
    status: str
    start: datetime | None
    end: datetime | None
    number_of_strips: int | None
    tokens_used: int | None
    transaction_id: str | None
    delivery_status: str | None
    created_at: datetime
    updated_at: datetime
    created_by: str | None
    updated_by: str | None

    @classmethod
    def of(cls, task: Task) -> TaskOut:
        """Render a task."""
        return cls(
            id=task.id,
            order_id=task.order_id,
            item_id=task.item_id,
            position=task.position,
            kind=task.kind.value,
            status=task.status.value,
            start=task.start,
            end=task.end,
            number_of_strips=task.number_of_strips,
            tokens_used=task.tokens_used,
            transaction_id=task.transaction_id,
            delivery_status=task.delivery_status,
            created_at=task.created_at,
            updated_at=task.updated_at,
            created_by=_who(task.created_by),
            updated_by=_who(task.updated_by),
        )
