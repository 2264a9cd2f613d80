"""Tasks: one per occurrence or archive image, following their item and occurrence."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.item_listing import ItemType, item_type, parse_number_range, parse_time_range
from skyorder.core.orders import (
    ItemStatus,
    OrderItem,
    Priority,
    Recurrence,
    RecurrenceKind,
    TaskingSpec,
)
from skyorder.core.tasks import TaskProgress, TaskStatus, new_tasks, share, target_status
from tests.unit.builders import T0, make_item, make_order

DAY = timedelta(days=1)


def weekly(occurrences: int = 3) -> TaskingSpec:
    return TaskingSpec(
        window_start=T0,
        window_end=T0 + 2 * DAY,
        max_off_nadir=None,
        max_cloud_cover=None,
        priority=Priority.STANDARD,
        revisit_period=None,
        recurrence=Recurrence(RecurrenceKind.WEEKLY, occurrences),
        processing_levels=("L1",),
    )


def recurring_item(status: ItemStatus = ItemStatus.ACTIVE) -> OrderItem:
    item = make_item(status)
    item.tasking, item.archive = weekly(), None
    return item


def test_a_recurring_item_gets_one_task_per_occurrence_with_its_window() -> None:
    item = recurring_item()
    tasks = new_tasks(make_order(), item, T0)
    assert [(t.position, t.start, t.end) for t in tasks] == [
        (k, T0 + 7 * k * DAY, T0 + 7 * k * DAY + 2 * DAY) for k in range(3)
    ]
    assert len({t.id for t in tasks}) == 3 and all(t.status is TaskStatus.REQUESTED for t in tasks)


def test_a_task_is_created_when_planned_in_progress_when_attempted_then_judged() -> None:
    item = recurring_item()
    task = new_tasks(make_order(), item, T0)[1]
    before = T0 + DAY
    assert target_status(task, item, TaskProgress(), before) is TaskStatus.REQUESTED
    assert target_status(task, item, TaskProgress(planned=True), before) is TaskStatus.CREATED
    progress = TaskProgress(planned=True, attempted=True)
    assert target_status(task, item, progress, before) is TaskStatus.IN_PROGRESS
    for verdict, status in (
        (ItemStatus.COMPLETED, TaskStatus.FULFILLED),
        (ItemStatus.PARTIALLY_COMPLETED, TaskStatus.PARTIALLY_FULFILLED),
        (ItemStatus.EXPIRED, TaskStatus.EXPIRED),
    ):
        assert target_status(task, item, replace(progress, verdict=verdict), before) is status


def test_a_cancelled_item_cancels_its_open_tasks_but_not_ended_ones() -> None:
    item = recurring_item()
    first, second, _ = new_tasks(make_order(), item, T0)
    assert first.move(TaskStatus.FULFILLED, T0)
    item.status = ItemStatus.CANCELLED
    assert not first.move(target_status(first, item, TaskProgress(), T0), T0)
    assert second.move(target_status(second, item, TaskProgress(), T0), T0)
    assert (first.status, second.status) == (TaskStatus.FULFILLED, TaskStatus.CANCELED)


def test_a_task_never_moves_back() -> None:
    task = new_tasks(make_order(), recurring_item(), T0)[0]
    assert task.move(TaskStatus.IN_PROGRESS, T0)
    assert not task.move(TaskStatus.CREATED, T0)
    assert task.status is TaskStatus.IN_PROGRESS


def test_shares_split_a_price_exactly() -> None:
    assert [share(100, 3, i) for i in range(3)] == [34, 33, 33]
    assert sum(share(7, 4, i) for i in range(4)) == 7


def test_item_types_tell_recurring_from_one_off_tasking() -> None:
    item = recurring_item()
    assert item_type(item) is ItemType.RECURRING
    item.tasking = replace(weekly(), recurrence=None)
    assert item_type(item) is ItemType.TASKING


def test_ranges_accept_open_ends_and_refuse_reversed_ones() -> None:
    assert parse_number_range("10,", "area_range") == (10.0, None)
    start, end = parse_time_range(",2026-01-01", "created_at_range")
    assert start is None and end is not None
    for raw in ("10,1", "x,", "5", ","):
        with pytest.raises(ValidationFailed):
            parse_number_range(raw, "area_range")
    with pytest.raises(ValidationFailed):
        parse_time_range("2026-02-01,2026-01-01", "created_at_range")


def test_a_bandset_names_its_bands_with_wavelengths_and_refuses_foreign_ones() -> None:
    from skyorder.core.bandsets import bandset_problems, image_type_bands, item_bandset

    chosen = item_bandset({"image_type": "SWIR", "bands": ["B151", "B250"]})
    assert chosen is not None
    assert [(b.name, b.wavelength_nm) for b in chosen.bands] == [("B151", 935.64), ("B250", 2484.0)]
    assert len(image_type_bands("VSWIR")) == 250
    assert item_bandset({}) is None
    (problem,) = bandset_problems({"image_type": "SWIR", "bands": ["B001"]}, "options")
    assert problem.field == "options.bands" and "B151-B250" in problem.message
