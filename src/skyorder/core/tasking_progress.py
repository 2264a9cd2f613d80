"""How far a tasking item has got: its attempts per occurrence, and the verdict at the end.

An occurrence wants every strip of its AOI collected once in every revisit period (the
whole occurrence when there is no revisit period). When it ends it is completed if it got
all of them, partially completed if it got some, expired if it got none. A recurring item
ends with its last occurrence: completed if every occurrence was, expired if none got
anything, partially completed otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from skyorder.core.captures import Capture, CaptureStatus
from skyorder.core.mission import PastAttempt
from skyorder.core.orders import ItemStatus
from skyorder.core.recurrence import Occurrence, revisit_slots

_OUTCOME = {
    CaptureStatus.PLANNED: None,
    CaptureStatus.SCHEDULED: None,
    CaptureStatus.COLLECTED: True,
    CaptureStatus.FAILED: False,
    CaptureStatus.CANCELLED: False,
}


@dataclass(frozen=True)
class OccurrenceVerdict:
    """How one occurrence ended.

    Attributes:
        occurrence: The occurrence.
        status: Completed, partially completed or expired.
        collected: Strip-periods collected.
        wanted: Strip-periods wanted (strips x revisit periods).
    """

    occurrence: Occurrence
    status: ItemStatus
    collected: int
    wanted: int


def in_occurrence(occurrence: Occurrence, captures: Sequence[Capture]) -> list[Capture]:
    """The captures that start within ``occurrence``."""
    return [c for c in captures if occurrence.contains(c.start)]


def history(occurrence: Occurrence, captures: Sequence[Capture]) -> tuple[PastAttempt, ...]:
    """The attempts made or scheduled in ``occurrence``, as the tasking backend sees them."""
    return tuple(
        PastAttempt(c.strip, c.start, _OUTCOME[c.status])
        for c in in_occurrence(occurrence, captures)
    )


def judge_occurrence(
    occurrence: Occurrence, revisit: timedelta | None, captures: Sequence[Capture]
) -> OccurrenceVerdict:
    """Whether ``occurrence`` got every strip in every revisit period, some, or none."""
    mine = in_occurrence(occurrence, captures)
    strips = max((c.strips for c in mine), default=1)
    slots = revisit_slots(occurrence.start, occurrence.end, revisit)
    got = {
        (c.strip, next(s.index for s in slots if s.start <= c.start < s.end))
        for c in mine
        if c.status is CaptureStatus.COLLECTED
    }
    wanted = strips * len(slots)
    if len(got) >= wanted:
        status = ItemStatus.COMPLETED
    elif got:
        status = ItemStatus.PARTIALLY_COMPLETED
    else:
        status = ItemStatus.EXPIRED
    return OccurrenceVerdict(occurrence, status, len(got), wanted)


def judge_item(verdicts: Sequence[OccurrenceVerdict]) -> ItemStatus:
    """An item's final status from its occurrences' verdicts."""
    statuses = [v.status for v in verdicts]
    if statuses and all(s is ItemStatus.COMPLETED for s in statuses):
        return ItemStatus.COMPLETED
    if any(s is not ItemStatus.EXPIRED for s in statuses):
        return ItemStatus.PARTIALLY_COMPLETED
    return ItemStatus.EXPIRED
