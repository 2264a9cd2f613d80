"""What the core gained for the Aleph front end: task ids, a minimum off-nadir angle,
a numeric capture priority and the imaged centre line."""

from __future__ import annotations

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.feasibility import Limits, assess
from skyorder.core.imaging import imaged_centre_line
from skyorder.core.order_requests import OrderingContext, build_order, draft_order
from skyorder.core.orders import FeasibilityStatus, Priority
from tests.unit.builders import archive, order_request, tasking
from tests.unit.test_feasibility import WHERE, FlatOutlook, a_pass

STRIP = {
    "type": "Polygon",
    "coordinates": [[[10.0, 0.0], [10.2, 0.0], [10.2, 1.0], [10.0, 1.0], [10.0, 0.0]]],
}


def test_each_tasking_item_gets_a_task_id_counting_from_the_first_reserved(
    ctx: OrderingContext,
) -> None:
    order = build_order(order_request(tasking(), archive(), tasking()), ctx, sequence=3)
    draft = draft_order(order_request(tasking(), archive(), tasking()), ctx)
    assert draft.tasks == 2
    order.assign_task_ids(5)
    assert [i.task_id for i in order.items] == ["1000005", None, "1000006"]
    assert order.task_id == "1000005"


def test_a_minimum_off_nadir_is_kept_on_the_tasking_item(ctx: OrderingContext) -> None:
    order = build_order(order_request(tasking(min_off_nadir=12.5)), ctx, sequence=1)
    assert order.items[0].tasking is not None
    assert order.items[0].tasking.min_off_nadir == 12.5


def test_a_minimum_off_nadir_above_the_maximum_is_refused(ctx: OrderingContext) -> None:
    with pytest.raises(ValidationFailed) as refused:
        build_order(order_request(tasking(min_off_nadir=35.0, max_off_nadir=30.0)), ctx, 1)
    assert [e.field for e in refused.value.errors] == ["items[0].min_off_nadir"]


def test_passes_steeper_than_the_minimum_off_nadir_do_not_count() -> None:
    passes = [a_pass(0, 4.0), a_pass(1, 6.0)]
    verdict = assess(passes, Limits(30, None, min_off_nadir_deg=10.0), FlatOutlook(0.1), WHERE)
    assert verdict.status is FeasibilityStatus.FAILED
    assert "limits 10° to 30°" in verdict.reason
    ok = assess([*passes, a_pass(2, 15.0)], Limits(30, None, 10.0), FlatOutlook(0.1), WHERE)
    assert ok.status is FeasibilityStatus.SUCCESS


def test_the_centre_line_follows_the_track_through_the_strip_on_the_ground() -> None:
    track = {"type": "LineString", "coordinates": [[12.0, -1.0, 500000.0], [12.0, 2.0, 500100.0]]}
    line = imaged_centre_line(track, STRIP)
    assert line is not None and line["type"] == "LineString"
    assert line["coordinates"] == [[10.1, 0.0, 0.0], [10.1, 1.0, 0.0]]


def test_without_a_track_the_centre_line_runs_along_the_strip() -> None:
    line = imaged_centre_line(None, STRIP)
    assert line is not None
    assert sorted(c[1] for c in line["coordinates"]) == [0.0, 1.0]
    assert {round(c[0], 6) for c in line["coordinates"]} == {10.1}
    assert imaged_centre_line(None, None) is None


def test_rush_captures_rank_above_standard_ones() -> None:
    from skyorder.core.imaging import PRIORITY_RANK

    assert PRIORITY_RANK[Priority.RUSH] == 75 > PRIORITY_RANK[Priority.STANDARD] == 50
