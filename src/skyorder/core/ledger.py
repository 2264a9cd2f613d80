"""The double-entry ledger: holds, charges, releases and refunds as balanced transactions.

Every transaction is a set of entries whose amounts sum to zero across
accounts. A contract's balance in an account is the sum of its entries there;
nothing is ever updated or deleted. ``available`` never goes below zero: a
hold that it cannot cover is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from skyorder.core.errors import DomainError, ValidationFailed
from skyorder.core.ids import new_id

MAX_AMOUNT = 2**63 - 1
"""The most an account can hold: amounts are stored as 64-bit integers."""


class Account(StrEnum):
    """Where value sits for a contract."""

    FUNDING = "funding"  # the outside world: credits bought, payments received
    AVAILABLE = "available"
    HELD = "held"
    SPENT = "spent"


class EntryKind(StrEnum):
    """What a transaction does."""

    TOPUP = "topup"  # funding -> available
    HOLD = "hold"  # available -> held
    CHARGE = "charge"  # held -> spent
    RELEASE = "release"  # held -> available
    REFUND = "refund"  # spent -> available
    PAYMENT = "payment"  # funding -> spent (pay-per-order checkout)
    PAYOUT = "payout"  # spent -> funding (a checkout payment given back)


_MOVES: dict[EntryKind, tuple[Account, Account]] = {
    EntryKind.TOPUP: (Account.FUNDING, Account.AVAILABLE),
    EntryKind.HOLD: (Account.AVAILABLE, Account.HELD),
    EntryKind.CHARGE: (Account.HELD, Account.SPENT),
    EntryKind.RELEASE: (Account.HELD, Account.AVAILABLE),
    EntryKind.REFUND: (Account.SPENT, Account.AVAILABLE),
    EntryKind.PAYMENT: (Account.FUNDING, Account.SPENT),
    EntryKind.PAYOUT: (Account.SPENT, Account.FUNDING),
}


class InsufficientFunds(DomainError):
    """The contract's available balance cannot cover the amount."""

    code = "insufficient-funds"
    title = "Insufficient balance"


@dataclass
class OrderRejected(InsufficientFunds):
    """An order the balance could not cover, recorded as rejected (``order_id``)."""

    order_id: str = ""
    order_number: str = ""


@dataclass(frozen=True)
class Entry:
    """One line of a transaction."""

    id: str
    transaction_id: str
    organisation_id: str
    contract_id: str
    account: Account
    amount: int
    kind: EntryKind
    order_id: str | None
    item_id: str | None
    memo: str
    created_at: datetime
    deliverable_id: str | None = None


@dataclass(frozen=True)
class Transaction:
    """One balanced move of value: its kind, the amount moved, what it paid for, its entries."""

    id: str
    kind: EntryKind
    amount: int
    contract_id: str
    order_id: str | None
    item_id: str | None
    deliverable_id: str | None
    memo: str
    created_at: datetime
    entries: tuple[Entry, ...]

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> Transaction:
        """The transaction made of ``entries`` (all of one transaction, at least one)."""
        first = entries[0]
        if any(e.transaction_id != first.transaction_id for e in entries):
            raise ValueError("entries of several transactions")
        return cls(
            first.transaction_id,
            first.kind,
            sum(e.amount for e in entries if e.amount > 0),
            first.contract_id,
            first.order_id,
            first.item_id,
            first.deliverable_id,
            first.memo,
            first.created_at,
            tuple(entries),
        )


@dataclass(frozen=True)
class Balances:
    """A contract's balance per account."""

    available: int = 0
    held: int = 0
    spent: int = 0


def transaction(
    kind: EntryKind,
    *,
    organisation_id: str,
    contract_id: str,
    amount: int,
    at: datetime,
    memo: str,
    order_id: str | None = None,
    item_id: str | None = None,
    deliverable_id: str | None = None,
) -> list[Entry]:
    """The two balanced entries that move ``amount`` as ``kind`` says."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed.on("amount", "must be a positive whole number")
    source, target = _MOVES[kind]
    tx = new_id()
    return [
        Entry(
            new_id(),
            tx,
            organisation_id,
            contract_id,
            account,
            signed,
            kind,
            order_id,
            item_id,
            memo,
            at,
            deliverable_id,
        )
        for account, signed in ((source, -amount), (target, amount))
    ]


def check_movable(kind: EntryKind, balances: Balances, amount: int, currency: str) -> None:
    """Refuse a move that would take an account below zero."""
    source, _ = _MOVES[kind]
    have = {
        Account.AVAILABLE: balances.available,
        Account.HELD: balances.held,
        Account.SPENT: balances.spent,
    }.get(source)
    if have is not None and have < amount:
        if source is Account.AVAILABLE:
            raise InsufficientFunds(
                f"the order costs {amount} {currency} but the contract's available balance is "
                f"{have} {currency}; top up the contract or order less"
            )
        raise ValidationFailed.on("amount", f"only {have} {currency} is {source.value}")
