"""Occurrences and revisit slots: when a tasking item wants to be imaged.

A tasking item has a window and, optionally, a recurrence and a revisit period:

- the recurrence repeats the window: occurrence ``k`` is the window shifted by ``k``
  recurrence periods (a week, two weeks, one, two or three calendar months), for the
  given number of occurrences; each occurrence is planned, attempted and judged on its
  own. A window longer than its recurrence period would make occurrences overlap and is
  refused.
- the revisit period cuts each occurrence into consecutive slots of that length (the last
  one shorter): the item wants its AOI imaged once per slot, and the planner makes at
  most one attempt per strip of the AOI per slot. Without a revisit period the whole
  occurrence is one slot.

Months are calendar months here (March 31 + 1 month = April 30), as customers count
them; a revisit period given in months counts 30 days
(``order_requests.parse_duration``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from skyorder.core.errors import ValidationFailed
from skyorder.core.orders import Recurrence, RecurrenceKind, TaskingSpec

MIN_REVISIT = timedelta(hours=1)
MAX_SLOTS = 10_000
_WEEKS = {RecurrenceKind.WEEKLY: 1, RecurrenceKind.BIWEEKLY: 2}
_MONTHS = {RecurrenceKind.MONTHLY: 1, RecurrenceKind.BIMONTHLY: 2, RecurrenceKind.QUARTERLY: 3}


@dataclass(frozen=True)
class Occurrence:
    """One repetition of a tasking item's window (index 0 is the window itself)."""

    index: int
    start: datetime
    end: datetime

    def contains(self, at: datetime) -> bool:
        """Whether ``at`` falls in this occurrence (start included, end excluded)."""
        return self.start <= at < self.end


@dataclass(frozen=True)
class Slot:
    """One revisit period of an occurrence: the item wants one image of its AOI in it."""

    index: int
    start: datetime
    end: datetime


def add_months(at: datetime, months: int) -> datetime:
    """``at`` moved by calendar months, the day clamped to the month's length."""
    month0 = at.month - 1 + months
    year, month = at.year + month0 // 12, month0 % 12 + 1
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)


def shift(at: datetime, kind: RecurrenceKind, count: int) -> datetime:
    """``at`` moved by ``count`` periods of ``kind`` (ONCE does not move)."""
    if kind in _WEEKS:
        return at + timedelta(weeks=_WEEKS[kind] * count)
    if kind in _MONTHS:
        return add_months(at, _MONTHS[kind] * count)
    return at


def _period_name(kind: RecurrenceKind) -> str:
    if kind in _WEEKS:
        return f"{_WEEKS[kind] * 7} days"
    months = _MONTHS[kind]
    return "1 month" if months == 1 else f"{months} months"


def _check_recurrence(start: datetime, end: datetime, recurrence: Recurrence) -> None:
    kind, count = recurrence.kind, recurrence.occurrences
    if count < 1:
        raise ValidationFailed.on("recurrence.occurrences", "must be at least 1")
    if kind is RecurrenceKind.ONCE:
        if count != 1:
            raise ValidationFailed.on("recurrence.occurrences", "must be 1 for ONCE")
        return
    # The shortest period of a monthly kind starts at the end of January or so: check
    # every occurrence rather than a nominal period length.
    for k in range(1, count):
        if end > shift(start, kind, k):
            raise ValidationFailed.on(
                "recurrence.kind",
                f"a {kind.value} recurrence repeats every {_period_name(kind)}, but the window "
                f"lasts {_days(end - start)}: occurrences would overlap; shorten the window",
            )


def _days(delta: timedelta) -> str:
    days = delta.total_seconds() / 86_400
    return f"{days:g} days" if days != 1 else "1 day"


def occurrences(start: datetime, end: datetime, recurrence: Recurrence | None) -> list[Occurrence]:
    """The occurrence windows of a window repeated by ``recurrence`` (None: just one).

    Raises:
        ValidationFailed: the window is empty, the count is impossible for the kind, or
            the window is longer than the recurrence period.
    """
    if end <= start:
        raise ValidationFailed.on("window.end", "must be after window.start")
    if recurrence is None or recurrence.kind is RecurrenceKind.ONCE:
        if recurrence is not None:
            _check_recurrence(start, end, recurrence)
        return [Occurrence(0, start, end)]
    _check_recurrence(start, end, recurrence)
    kind = recurrence.kind
    return [
        Occurrence(k, shift(start, kind, k), shift(start, kind, k) + (end - start))
        for k in range(recurrence.occurrences)
    ]


def revisit_slots(start: datetime, end: datetime, period: timedelta | None) -> list[Slot]:
    """Consecutive slots of ``period`` from ``start`` to ``end`` (the last one shorter).

    Raises:
        ValidationFailed: the window is empty, the period shorter than an hour, or the
            window would have more than 10,000 slots.
    """
    if end <= start:
        raise ValidationFailed.on("window.end", "must be after window.start")
    if period is not None and period < MIN_REVISIT:
        raise ValidationFailed.on(
            "revisit_period", "is shorter than the shortest revisit period, PT1H"
        )
    if period is None or period >= end - start:
        return [Slot(0, start, end)]
    count = -(-(end - start) // period)
    if count > MAX_SLOTS:
        raise ValidationFailed.on(
            "revisit_period",
            f"cuts the window into {count} revisit slots; at most {MAX_SLOTS:,} are allowed",
        )
    return [Slot(k, start + k * period, min(end, start + (k + 1) * period)) for k in range(count)]


def item_occurrences(spec: TaskingSpec) -> list[Occurrence]:
    """The occurrences of a tasking item.

    Raises:
        ValidationFailed: an impossible combination of window and recurrence.
    """
    return occurrences(spec.window_start, spec.window_end, spec.recurrence)


def occurrence_at(spec: TaskingSpec, at: datetime) -> Occurrence | None:
    """The occurrence of ``spec`` in progress at ``at``, else the next one, else None."""
    return next((o for o in item_occurrences(spec) if at < o.end), None)


def occurrence_ending(spec: TaskingSpec, end: datetime) -> Occurrence | None:
    """The occurrence of ``spec`` that ends exactly at ``end``, if any."""
    return next((o for o in item_occurrences(spec) if o.end == end), None)
