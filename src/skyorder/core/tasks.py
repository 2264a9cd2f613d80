"""Tasks: the units of work an order item is carried out (and paid for) in.

A tasking item has one task per occurrence (its own window); an archive item has one
task per image it buys. A task is created with its item and follows it:

    REQUESTED ─▶ CREATED ─▶ IN_PROGRESS ─▶ FULFILLED | PARTIALLY_FULFILLED | EXPIRED | FAILED
        └──────────┴────────────┴──────▶ CANCELED

- ``REQUESTED``: the item is placed (awaiting payment, or its occurrence still to come);
- ``CREATED``: the item is accepted and the task's attempts are booked or its window has
  begun (an archive task: at acceptance); a recurring item's task is transacted for now,
  on its own;
- ``IN_PROGRESS``: an attempt was made (archive: its product is being made);
- at the occurrence's end the task is judged as its occurrence was (every wanted strip
  collected → fulfilled, some → partially fulfilled, none → expired); an archive task is
  fulfilled when its item completes and failed when its item fails;
- a cancelled item cancels its open tasks. ``DRAFT`` is the state of a draft item's tasks.

Everything here is pure: ``target_status`` decides where a task should be from its item's
state and its occurrence's outcome; the services persist the move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from skyorder.core.ids import new_id
from skyorder.core.orders import ItemStatus, Order, OrderItem
from skyorder.core.recurrence import item_occurrences
from skyorder.core.states import StateMachine
from skyorder.core.users import Actor


class TaskStatus(StrEnum):
    """Where one task stands (the values are Pixxel's)."""

    DRAFT = "DRAFT"
    REQUESTED = "REQUESTED"
    CREATED = "CREATED"
    IN_PROGRESS = "IN_PROGRESS"
    FULFILLED = "FULFILLED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"


class TaskKind(StrEnum):
    """What a task does: capture new imagery or deliver an archive image."""

    ARCHIVE = "ARCHIVE"
    TASKING = "TASKING"


_ENDS = frozenset(
    {
        TaskStatus.FULFILLED,
        TaskStatus.PARTIALLY_FULFILLED,
        TaskStatus.FAILED,
        TaskStatus.EXPIRED,
        TaskStatus.CANCELED,
    }
)

TASK_STATES: StateMachine[TaskStatus] = StateMachine(
    "task",
    {
        TaskStatus.DRAFT: frozenset({TaskStatus.REQUESTED, TaskStatus.CANCELED}),
        TaskStatus.REQUESTED: frozenset({TaskStatus.CREATED, TaskStatus.IN_PROGRESS} | _ENDS),
        TaskStatus.CREATED: frozenset({TaskStatus.IN_PROGRESS} | _ENDS),
        TaskStatus.IN_PROGRESS: _ENDS,
    },
)

_ORDER = list(TaskStatus)


@dataclass(kw_only=True)
class Task:
    """One task of an order item."""

    id: str
    organisation_id: str
    order_id: str
    item_id: str
    position: int
    """The occurrence index (tasking) or the image index (archive)."""
    kind: TaskKind
    start: datetime | None
    end: datetime | None
    status: TaskStatus
    number_of_strips: int | None = None
    tokens_used: int | None = None
    transaction_id: str | None = None
    delivery_status: str | None = None
    """``SUCCESSFUL`` or ``FAILED`` once pushed to a bucket; None without automated delivery."""
    created_by: Actor | None = None
    updated_by: Actor | None = None
    created_at: datetime
    updated_at: datetime

    def move(self, target: TaskStatus, at: datetime, by: Actor | None = None) -> bool:
        """Move to ``target`` if it is later in the lifecycle and allowed; say if it moved."""
        if target is self.status or TASK_STATES.is_terminal(self.status):
            return False
        if _ORDER.index(target) < _ORDER.index(self.status) and target not in _ENDS:
            return False
        TASK_STATES.check(self.status, target)
        self.status = target
        self.updated_at = at
        self.updated_by = by or self.updated_by
        return True

    @property
    def is_open(self) -> bool:
        """Whether the task has not ended."""
        return not TASK_STATES.is_terminal(self.status)


def new_tasks(order: Order, item: OrderItem, at: datetime) -> list[Task]:
    """The tasks an item is carried out in: one per occurrence, or one per archive image."""
    by = item.created_by or order.created_by
    if item.tasking is not None:
        windows: list[tuple[datetime | None, datetime | None]] = [
            (o.start, o.end) for o in item_occurrences(item.tasking)
        ]
        kind = TaskKind.TASKING
    else:
        windows = [(None, None)] * max(1, len(item.images))
        kind = TaskKind.ARCHIVE
    return [
        Task(
            id=new_id(),
            organisation_id=order.organisation_id,
            order_id=order.id,
            item_id=item.id,
            position=i,
            kind=kind,
            start=start,
            end=end,
            status=TaskStatus.REQUESTED,
            created_by=by,
            updated_by=by,
            created_at=at,
            updated_at=at,
        )
        for i, (start, end) in enumerate(windows)
    ]


_VERDICT = {
    ItemStatus.COMPLETED: TaskStatus.FULFILLED,
    ItemStatus.PARTIALLY_COMPLETED: TaskStatus.PARTIALLY_FULFILLED,
    ItemStatus.EXPIRED: TaskStatus.EXPIRED,
    ItemStatus.FAILED: TaskStatus.FAILED,
}


@dataclass(frozen=True)
class TaskProgress:
    """What is known of a task's work besides its item's status.

    Attributes:
        planned: Attempts are booked in the task's window (archive: its product is ordered).
        attempted: An attempt was made in the task's window (archive: its product is being
            made).
        verdict: How the task's occurrence ended (completed, partially completed, expired),
            once it has; for an archive task, its item's final status.
    """

    planned: bool = False
    attempted: bool = False
    verdict: ItemStatus | None = None


def target_status(task: Task, item: OrderItem, progress: TaskProgress, now: datetime) -> TaskStatus:
    """Where ``task`` should stand now, from its item's state and its own progress."""
    if item.status is ItemStatus.CANCELLED:
        return TaskStatus.CANCELED
    if progress.verdict is not None:
        return _VERDICT.get(progress.verdict, TaskStatus.FAILED)
    if item.status is ItemStatus.PENDING:
        return TaskStatus.REQUESTED
    if item.status is not ItemStatus.ACTIVE:
        # The item ended without a verdict for this task (e.g. failed before its window).
        return _VERDICT.get(item.status, TaskStatus.FAILED)
    if progress.attempted:
        return TaskStatus.IN_PROGRESS
    if progress.planned or task.start is None or task.start <= now:
        return TaskStatus.CREATED
    return TaskStatus.REQUESTED


def share(total: int, parts: int, index: int) -> int:
    """Part ``index`` of ``total`` split into ``parts`` whole shares (the first get the rest)."""
    return total // parts + (1 if index < total % parts else 0)


@dataclass(frozen=True)
class ItemMoney:
    """What the ledger holds about one item.

    Attributes:
        held: Still held for it.
        spent: Charged or paid for it (less what was given back).
        transaction_id: The first transaction that set money aside for it (a hold, a
            charge or a checkout payment); None while nothing was.
        last_spent_at: When its spent amount last changed (a charge, a payment owed, a
            refund); None while it never did.
    """

    held: int = 0
    spent: int = 0
    transaction_id: str | None = None
    last_spent_at: datetime | None = None


PUSHED, PUSH_FAILED = "DeliverablePushed", "DeliverablePushFailed"


def push_outcome(event_types: list[str]) -> str | None:
    """A deliverable's push, from its event types: pushed, given up, or still under way."""
    if PUSH_FAILED in event_types:
        return "FAILED"
    return "SUCCESSFUL" if PUSHED in event_types else None


def delivery_status(outcomes: list[str | None]) -> str | None:
    """A task's automated delivery: FAILED if a push failed, SUCCESSFUL once all pushed."""
    if "FAILED" in outcomes:
        return "FAILED"
    if outcomes and all(o == "SUCCESSFUL" for o in outcomes):
        return "SUCCESSFUL"
    return None
