"""Listing order items across orders: what an item is, and how a list of them is asked for.

Pixxel lists order items rather than orders; the query here is what its filters (and any
front end's) mean in core terms. Ranges are ``low,high`` with either side optional
(``2024-01-01,`` is "from 2024 on"); a low above its high is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from skyorder.core.errors import ValidationFailed
from skyorder.core.listing import parse_time
from skyorder.core.orders import ItemStatus, Order, OrderItem, PaymentStatus, RecurrenceKind
from skyorder.core.tasks import ItemMoney, Task

DEFAULT_ITEM_LIMIT = 10
MAX_ITEM_LIMIT = 100


class ItemType(StrEnum):
    """What an item buys: an archive scene, one tasking window, or a recurring one."""

    ARCHIVE = "ARCHIVE"
    TASKING = "TASKING"
    RECURRING = "RECURRING"


def item_type(item: OrderItem) -> ItemType:
    """The item's type: recurring when its window repeats (any recurrence but ONCE)."""
    if item.tasking is None:
        return ItemType.ARCHIVE
    rec = item.tasking.recurrence
    if rec is not None and rec.kind is not RecurrenceKind.ONCE:
        return ItemType.RECURRING
    return ItemType.TASKING


def item_area_km2(item: OrderItem) -> float | None:
    """The area ordered: the AOI (clipped to the scene for archive items), in km².

    A point AOI has no area of its own: its area is the billed minimum.
    """
    if item.price is None:
        return item.area_km2
    return item.price.areas.clipped_km2 or item.price.areas.billable_km2


@dataclass(frozen=True)
class ItemQuery:
    """A page of the caller's order items, newest first, matching every given filter."""

    ids: tuple[str, ...] = ()
    order_ids: tuple[str, ...] = ()
    project_ids: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()
    """Items created by these users."""
    created_by: tuple[str, ...] = ()
    """Items created by these users, API clients or e-mail addresses."""
    types: tuple[ItemType, ...] = ()
    statuses: tuple[ItemStatus, ...] | None = None
    """None: any status; empty: none matches (e.g. only drafts asked for)."""
    created_after: datetime | None = None
    created_before: datetime | None = None
    area_min: float | None = None
    area_max: float | None = None
    limit: int = DEFAULT_ITEM_LIMIT
    offset: int = 0


def parse_time_range(raw: str, field: str) -> tuple[datetime | None, datetime | None]:
    """``start,end`` (either may be empty) as times; refused when start is after end."""
    low, high = _halves(raw, field)
    start = parse_time(low, field) if low else None
    end = parse_time(high, field) if high else None
    if start is not None and end is not None and start > end:
        raise ValidationFailed.on(field, f"starts after it ends ({low} > {high})")
    return start, end


def parse_number_range(raw: str, field: str) -> tuple[float | None, float | None]:
    """``low,high`` (either may be empty) as non-negative numbers; low must not exceed high."""
    low_text, high_text = _halves(raw, field)
    low, high = _number(low_text, field), _number(high_text, field)
    if low is not None and high is not None and low > high:
        raise ValidationFailed.on(field, f"the low end {low:g} is above the high end {high:g}")
    return low, high


def _halves(raw: str, field: str) -> tuple[str, str]:
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != 2 or not any(parts):
        raise ValidationFailed.on(
            field, f"{raw!r} is not a range: give 'low,high' (either side may be left empty)"
        )
    return parts[0], parts[1]


def _number(text: str, field: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationFailed.on(field, f"{text!r} is not a number") from None
    if not 0 <= value < float("inf"):
        raise ValidationFailed.on(field, f"{text!r} must be a non-negative number")
    return value


def parse_page(limit: str | None, offset: str | None) -> tuple[int, int]:
    """The page asked for (limit 1-100, default 10; offset from 0)."""
    return (
        _whole(limit, "limit", 1, MAX_ITEM_LIMIT, DEFAULT_ITEM_LIMIT),
        _whole(offset, "offset", 0, 10**9, 0),
    )


def _whole(text: str | None, field: str, low: int, high: int, default: int) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValidationFailed.on(field, f"{text!r} is not a whole number") from None
    if not low <= value <= high:
        raise ValidationFailed.on(field, f"must be between {low} and {high}")
    return value


@dataclass(frozen=True)
class ItemRecord:
    """One order item as a listing shows it: with its order, its tasks and its money."""

    order: Order
    item: OrderItem
    tasks: tuple[Task, ...]
    money: ItemMoney
    payment_status: PaymentStatus | None = None
    """The item's own payment status where it differs from its order's (monthly billing)."""
