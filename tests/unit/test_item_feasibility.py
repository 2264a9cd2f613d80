"""Validating a lone tasking item and stamping feasibility verdicts on order items."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from skyorder.core.errors import Conflict, ValidationFailed
from skyorder.core.order_requests import OrderingContext, build_order, build_tasking_item
from skyorder.core.orders import FeasibilityStatus, ItemStatus
from tests.unit.builders import T0, archive, order_request, tasking


def test_a_lone_tasking_item_is_validated_like_an_order_item(ctx: OrderingContext) -> None:
    item = build_tasking_item(tasking(), ctx)
    assert item.tasking is not None
    assert item.tasking.feasibility_status is FeasibilityStatus.UNSPECIFIED


def test_a_lone_items_errors_name_its_own_fields(ctx: OrderingContext) -> None:
    bad = replace(tasking(), window_end=T0 - timedelta(days=1), max_off_nadir=80.0)
    with pytest.raises(ValidationFailed) as exc:
        build_tasking_item(bad, ctx)
    names = {e.field for e in exc.value.errors}
    assert {"window.end", "max_off_nadir"} <= names


def test_recording_feasibility_stamps_the_item_and_emits_an_event(ctx: OrderingContext) -> None:
    order = build_order(order_request(tasking()), ctx, 1)
    item = order.items[0]
    at = T0 + timedelta(hours=1)
    order.record_feasibility(item, FeasibilityStatus.WEAK_SUCCESS, "2 passes", at)
    assert item.tasking is not None
    assert item.tasking.feasibility_status is FeasibilityStatus.WEAK_SUCCESS
    assert item.tasking.last_feasibility_check == at
    assert item.latest_event is not None
    assert item.latest_event.type == "OrderItemFeasibilityChecked"
    assert item.latest_event.details == {"feasibility_status": "WEAK_SUCCESS", "reason": "2 passes"}


def test_an_archive_item_has_no_feasibility(ctx: OrderingContext) -> None:
    order = build_order(order_request(archive()), ctx, 1)
    with pytest.raises(Conflict):
        order.record_feasibility(order.items[0], FeasibilityStatus.SUCCESS, "", T0)


def test_a_final_item_is_not_checked_again(ctx: OrderingContext) -> None:
    order = build_order(order_request(tasking()), ctx, 1)
    order.accept(T0)
    order.cancel(T0)
    assert order.items[0].status is ItemStatus.CANCELLED
    with pytest.raises(Conflict):
        order.record_feasibility(order.items[0], FeasibilityStatus.SUCCESS, "", T0)
