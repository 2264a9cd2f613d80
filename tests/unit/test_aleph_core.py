"""What the core gained for the Aleph front end: task ids, a minimum off-nadir angle,
a numeric capture priority and the imaged centre line."""

from __future__ import annotations

import math

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


def test_billable_shares_add_up_to_the_area_charged_for() -> None:
    from skyorder.core.deliverables import billable_shares

    shares = billable_shares(25.0, [834, 833, 833], 2500)
    assert shares[0] == 8.34 and math.isclose(sum(shares), 25.0)
    twelve = billable_shares(25.0, [100] * 12, 2500)  # half the work done: half the area
    assert math.isclose(sum(twelve), 12.0)
    assert billable_shares(25.0, [], 2500) == []


def test_a_products_footprint_is_the_aoi_clipped_to_its_scene() -> None:
    from skyorder.core.imaging import product_footprint

    aoi = {
        "type": "Polygon",
        "coordinates": [[[10.1, 0.5], [10.5, 0.5], [10.5, 0.8], [10.1, 0.8], [10.1, 0.5]]],
    }
    clipped = product_footprint(aoi, STRIP)
    assert clipped is not None and clipped["type"] == "Polygon"
    xs = [c[0] for c in clipped["coordinates"][0]]
    assert min(xs) == 10.1 and max(xs) == 10.2
    point = {"type": "Point", "coordinates": [10.1, 0.5]}
    assert product_footprint(point, STRIP) == STRIP
    assert product_footprint(point, None) is None
    assert product_footprint(aoi, None) == aoi


def test_tasking_scenes_are_named_in_the_documented_form() -> None:
    from datetime import UTC, datetime

    from skyorder.core.acquisitions import Acquisition, delivery_metadata, tasking_scene_id

    start = datetime(2025, 11, 10, 17, 48, 36, 400000, tzinfo=UTC)
    scene = tasking_scene_id(start, "MICRO-04", "L1B", "1000330")
    assert scene == "20251110_174836_MICRO04_L1B_MS_1000330"
    meta = delivery_metadata(
        {"gsd": 0.79, "area_km2": 76.45, "n_bands": 4, "cloud_cover": 0.06},
        Acquisition("micro", scene, 14.5551, 54.04),
        "L1B",
        start,
        "1.0",
    )
    assert meta["offnadir_deg"] == 14.555 and meta["sun_elevation"] == 54.0
    assert meta["cloud_coverage"] == 0.06 and meta["orthorectified"] is False
    assert meta["created_at"] == "2025-11-10T17:48:36.400000Z"
    assert meta["scene_id"] == scene and meta["collection"] is None
