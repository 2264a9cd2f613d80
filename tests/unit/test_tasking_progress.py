"""Judging tasking occurrences and items from their captures."""

from __future__ import annotations

from datetime import timedelta

from skyorder.core.captures import Capture, CaptureStatus
from skyorder.core.mission import PastAttempt
from skyorder.core.orders import ItemStatus, Priority
from skyorder.core.recurrence import Occurrence
from skyorder.core.tasking_progress import OccurrenceVerdict, history, judge_item, judge_occurrence
from tests.unit.builders import T0

DAY = timedelta(days=1)
WEEK = Occurrence(0, T0, T0 + 7 * DAY)


def capture(day: float, status: CaptureStatus, strip: int = 0, strips: int = 1) -> Capture:
    start = T0 + day * DAY
    return Capture(
        id=f"c{day}-{strip}",
        organisation_id="org",
        order_id="order",
        order_number="000001",
        item_id="item",
        satellite="SAT-1",
        start=start,
        end=start + timedelta(seconds=8),
        status=status,
        priority=Priority.STANDARD,
        ground_track=None,
        footprint=None,
        strip=strip,
        strips=strips,
        created_at=T0,
        updated_at=T0,
    )


def test_one_collection_completes_an_occurrence_without_revisit() -> None:
    captures = [capture(1, CaptureStatus.FAILED), capture(2, CaptureStatus.COLLECTED)]
    verdict = judge_occurrence(WEEK, None, captures)
    assert (verdict.status, verdict.collected, verdict.wanted) == (ItemStatus.COMPLETED, 1, 1)


def test_every_revisit_period_must_be_collected_to_complete() -> None:
    captures = [capture(d + 0.5, CaptureStatus.COLLECTED) for d in range(6)]
    verdict = judge_occurrence(WEEK, DAY, captures)
    assert (verdict.status, verdict.collected, verdict.wanted) == (
        ItemStatus.PARTIALLY_COMPLETED,
        6,
        7,
    )


def test_every_strip_must_be_collected_to_complete() -> None:
    captures = [
        capture(1, CaptureStatus.COLLECTED, strip=0, strips=2),
        capture(1, CaptureStatus.FAILED, strip=1, strips=2),
    ]
    assert judge_occurrence(WEEK, None, captures).status is ItemStatus.PARTIALLY_COMPLETED


def test_an_occurrence_without_collections_expires() -> None:
    assert judge_occurrence(WEEK, None, [capture(1, CaptureStatus.FAILED)]).status is (
        ItemStatus.EXPIRED
    )


def test_captures_of_other_occurrences_do_not_count() -> None:
    later = capture(8, CaptureStatus.COLLECTED)
    assert judge_occurrence(WEEK, None, [later]).status is ItemStatus.EXPIRED


def test_history_tells_collected_failed_and_to_come() -> None:
    captures = [
        capture(1, CaptureStatus.FAILED),
        capture(2, CaptureStatus.COLLECTED),
        capture(3, CaptureStatus.SCHEDULED),
    ]
    assert [a.collected for a in history(WEEK, captures)] == [False, True, None]
    assert history(WEEK, captures)[0] == PastAttempt(0, T0 + DAY, False)


def verdict(status: ItemStatus) -> OccurrenceVerdict:
    return OccurrenceVerdict(WEEK, status, 0, 1)


def test_an_item_is_completed_when_every_occurrence_is() -> None:
    assert judge_item([verdict(ItemStatus.COMPLETED)] * 3) is ItemStatus.COMPLETED


def test_an_item_with_some_occurrences_collected_is_partially_completed() -> None:
    verdicts = [verdict(ItemStatus.COMPLETED), verdict(ItemStatus.EXPIRED)]
    assert judge_item(verdicts) is ItemStatus.PARTIALLY_COMPLETED


def test_an_item_without_anything_collected_expires() -> None:
    assert judge_item([verdict(ItemStatus.EXPIRED)] * 2) is ItemStatus.EXPIRED
