from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skyorder.store.search_slices import WHOLE, TimeSlice, time_slices

START = datetime(2020, 1, 1, tzinfo=UTC)
END = datetime(2024, 1, 1, tzinfo=UTC)


def _owner(slices: list[TimeSlice], moment: datetime) -> list[int]:
    return [
        i
        for i, part in enumerate(slices)
        if (part.lower is None or part.lower <= moment)
        and (part.upper is None or moment < part.upper)
    ]


@pytest.mark.parametrize("descending", [True, False])
def test_slices_partition_all_time_in_sort_order(descending: bool) -> None:
    slices = time_slices(START, END, descending=descending)
    assert len(slices) == 3
    # every instant, inside the window or not, belongs to exactly one slice
    for days in range(-400, 1900, 7):
        assert len(_owner(slices, START + timedelta(days=days, seconds=0.5))) == 1
    # the outer slices are open, so an estimated window never hides an item
    assert slices[0].upper is None if descending else slices[0].lower is None
    assert slices[-1].lower is None if descending else slices[-1].upper is None
    # slices come in the sort's order: later slices hold earlier (descending) times
    early, late = _owner(slices, START)[0], _owner(slices, END)[0]
    assert (early, late) == ((2, 0) if descending else (0, 2))


def test_the_first_slice_is_a_sixteenth_and_the_next_four_times_as_much() -> None:
    first, second, _ = time_slices(START, END, descending=True)
    span = END - START
    assert first.lower == END - span / 16
    assert second.upper == first.lower and second.lower == END - span * 5 / 16
    first, second, _ = time_slices(START, END, descending=False)
    assert first.upper == START + span / 16 and second.upper == START + span * 5 / 16


def test_short_windows_are_one_query() -> None:
    assert time_slices(START, START + timedelta(hours=23), descending=True) == [WHOLE]
    assert time_slices(START, START, descending=False) == [WHOLE]
