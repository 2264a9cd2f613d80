"""km² subscription periods and coverage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.subscriptions import Consumption, Subscription, check_terms

START = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)


def subscription(months: int = 1) -> Subscription:
    return Subscription("s", "o", "c", 50.0, months, START, START)


def test_a_period_runs_a_month_from_the_start_day_or_the_months_last() -> None:
    assert subscription().period(START) == (START, START.replace(month=2, day=28))
    begin, end = subscription().period(datetime(2026, 3, 15, tzinfo=UTC))
    assert (begin, end) == (START.replace(month=2, day=28), START.replace(month=3, day=31))
    assert subscription().period(datetime(2026, 4, 1, tzinfo=UTC))[0] == START.replace(month=3)


def test_a_quarterly_period_covers_three_months() -> None:
    begin, end = subscription(3).period(datetime(2026, 5, 20, tzinfo=UTC))
    assert (begin.month, end.month) == (4, 7)


def test_coverage_is_what_remains_of_the_quota() -> None:
    used = Consumption(subscription(), START, START, 31.74)
    assert used.remaining_km2 == 18.26
    assert used.covers(18.26) and not used.covers(18.27)


@pytest.mark.parametrize(("quota", "months"), [(0, 1), (-1, 1), (10, 0), (10, 25)])
def test_terms_outside_the_bounds_are_refused(quota: float, months: int) -> None:
    with pytest.raises(ValidationFailed):
        check_terms(quota, months)
