"""Order items' tasks (``order_tasks``): one per occurrence or archive image."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from skyorder.core.tasks import Task, TaskKind, TaskStatus
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import actor_columns, actor_from, scoped


def _state(task: Task) -> dict[str, Any]:
    return {
        "status": task.status.value,
        "number_of_strips": task.number_of_strips,
        "tokens_used": task.tokens_used,
        "transaction_id": task.transaction_id,
        "delivery_status": task.delivery_status,
        "updated_at": task.updated_at,
        **actor_columns("updated", task.updated_by),
    }


def _task_from(row: Row[Any]) -> Task:
    return Task(
        id=row.id,
        organisation_id=row.organisation_id,
        order_id=row.order_id,
        item_id=row.item_id,
        position=row.position,
        kind=TaskKind(row.kind),
        start=row.start,
        end=row.end,
        status=TaskStatus(row.status),
        number_of_strips=row.number_of_strips,
        tokens_used=row.tokens_used,
        transaction_id=row.transaction_id,
        delivery_status=row.delivery_status,
        created_by=actor_from(row, "created"),
        updated_by=actor_from(row, "updated"),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class TaskRepository:
    """Reads and writes tasks; reads are scoped to the caller's organisation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, tasks: Sequence[Task]) -> None:
        """Insert new tasks."""
        if not tasks:
            return
        self.conn.execute(
            t.order_tasks.insert(),
            [
                {
                    "id": task.id,
                    "organisation_id": task.organisation_id,
                    "order_id": task.order_id,
                    "item_id": task.item_id,
                    "position": task.position,
                    "kind": task.kind.value,
                    "start": task.start,
                    "end": task.end,
                    "created_at": task.created_at,
                    **actor_columns("created", task.created_by),
                    **_state(task),
                }
                for task in tasks
            ],
        )

    def save(self, task: Task) -> None:
        """Write a task's changed state."""
        self.conn.execute(
            update(t.order_tasks).where(t.order_tasks.c.id == task.id).values(_state(task))
        )

    def of_order(self, principal: Principal, order_id: str) -> dict[str, list[Task]]:
        """An order's tasks by item id, in position order."""
        return self._by_item(principal, t.order_tasks.c.order_id == order_id)

    def of_items(self, principal: Principal, item_ids: Sequence[str]) -> dict[str, list[Task]]:
        """The tasks of several items by item id, in position order."""
        if not item_ids:
            return {}
        return self._by_item(principal, t.order_tasks.c.item_id.in_(list(item_ids)))

    def _by_item(self, principal: Principal, condition: Any) -> dict[str, list[Task]]:
        rows = self.conn.execute(
            select(t.order_tasks)
            .where(scoped(t.order_tasks, principal), condition)
            .order_by(t.order_tasks.c.item_id, t.order_tasks.c.position)
        ).all()
        out: dict[str, list[Task]] = defaultdict(list)
        for row in rows:
            out[row.item_id].append(_task_from(row))
        return dict(out)
