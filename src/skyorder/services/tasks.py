"""Keeping an order's tasks in step with its items, and paying for recurring items task by task.

``sync_tasks`` is called, in the caller's transaction, wherever an order's items change:
placement, payment, cancellation, fulfilment, each capture attempt and each occurrence's
end. It makes the tasks an item lacks, moves each task to where its item and its
occurrence's captures put it (``core.tasks.target_status``), and settles money:

- a recurring item (several occurrences) is transacted for task by task: when a task is
  created (its occurrence planned) its share of the item's price is charged from the
  hold, in a transaction of its own; when its occurrence ends short, the share of the
  strips not collected is given back. The item's end then has nothing left to settle.
- any other item is settled at its end as before; its one task shows the item's tokens
  and the transaction that paid for it.

Doing it twice changes nothing: a task moves only forward and is charged once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from skyorder.core.captures import Capture, CaptureStatus
from skyorder.core.deliverables import Deliverable, DeliverableStatus
from skyorder.core.ledger import Entry, EntryKind, transaction
from skyorder.core.order_requests import parse_duration
from skyorder.core.orders import ItemStatus, Order, OrderItem, OrderStatus
from skyorder.core.recurrence import Occurrence
from skyorder.core.tasking_progress import OccurrenceVerdict, judge_occurrence
from skyorder.core.tasks import (
    Task,
    TaskProgress,
    TaskStatus,
    delivery_status,
    new_tasks,
    push_outcome,
    share,
    target_status,
)
from skyorder.core.tenants import ChargeOn, Contract, PaymentMode, Principal
from skyorder.services.statements import schedule_settlement
from skyorder.store.uow import UnitOfWork

WORKER = "system:tasks"


def is_per_task(item: OrderItem) -> bool:
    """Whether the item is paid for task by task (a tasking item of several occurrences)."""
    rec = item.tasking.recurrence if item.tasking is not None else None
    return rec is not None and rec.occurrences > 1


def _revisit(item: OrderItem) -> timedelta | None:
    period = item.tasking.revisit_period if item.tasking is not None else None
    return parse_duration(period, "revisit_period") if period else None


def open_tasks(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """Write a just-placed order's tasks, where they stand now, in one insert.

    Nothing has happened to the order yet, so nothing is read: placement stays one short
    write. Money is left to the next ``sync_tasks`` (at ``order.fulfil``).
    """
    tasks = []
    for item in order.items:
        made = new_tasks(order, item, order.created_at)
        for task in made:
            task.move(target_status(task, item, TaskProgress(), now), now)
        tasks.extend(made)
    uow.tasks.add(tasks)


def sync_tasks(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """Make, move and settle the order's tasks as its items now stand (idempotent)."""
    if order.status is OrderStatus.DRAFT:
        return  # a draft's tasks are made when it is submitted
    principal = Principal(order.organisation_id, WORKER)
    stored = uow.tasks.of_order(principal, order.id)
    contract: Contract | None = None
    for item in order.items:
        tasks = stored.get(item.id)
        if not tasks and item.validation_errors:
            continue  # a cancelled draft's item: never placed, no tasks
        if not tasks:
            tasks = new_tasks(order, item, order.created_at)
            uow.tasks.add(tasks)
        if is_per_task(item) and contract is None:
            contract = uow.tenants.get_contract(principal, order.contract_id)
        _sync_item(uow, principal, order, item, tasks, contract, now)


def _sync_item(
    uow: UnitOfWork,
    principal: Principal,
    order: Order,
    item: OrderItem,
    tasks: list[Task],
    contract: Contract | None,
    now: datetime,
) -> None:
    captures = uow.captures.of_item(principal, item.id) if item.tasking is not None else []
    made = uow.deliverables.of_item(principal, item.id)
    pushes = _pushes(uow, principal, order, made)
    started = {c.id: c.start for c in captures}
    money = uow.ledger.item_money(principal, [item.id]).get(item.id)
    for task in tasks:
        verdict: OccurrenceVerdict | None = None
        mine = _of_task(task, item, made, started)
        if item.tasking is not None:
            progress, verdict = _tasking_progress(task, item, captures, now)
        else:
            progress = _archive_progress(item, mine)
        changed = task.move(target_status(task, item, progress, now), now)
        delivery = delivery_status([pushes[d.id] for d in mine if d.id in pushes])
        if delivery != task.delivery_status:
            task.delivery_status, task.updated_at, changed = delivery, now, True
        if is_per_task(item) and contract is not None:
            changed |= _settle_task(uow, order, item, task, contract, verdict, len(tasks), now)
        elif money is not None:
            spent = share(money.spent, len(tasks), task.position)  # an archive item's scenes
            if (spent, money.transaction_id) != (task.tokens_used or 0, task.transaction_id):
                task.tokens_used, task.transaction_id = spent, money.transaction_id
                changed = True
        if changed:
            uow.tasks.save(task)


def _of_task(
    task: Task, item: OrderItem, made: list[Deliverable], started: dict[str, datetime]
) -> list[Deliverable]:
    """The deliverables of one task: of captures started in its window, or of its scene."""
    if task.start is not None and task.end is not None:
        start, end = task.start, task.end
        return [d for d in made if start <= started.get(d.capture_id or "", end) < end]
    images = item.images
    scene = images[task.position].item_id if task.position < len(images) else None
    first = images[0].item_id if images else None
    return [d for d in made if (d.scene_id or first) == scene]


def _archive_progress(item: OrderItem, mine: list[Deliverable]) -> TaskProgress:
    """An archive task's progress: its scene's products made, and how they ended."""
    verdict = None
    if item.status in (ItemStatus.COMPLETED, ItemStatus.PARTIALLY_COMPLETED, ItemStatus.FAILED):
        delivered = sum(d.status is DeliverableStatus.DELIVERED for d in mine)
        if mine and delivered == len(mine):
            verdict = ItemStatus.COMPLETED
        else:
            verdict = ItemStatus.PARTIALLY_COMPLETED if delivered else ItemStatus.FAILED
    return TaskProgress(planned=bool(mine), attempted=bool(mine), verdict=verdict)


def _pushes(
    uow: UnitOfWork, principal: Principal, order: Order, made: list[Deliverable]
) -> dict[str, str | None]:
    """Each delivered deliverable's push outcome, when the order pushes to a bucket."""
    if order.delivery.bucket is None and order.delivery.cloud is None:
        return {}
    return {
        d.id: push_outcome(uow.events.types_for(principal, d.id))
        for d in made
        if d.status is DeliverableStatus.DELIVERED
    }


def _tasking_progress(
    task: Task, item: OrderItem, captures: list[Capture], now: datetime
) -> tuple[TaskProgress, OccurrenceVerdict | None]:
    assert task.start is not None and task.end is not None
    occurrence = Occurrence(task.position, task.start, task.end)
    mine = [c for c in captures if occurrence.contains(c.start)]
    if mine:
        task.number_of_strips = max(c.strips for c in mine)
    verdict = None
    if task.end <= now and item.status is not ItemStatus.PENDING:
        verdict = judge_occurrence(occurrence, _revisit(item), captures)
    attempted = any(
        c.start <= now or c.status in (CaptureStatus.COLLECTED, CaptureStatus.FAILED) for c in mine
    )
    progress = TaskProgress(
        planned=bool(mine),
        attempted=attempted,
        verdict=verdict.status if verdict is not None else None,
    )
    return progress, verdict


def _settle_task(
    uow: UnitOfWork,
    order: Order,
    item: OrderItem,
    task: Task,
    contract: Contract,
    verdict: OccurrenceVerdict | None,
    count: int,
    now: datetime,
) -> bool:
    """Charge a recurring item's task when it is taken on; give back what it missed."""
    total = item.price.total if item.price is not None else 0
    part = share(total, count, task.position)
    memo = f"order {order.number} task {task.position + 1}"
    changed = False
    taken = task.status not in (TaskStatus.REQUESTED, TaskStatus.DRAFT, TaskStatus.CANCELED)
    if taken and task.transaction_id is None and part > 0:
        uow.ledger.lock_contract(contract.id)
        money = uow.ledger.item_money(Principal(order.organisation_id, WORKER), [item.id])
        held = money[item.id].held if item.id in money else 0
        if contract.payment_mode is PaymentMode.MONTHLY:  # owed as the task runs
            entries = _entries(EntryKind.PAYMENT, order, item, part, now, memo + ", monthly")
            uow.ledger.add(entries)
            task.transaction_id = entries[0].transaction_id
            schedule_settlement(uow, contract, now)  # owed this month: settled at its end
        elif contract.payment_mode is PaymentMode.BALANCE and (
            contract.charge_on is ChargeOn.DELIVERY and held >= part
        ):
            entries = _entries(EntryKind.CHARGE, order, item, part, now, memo)
            uow.ledger.add(entries)
            task.transaction_id = entries[0].transaction_id
        else:  # paid at placement (checkout, or charged on acceptance): that transaction
            task.transaction_id = money[item.id].transaction_id if item.id in money else None
        task.tokens_used = part
        task.updated_at = now
        changed = True
    if (
        verdict is not None
        and task.tokens_used
        and task.status is not TaskStatus.CANCELED
        and verdict.collected < verdict.wanted
        and task.tokens_used == part
    ):
        kept = part * min(verdict.collected, verdict.wanted) // max(verdict.wanted, 1)
        kind = (
            EntryKind.REFUND if contract.payment_mode is PaymentMode.BALANCE else EntryKind.PAYOUT
        )
        if part - kept > 0:
            uow.ledger.lock_contract(contract.id)
            uow.ledger.add(_entries(kind, order, item, part - kept, now, memo + " missed"))
        task.tokens_used = kept
        task.updated_at = now
        changed = True
    return changed


def _entries(
    kind: EntryKind, order: Order, item: OrderItem, amount: int, at: datetime, memo: str
) -> list[Entry]:
    return transaction(
        kind,
        organisation_id=order.organisation_id,
        contract_id=order.contract_id,
        amount=amount,
        at=at,
        memo=memo,
        order_id=order.id,
        item_id=item.id,
    )
