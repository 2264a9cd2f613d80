"""Which order lists the day tallies can count, and how tallies move."""

from __future__ import annotations

from datetime import UTC, date, datetime

from skyorder.core.geometry import BBox
from skyorder.core.listing import Condition, ListQuery, Op
from skyorder.core.tallies import TalliedState, TallyKey, plan_tally_count, tally_changes

MON = datetime(2026, 1, 5, 15, 30, tzinfo=UTC)
FRI = datetime(2026, 1, 9, 8, 0, tzinfo=UTC)


def query(*conditions: Condition, bbox: BBox | None = None) -> ListQuery:
    return ListQuery(conditions=conditions, bbox=bbox)


def test_status_and_a_time_range_are_counted_from_whole_days_and_two_partial_ones() -> None:
    plan = plan_tally_count(
        query(
            Condition("status", Op.IN, ("accepted", "cancelled")),
            Condition("updated_at", Op.GTE, MON),
            Condition("updated_at", Op.LT, FRI),
        )
    )
    assert plan is not None
    assert (plan.field, plan.statuses) == ("updated_at", ("accepted", "cancelled"))
    assert (plan.after_day, plan.before_day) == (date(2026, 1, 5), date(2026, 1, 9))
    assert plan.first_whole_day_start == datetime(2026, 1, 6, tzinfo=UTC)
    assert plan.last_day_start == datetime(2026, 1, 9, tzinfo=UTC)


def test_no_filter_at_all_is_counted_from_tallies() -> None:
    plan = plan_tally_count(query())
    assert plan is not None and plan.statuses is None and plan.lower is None


def test_other_filters_need_a_plain_count() -> None:
    assert plan_tally_count(query(Condition("kind", Op.EQ, "tasking"))) is None
    assert plan_tally_count(query(bbox=BBox(0, 0, 1, 1))) is None
    assert plan_tally_count(query(Condition("created_at", Op.EQ, MON))) is None
    both_times = query(Condition("created_at", Op.GTE, MON), Condition("updated_at", Op.LT, FRI))
    assert plan_tally_count(both_times) is None
    two_lower = query(Condition("created_at", Op.GTE, MON), Condition("created_at", Op.GT, FRI))
    assert plan_tally_count(two_lower) is None


def test_a_range_within_two_days_is_counted_plainly() -> None:
    short = query(
        Condition("created_at", Op.GTE, MON), Condition("created_at", Op.LT, MON.replace(day=6))
    )
    assert plan_tally_count(short) is None


def test_a_change_moves_an_order_between_tallies() -> None:
    before = TalliedState("org", "c", "accepted", MON, MON)
    after = TalliedState("org", "c", "cancelled", MON, FRI)
    assert tally_changes(before, after) == {
        TallyKey("org", "c", "created_at", "accepted", date(2026, 1, 5)): -1,
        TallyKey("org", "c", "updated_at", "accepted", date(2026, 1, 5)): -1,
        TallyKey("org", "c", "created_at", "cancelled", date(2026, 1, 5)): 1,
        TallyKey("org", "c", "updated_at", "cancelled", date(2026, 1, 9)): 1,
    }
    same_day = TalliedState("org", "c", "accepted", MON, MON.replace(hour=23))
    assert tally_changes(before, same_day) == {}
    assert len(tally_changes(None, before)) == 2
