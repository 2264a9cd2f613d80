"""Monthly statements: what a contract billed monthly in arrears owes for each month.

A contract of payment mode ``monthly`` holds and pays nothing when ordering: delivered
work is recorded as owed when it is done (``payment`` entries; what an occurrence missed
is given back as ``payout``). At the start of each calendar month (UTC, on the
organisation's sandbox clock) the month before is settled: one statement per contract and
month lists, per order item, the net amount owed for work done in it. The month is then
settled: an order whose items have all ended and whose work lies in settled months is
paid; an item is paid once it has ended and its last work lies in a settled month. Until
then both are ``partial_monthly``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from skyorder.core.orders import ITEM_STATES, OrderItem, PaymentStatus
from skyorder.core.tasks import ItemMoney


@dataclass(frozen=True)
class StatementLine:
    """What one order item owes for the month (negative when more was given back)."""

    order_id: str
    item_id: str
    amount: int


@dataclass(frozen=True)
class MonthlyStatement:
    """A contract's statement of one calendar month, issued when the month is over."""

    id: str
    organisation_id: str
    contract_id: str
    month: str
    """``YYYY-MM``."""
    period_start: datetime
    period_end: datetime
    """The first instant of the next month (excluded)."""
    currency: str
    lines: tuple[StatementLine, ...]
    issued_at: datetime

    @property
    def amount(self) -> int:
        """The month's total owed."""
        return sum(line.amount for line in self.lines)


def month_start(at: datetime) -> datetime:
    """The first instant (UTC) of the calendar month holding ``at``."""
    utc = at.astimezone(UTC)
    return datetime(utc.year, utc.month, 1, tzinfo=UTC)


def next_month_start(at: datetime) -> datetime:
    """The first instant (UTC) of the calendar month after the one holding ``at``."""
    start = month_start(at)
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else (start.replace(month=start.month + 1))
    )


def previous_month_start(at: datetime) -> datetime:
    """The first instant of the month before the one starting at (or holding) ``at``."""
    start = month_start(at)
    return (
        start.replace(year=start.year - 1, month=12)
        if start.month == 1
        else (start.replace(month=start.month - 1))
    )


def month_label(start: datetime) -> str:
    """``YYYY-MM`` of the month starting at ``start``."""
    return f"{start.year:04d}-{start.month:02d}"


def monthly_item_status(
    item: OrderItem, money: ItemMoney, settled_through: datetime | None
) -> PaymentStatus:
    """Where a monthly-billed item's money stands.

    Paid once it has ended and its last owed work lies before ``settled_through`` (the end
    of the latest settled month); nothing to pay when it ended owing nothing; otherwise
    still partial-monthly.
    """
    if not ITEM_STATES.is_terminal(item.status):
        return PaymentStatus.PARTIAL_MONTHLY
    if money.last_spent_at is None:
        return PaymentStatus.NOT_REQUIRED
    if settled_through is not None and money.last_spent_at < settled_through:
        return PaymentStatus.PAID
    return PaymentStatus.PARTIAL_MONTHLY
