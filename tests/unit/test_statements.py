"""Monthly statements: calendar months in UTC, and where a monthly item's money stands."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from skyorder.core.orders import ItemStatus, PaymentStatus
from skyorder.core.statements import (
    month_label,
    month_start,
    monthly_item_status,
    next_month_start,
    previous_month_start,
)
from skyorder.core.tasks import ItemMoney
from tests.unit.builders import make_item

FEB = datetime(2026, 2, 1, tzinfo=UTC)


def test_months_are_utc_calendar_months_across_year_ends() -> None:
    late_local = datetime(2026, 1, 31, 23, 30, tzinfo=timezone(timedelta(hours=-3)))
    assert month_start(late_local) == FEB  # 02:30 UTC on 1 February
    assert next_month_start(datetime(2026, 12, 15, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
    assert previous_month_start(datetime(2026, 1, 1, tzinfo=UTC)) == datetime(
        2025, 12, 1, tzinfo=UTC
    )
    assert month_label(FEB) == "2026-02"


def test_a_monthly_item_is_paid_once_ended_and_its_last_work_settled() -> None:
    item = make_item(ItemStatus.ACTIVE)
    owed = ItemMoney(spent=100, last_spent_at=FEB - timedelta(days=3))
    assert monthly_item_status(item, owed, FEB) is PaymentStatus.PARTIAL_MONTHLY  # still open
    ended = replace(item, status=ItemStatus.COMPLETED)
    assert monthly_item_status(ended, owed, None) is PaymentStatus.PARTIAL_MONTHLY
    assert monthly_item_status(ended, owed, FEB) is PaymentStatus.PAID
    later = replace(owed, last_spent_at=FEB)
    assert monthly_item_status(ended, later, FEB) is PaymentStatus.PARTIAL_MONTHLY
    assert monthly_item_status(ended, ItemMoney(), FEB) is PaymentStatus.NOT_REQUIRED
