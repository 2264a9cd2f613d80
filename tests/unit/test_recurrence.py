"""Occurrences of recurring tasking items and revisit slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.orders import Priority, Recurrence, RecurrenceKind, TaskingSpec
from skyorder.core.recurrence import (
    Occurrence,
    Slot,
    add_months,
    occurrence_at,
    occurrence_ending,
    occurrences,
    revisit_slots,
)
from tests.unit.builders import T0

DAY = timedelta(days=1)


def spans(found: list[Occurrence] | list[Slot]) -> list[tuple[datetime, datetime]]:
    return [(o.start, o.end) for o in found]


def test_no_recurrence_is_one_occurrence_of_the_window() -> None:
    assert spans(occurrences(T0, T0 + 3 * DAY, None)) == [(T0, T0 + 3 * DAY)]


def test_once_is_one_occurrence_of_the_window() -> None:
    assert spans(occurrences(T0, T0 + DAY, Recurrence(RecurrenceKind.ONCE, 1))) == [(T0, T0 + DAY)]


def test_weekly_repeats_the_window_every_seven_days() -> None:
    found = occurrences(T0, T0 + 2 * DAY, Recurrence(RecurrenceKind.WEEKLY, 3))
    assert spans(found) == [(T0 + k * 7 * DAY, T0 + k * 7 * DAY + 2 * DAY) for k in range(3)]
    assert [o.index for o in found] == [0, 1, 2]


def test_biweekly_repeats_the_window_every_fourteen_days() -> None:
    found = occurrences(T0, T0 + DAY, Recurrence(RecurrenceKind.BIWEEKLY, 2))
    assert found[1].start == T0 + 14 * DAY


@pytest.mark.parametrize(
    ("kind", "months"),
    [(RecurrenceKind.MONTHLY, 1), (RecurrenceKind.BIMONTHLY, 2), (RecurrenceKind.QUARTERLY, 3)],
)
def test_monthly_kinds_repeat_on_the_same_calendar_day(kind: RecurrenceKind, months: int) -> None:
    start = datetime(2026, 1, 10, 6, tzinfo=UTC)
    found = occurrences(start, start + 5 * DAY, Recurrence(kind, 3))
    assert [o.start for o in found] == [add_months(start, months * k) for k in range(3)]
    assert all(o.end - o.start == 5 * DAY for o in found)


def test_a_month_later_than_the_31st_is_the_last_day_of_a_shorter_month() -> None:
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 30, tzinfo=UTC), 3) == datetime(2027, 2, 28, tzinfo=UTC)


def test_a_window_longer_than_the_period_is_refused_naming_the_recurrence() -> None:
    with pytest.raises(ValidationFailed) as exc:
        occurrences(T0, T0 + 8 * DAY, Recurrence(RecurrenceKind.WEEKLY, 2))
    assert exc.value.errors[0].field == "recurrence.kind"
    assert "repeats every 7 days, but the window lasts 8 days" in exc.value.errors[0].message


def test_a_monthly_window_that_overlaps_after_february_is_refused() -> None:
    start = datetime(2026, 1, 31, tzinfo=UTC)
    with pytest.raises(ValidationFailed, match="overlap"):
        occurrences(start, start + 30 * DAY, Recurrence(RecurrenceKind.MONTHLY, 2))


def test_a_window_as_long_as_the_period_is_accepted() -> None:
    found = occurrences(T0, T0 + 7 * DAY, Recurrence(RecurrenceKind.WEEKLY, 2))
    assert found[0].end == found[1].start


def test_once_with_several_occurrences_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="must be 1 for ONCE"):
        occurrences(T0, T0 + DAY, Recurrence(RecurrenceKind.ONCE, 2))


def test_zero_occurrences_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="at least 1"):
        occurrences(T0, T0 + DAY, Recurrence(RecurrenceKind.MONTHLY, 0))


def test_an_empty_window_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="after window.start"):
        occurrences(T0, T0, None)


def test_revisit_slots_cut_the_window_with_a_shorter_last_slot() -> None:
    slots = revisit_slots(T0, T0 + 2 * DAY + timedelta(hours=12), DAY)
    assert spans(slots) == [
        (T0, T0 + DAY),
        (T0 + DAY, T0 + 2 * DAY),
        (T0 + 2 * DAY, T0 + 2 * DAY + timedelta(hours=12)),
    ]


def test_without_a_revisit_period_the_window_is_one_slot() -> None:
    assert spans(revisit_slots(T0, T0 + 9 * DAY, None)) == [(T0, T0 + 9 * DAY)]


def test_a_revisit_period_longer_than_the_window_is_one_slot() -> None:
    assert spans(revisit_slots(T0, T0 + DAY, 3 * DAY)) == [(T0, T0 + DAY)]


def test_a_revisit_period_shorter_than_an_hour_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        revisit_slots(T0, T0 + DAY, timedelta(minutes=30))
    assert exc.value.errors[0].field == "revisit_period"


def test_too_many_revisit_slots_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="revisit slots"):
        revisit_slots(T0, T0 + 500 * DAY, timedelta(hours=1))


def weekly_spec() -> TaskingSpec:
    return TaskingSpec(
        window_start=T0,
        window_end=T0 + 2 * DAY,
        max_off_nadir=None,
        max_cloud_cover=None,
        priority=Priority.STANDARD,
        revisit_period=None,
        recurrence=Recurrence(RecurrenceKind.WEEKLY, 3),
        processing_levels=(),
    )


def test_the_occurrence_at_a_time_is_the_current_or_next_one() -> None:
    assert occurrence_at(weekly_spec(), T0 + DAY) == Occurrence(0, T0, T0 + 2 * DAY)
    assert occurrence_at(weekly_spec(), T0 + 3 * DAY) == Occurrence(1, T0 + 7 * DAY, T0 + 9 * DAY)
    assert occurrence_at(weekly_spec(), T0 + 30 * DAY) is None


def test_the_occurrence_ending_at_a_time_is_found_by_its_end() -> None:
    ending = occurrence_ending(weekly_spec(), T0 + 9 * DAY)
    assert ending is not None and ending.index == 1
    assert occurrence_ending(weekly_spec(), T0 + 8 * DAY) is None
