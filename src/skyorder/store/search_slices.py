"""Time slices for searches sorted by acquisition time: read the newest (or oldest) first.

A spatial index finds every item in a box before the database can sort them by
time, so a search over years of a busy place reads hundreds of candidates to
return ten. Searching the end of the window the sort starts from first, and the
rest only when that slice does not fill the page, reads a fraction of them; the
slices are disjoint and taken in sort order, so the page is the same one.

Slices are half-open ``[lower, upper)`` with ``None`` for "no bound": the first
and the last slice are open outwards, so a time span that is only an estimate
(the catalog's extent, which may have grown since) never hides an item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FIRST_SHARE = 1 / 16
"""The share of the window the first slice covers."""
GROWTH = 4
"""Each further slice covers this many times the previous one; the last takes the rest."""
SLICES = 3
"""At most this many queries per page."""
MIN_SPAN = timedelta(days=1)
"""Windows shorter than this are read in one query."""


@dataclass(frozen=True)
class TimeSlice:
    """``lower <= datetime < upper``; None leaves that side to the search's own conditions."""

    lower: datetime | None
    upper: datetime | None


WHOLE = TimeSlice(None, None)


def time_slices(start: datetime, end: datetime, *, descending: bool) -> list[TimeSlice]:
    """The slices to read, in sort order, for a window of items from ``start`` to ``end``."""
    span = end - start
    if span < MIN_SPAN:
        return [WHOLE]
    cuts: list[datetime] = []
    share, covered = FIRST_SHARE, 0.0
    for _ in range(SLICES - 1):
        covered += share
        if covered >= 1:
            break
        cuts.append(end - span * covered if descending else start + span * covered)
        share *= GROWTH
    bounds: list[datetime | None] = [None, *cuts, None]
    if descending:
        return [TimeSlice(lower, upper) for upper, lower in zip(bounds, bounds[1:], strict=False)]
    return [TimeSlice(lower, upper) for lower, upper in zip(bounds, bounds[1:], strict=False)]
