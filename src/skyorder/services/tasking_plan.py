"""Tasking items through the agenda: planned captures, attempts, retries, window ends.

The steps, each keyed by its entity and idempotent:

- ``plan_tasking_item`` (called by ``order.fulfil`` for each tasking item, and again at
  each occurrence's end for recurring items): asks the tasking backend for the next
  attempt of each strip of the item's current occurrence, stores each as a scheduled
  capture (``CaptureScheduled``), schedules ``capture.attempt`` at its start and
  ``item.window_end`` at the occurrence's end. An occurrence that already has captures
  is left alone.
- ``capture.attempt`` (at the capture's start): the backend says whether the attempt
  collected its imagery (``CaptureCollected``, then ``capture.deliver`` for it) or failed
  (``CaptureCollectionFailed`` with the reason); then the item is planned again, which
  retries a failed strip on its next opportunity while the window lasts and, with a
  revisit period, books the next period.
- ``item.window_end`` (at each occurrence's end): the occurrence is judged (completed,
  partially completed, expired; ``OrderItemOccurrenceEnded``); the next occurrence is
  planned, or after the last one the item ends with the verdict over all occurrences
  and the order's status rolls up from its items.

A rush attempt may take a standard capture's satellite time: that capture fails with a
conflict and its item is planned again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shapely.geometry import shape

from skyorder.core.captures import Capture, CaptureGeometry, CaptureStatus
from skyorder.core.deliverables import DeliverableStatus
from skyorder.core.ids import new_id
from skyorder.core.mission import (
    Collected,
    PlannedAttempt,
    TaskingBackend,
    TaskingRequest,
)
from skyorder.core.order_requests import parse_duration
from skyorder.core.orders import ORDER_STATES, ItemStatus, Order, OrderItem
from skyorder.core.recurrence import Occurrence, item_occurrences, occurrence_at
from skyorder.core.steps import StepKind
from skyorder.core.tasking_progress import (
    OccurrenceVerdict,
    history,
    judge_item,
    judge_occurrence,
)
from skyorder.core.tenants import Principal
from skyorder.services.billing import bill_deliverables, settle_item
from skyorder.services.tasks import is_per_task, sync_tasks
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork

WORKER = "system:tasking"
OPEN = (CaptureStatus.PLANNED, CaptureStatus.SCHEDULED)


def _as_owner(organisation_id: str) -> Principal:
    return Principal(organisation_id, WORKER)


def _revisit(item: OrderItem) -> timedelta | None:
    assert item.tasking is not None
    period = item.tasking.revisit_period
    return parse_duration(period, "revisit_period") if period else None


def _request(
    uow: UnitOfWork, item: OrderItem, occurrence: Occurrence, captures: list[Capture]
) -> TaskingRequest:
    spec = item.tasking
    assert spec is not None and item.aoi is not None
    product = uow.products.all().get(item.product)
    sensor = product.sensor if product is not None else None
    # Without a limit of its own, an item keeps to its product's (as feasibility and the
    # opportunities search do), not to the sensor's wider one.
    max_off_nadir = spec.max_off_nadir
    if max_off_nadir is None and product is not None:
        max_off_nadir = product.max_off_nadir
    return TaskingRequest(
        item_id=item.id,
        aoi=shape(item.aoi),
        start=occurrence.start,
        end=occurrence.end,
        priority=spec.priority,
        max_off_nadir=max_off_nadir,
        min_off_nadir=spec.min_off_nadir,
        max_cloud=spec.max_cloud_cover,
        revisit=_revisit(item),
        sensors=frozenset({sensor}) if sensor else None,
        history=history(occurrence, captures),
    )


def _capture(order: Order, attempt: PlannedAttempt, now: datetime) -> Capture:
    item = order.item(attempt.item_id)
    by = item.created_by if item is not None else order.created_by
    capture = Capture(
        id=new_id(),
        organisation_id=order.organisation_id,
        order_id=order.id,
        order_number=order.number,
        item_id=attempt.item_id,
        satellite=attempt.satellite,
        start=attempt.start,
        end=attempt.end,
        status=CaptureStatus.PLANNED,
        priority=attempt.priority,
        ground_track=attempt.ground_track,
        footprint=attempt.footprint,
        geometry=CaptureGeometry(
            min_absolute_off_nadir=attempt.min_off_nadir,
            max_absolute_off_nadir=attempt.max_off_nadir,
            min_sun_elevation=attempt.min_sun_elevation,
            max_sun_elevation=attempt.max_sun_elevation,
        ),
        strip=attempt.strip,
        strips=attempt.strips,
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
    )
    capture.transition(CaptureStatus.SCHEDULED, now)
    return capture


def attempt_of(capture: Capture, item: OrderItem) -> PlannedAttempt:
    """The attempt a stored capture stands for, as the tasking backend planned it."""
    spec = item.tasking
    g = capture.geometry
    return PlannedAttempt(
        item_id=capture.item_id,
        strip=capture.strip,
        strips=capture.strips,
        satellite=capture.satellite,
        start=capture.start,
        end=capture.end,
        footprint=capture.footprint or item.aoi or {},
        ground_track=capture.ground_track or {},
        min_off_nadir=g.min_absolute_off_nadir or 0.0,
        max_off_nadir=g.max_absolute_off_nadir or 0.0,
        min_sun_elevation=g.min_sun_elevation or 0.0,
        max_sun_elevation=g.max_sun_elevation or 0.0,
        priority=capture.priority,
        max_cloud=spec.max_cloud_cover if spec else None,
    )


class TaskingPlanning:
    """The tasking steps, bound to one tasking backend."""

    def __init__(self, backend: TaskingBackend) -> None:
        self.backend = backend

    def plan_item(self, uow: UnitOfWork, order: Order, item: OrderItem, now: datetime) -> None:
        """Plan the item's current (or next) occurrence unless it already has captures."""
        plan_tasking_item(uow, self.backend, order, item, now)

    def attempt(self, uow: UnitOfWork, step: Step, now: datetime) -> None:
        """``capture.attempt``: decide a scheduled capture's outcome, then plan again."""
        owner = uow.captures.owner_of(step.entity_id)
        if owner is None:
            return
        principal = _as_owner(owner)
        first = uow.captures.get(principal, step.entity_id)
        if first is None:
            return
        # Lock the order, then read the capture again: a cancellation may have come first.
        order = uow.orders.get(principal, first.order_id, for_update=True)
        capture = uow.captures.get(principal, step.entity_id)
        item = order.item(first.item_id) if order else None
        if order is None or item is None or capture is None:
            return
        if capture.status is not CaptureStatus.SCHEDULED or item.status is not ItemStatus.ACTIVE:
            return
        outcome = self.backend.outcome(attempt_of(capture, item), now)
        capture.cloud_cover = outcome.cloud_cover
        if isinstance(outcome, Collected):
            capture.transition(CaptureStatus.COLLECTED, now)
            uow.agenda.schedule(
                StepKind.CAPTURE_DELIVER, capture.id, now, now, capture.organisation_id
            )
        else:
            capture.transition(CaptureStatus.FAILED, now, outcome.reason)
        uow.captures.save(capture)
        _replan(uow, self.backend, order, item, capture.start, now)
        uow.orders.save(order)
        sync_tasks(uow, order, now)

    def window_end(self, uow: UnitOfWork, step: Step, now: datetime) -> None:
        """``item.window_end``: judge the occurrence ending now; plan the next or end."""
        found = uow.orders.item_owner(step.entity_id)
        if found is None:
            return
        principal = _as_owner(found[0])
        order = uow.orders.get(principal, found[1], for_update=True)
        item = order.item(step.entity_id) if order else None
        if order is None or item is None or item.tasking is None:
            return
        if item.status is not ItemStatus.ACTIVE:
            return
        occurrences = item_occurrences(item.tasking)
        # The latest occurrence ended by the step's due time (a retried step runs later).
        ending = max(
            (o for o in occurrences if o.end <= step.due_at), key=lambda o: o.end, default=None
        )
        if ending is None:
            return
        captures = uow.captures.of_item(principal, item.id)
        revisit = _revisit(item)
        verdict = judge_occurrence(ending, revisit, captures)
        order.note_item(
            item,
            "OrderItemOccurrenceEnded",
            now,
            {
                "occurrence": ending.index,
                "start": ending.start.isoformat(),
                "end": ending.end.isoformat(),
                "status": verdict.status.value,
                "collected": verdict.collected,
                "wanted": verdict.wanted,
            },
        )
        if ending.index + 1 < len(occurrences):
            plan_tasking_item(uow, self.backend, order, item, now)
        else:
            _end_item(
                uow,
                principal,
                order,
                item,
                [judge_occurrence(o, revisit, captures) for o in occurrences],
                now,
            )
        uow.orders.save(order)
        sync_tasks(uow, order, now)


_ITEM_EVENT = {
    ItemStatus.COMPLETED: "OrderItemCompleted",
    ItemStatus.PARTIALLY_COMPLETED: "OrderItemPartiallyCompleted",
    ItemStatus.EXPIRED: "OrderItemExpired",
}


def _end_item(
    uow: UnitOfWork,
    principal: Principal,
    order: Order,
    item: OrderItem,
    verdicts: list[OccurrenceVerdict],
    now: datetime,
) -> None:
    """End the item as its occurrences went, settle its money, roll the order up.

    The hold is charged for the share of wanted acquisitions collected (split over the
    item's deliverables so far) and the rest released.
    """
    status = judge_item(verdicts)
    collected = sum(v.collected for v in verdicts)
    wanted = sum(v.wanted for v in verdicts)
    reason = (
        ""
        if status is ItemStatus.COMPLETED
        else (f"{collected} of {wanted} wanted acquisitions collected before the window ended")
    )
    order.transition_item(item, status, now, _ITEM_EVENT[status], reason)
    contract = uow.tenants.get_contract(principal, order.contract_id)
    if contract is not None and not is_per_task(item):  # else settled task by task
        delivered = [
            d.id
            for d in uow.deliverables.of_item(principal, item.id)
            if d.status is DeliverableStatus.DELIVERED
        ]
        parts = settle_item(uow, order, contract, item, (collected, wanted), now, delivered)
        bill_deliverables(uow, principal, item, parts, now)
    order.roll_up(now)


def plan_tasking_item(
    uow: UnitOfWork, backend: TaskingBackend, order: Order, item: OrderItem, now: datetime
) -> None:
    """Plan a tasking item's current (or next) occurrence; nothing if it has captures.

    Creates the captures (scheduled), their ``capture.attempt`` steps and the
    occurrence's ``item.window_end`` step, in the caller's transaction.
    """
    if item.tasking is None or item.status is not ItemStatus.ACTIVE:
        return
    if ORDER_STATES.is_terminal(order.status):
        return
    occurrence = occurrence_at(item.tasking, now)
    if occurrence is None:  # every occurrence is over: judge the item now
        last = item_occurrences(item.tasking)[-1]
        uow.agenda.schedule(StepKind.ITEM_WINDOW_END, item.id, last.end, now, order.organisation_id)
        return
    captures = uow.captures.of_item(_as_owner(order.organisation_id), item.id)
    if any(occurrence.contains(c.start) for c in captures):
        return
    uow.agenda.schedule(
        StepKind.ITEM_WINDOW_END, item.id, occurrence.end, now, order.organisation_id
    )
    _plan(uow, backend, order, item, occurrence, captures, now)


def _replan(
    uow: UnitOfWork,
    backend: TaskingBackend,
    order: Order,
    item: OrderItem,
    within: datetime,
    now: datetime,
) -> None:
    """Plan what the occurrence holding ``within`` still needs (retries, next periods)."""
    if item.tasking is None or item.status is not ItemStatus.ACTIVE:
        return
    if ORDER_STATES.is_terminal(order.status):
        return
    occurrence = next((o for o in item_occurrences(item.tasking) if o.contains(within)), None)
    if occurrence is None or occurrence.end <= now:
        return
    captures = uow.captures.of_item(_as_owner(order.organisation_id), item.id)
    _plan(uow, backend, order, item, occurrence, captures, now)


def _plan(
    uow: UnitOfWork,
    backend: TaskingBackend,
    order: Order,
    item: OrderItem,
    occurrence: Occurrence,
    captures: list[Capture],
    now: datetime,
) -> None:
    request = _request(uow, item, occurrence, captures)
    booked = uow.captures.bookings(max(now, occurrence.start), occurrence.end)
    attempts = backend.plan([request], now, booked)
    order_pk = uow.orders.pk_of(order.id)
    assert order_pk is not None
    for attempt in attempts:
        capture = _capture(order, attempt, now)
        uow.captures.add(capture, order_pk)
        uow.agenda.schedule(
            StepKind.CAPTURE_ATTEMPT, capture.id, capture.start, now, order.organisation_id
        )
    for attempt in attempts:
        for displaced in attempt.displaces:
            _displace(uow, backend, order, displaced, now)


def _displace(
    uow: UnitOfWork, backend: TaskingBackend, current: Order, capture_id: str, now: datetime
) -> None:
    """A rush attempt took this capture's satellite time: fail it and plan its item again."""
    owner = uow.captures.owner_of(capture_id)
    if owner is None:
        return
    principal = _as_owner(owner)
    first = uow.captures.get(principal, capture_id)
    if first is None:
        return
    same = first.order_id == current.id
    # Lock its order before changing it (already locked when it is the current order).
    order = current if same else uow.orders.get(principal, first.order_id, for_update=True)
    capture = uow.captures.get(principal, capture_id)
    item = order.item(first.item_id) if order else None
    if order is None or item is None or capture is None or capture.status not in OPEN:
        return
    capture.transition(
        CaptureStatus.FAILED,
        now,
        "conflict: the satellite time went to a rush acquisition; the capture is planned again",
    )
    uow.captures.save(capture)
    _replan(uow, backend, order, item, capture.start, now)
    if not same:
        uow.orders.save(order)


def cancel_captures(uow: UnitOfWork, order: Order, now: datetime) -> int:
    """Cancel the order's captures still to come (its attempt steps then do nothing).

    Whoever last changed the order (who cancelled it) is recorded on them.
    """
    principal = _as_owner(order.organisation_id)
    cancelled = 0
    for item in order.items:
        if item.tasking is None:
            continue
        for capture in uow.captures.of_item(principal, item.id):
            if capture.status in OPEN:
                capture.transition(CaptureStatus.CANCELLED, now, "the order was cancelled")
                capture.updated_by = order.updated_by
                uow.captures.save(capture)
                cancelled += 1
    return cancelled
