"""The ledger, quotes and checkouts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyorder.core.ledger import Account, Balances, Entry, EntryKind, Transaction
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.quoting import Quote
from skyorder.core.tasks import ItemMoney
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import page_rows, scoped

_cb = t.contract_balances
_BALANCES = select(_cb.c.account, _cb.c.amount).where(_cb.c.contract_id == bindparam("contract_id"))
AVAILABLE_NOT_NEGATIVE = "ck_contract_balances_available_not_negative"
"""The constraint that refuses an available balance below zero (migration 0023)."""

_LOCKED_BALANCES = _BALANCES.order_by(_cb.c.account).with_for_update(key_share=True)
"""Built once: a statement made per call costs more to build and key than to run.

It locks the contract's balance rows themselves, in account order: a ``SELECT … FOR UPDATE``
that waited for another transaction answers the *new* version of each row it locks, but
rows it only joins come from the snapshot taken before the wait. ``FOR NO KEY UPDATE`` is
all it needs, and does not block inserts whose foreign keys name the contract."""

_LOCK_CONTRACT = (
    select(t.contracts.c.id)
    .where(t.contracts.c.id == bindparam("contract_id"))
    .with_for_update(key_share=True)
)
"""The contract's row: writers that lock it take turns on it before they lock its balance
rows (:data:`_LOCKED_BALANCES`), so a writer that then moves money in any order of accounts
meets no other such writer holding one of the rows. A placement locks none of them first:
its holds update the rows in account order (available, then held, then spent) and the
database checks the available balance (:meth:`LedgerRepository.add_within_balance`)."""


class LedgerRepository:
    """Append-only ledger entries; balances are sums."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock_contract(self, contract_id: str) -> None:
        """Serialise balance changes of one contract until the transaction ends.

        PostgreSQL locks the contract's row and its balance rows; SQLite write transactions
        are already serialised by ``BEGIN IMMEDIATE``.
        """
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(_LOCK_CONTRACT, {"contract_id": contract_id})
            self.conn.execute(_LOCKED_BALANCES, {"contract_id": contract_id})

    def add(self, entries: list[Entry]) -> None:
        """Append the entries of one or more transactions in one insert (each must balance)."""
        sums: dict[str, int] = {}
        for e in entries:
            sums[e.transaction_id] = sums.get(e.transaction_id, 0) + e.amount
        if any(sums.values()):
            raise ValueError("ledger transaction does not balance")
        self.conn.execute(
            t.ledger_entries.insert(),
            [
                {
                    "id": e.id,
                    "transaction_id": e.transaction_id,
                    "organisation_id": e.organisation_id,
                    "contract_id": e.contract_id,
                    "account": e.account.value,
                    "amount": e.amount,
                    "kind": e.kind.value,
                    "order_id": e.order_id,
                    "item_id": e.item_id,
                    "deliverable_id": e.deliverable_id,
                    "memo": e.memo,
                    "created_at": e.created_at,
                }
                for e in entries
            ],
        )

    def add_within_balance(self, entries: list[Entry]) -> bool:
        """:meth:`add`, unless it would take a contract's available balance below zero: then
        False, and the unit of work must be rolled back (PostgreSQL aborts it).

        The database checks the balance row in the insert's own statement (the triggers
        update it; migration 0023's constraint refuses a negative available amount), so no
        lock need be taken first: the row is locked from this statement to the commit.
        """
        try:
            self.add(entries)
        except IntegrityError as error:
            if AVAILABLE_NOT_NEGATIVE not in str(error.orig):
                raise
            return False
        return True

    def balances(self, contract_id: str, order_id: str | None = None) -> Balances:
        """A contract's balances (or one order's share of them).

        A contract's are read from ``contract_balances`` (the ledger's sums, kept by
        triggers), not summed from its entries: one indexed read however long the ledger.
        """
        le = t.ledger_entries
        if order_id is None:
            rows = self.conn.execute(_BALANCES, {"contract_id": contract_id})
        else:
            rows = self.conn.execute(
                select(le.c.account, func.sum(le.c.amount))
                .where(le.c.contract_id == contract_id, le.c.order_id == order_id)
                .group_by(le.c.account)
            )
        return _balances({Account(a): int(v or 0) for a, v in rows})

    def item_balances(self, order_id: str) -> dict[str | None, Balances]:
        """An order's held and spent amounts per item."""
        rows = self.conn.execute(
            select(
                t.ledger_entries.c.item_id,
                t.ledger_entries.c.account,
                func.sum(t.ledger_entries.c.amount),
            )
            .where(t.ledger_entries.c.order_id == order_id)
            .group_by(t.ledger_entries.c.item_id, t.ledger_entries.c.account)
        ).all()
        acc: dict[str | None, dict[Account, int]] = {}
        for item_id, account, total in rows:
            acc.setdefault(item_id, {})[Account(account)] = int(total or 0)
        return {
            k: Balances(
                v.get(Account.AVAILABLE, 0), v.get(Account.HELD, 0), v.get(Account.SPENT, 0)
            )
            for k, v in acc.items()
        }

    def item_money(self, principal: Principal, item_ids: list[str]) -> dict[str, ItemMoney]:
        """Held and spent amounts per item, with the transaction that first paid for each and
        when its spent amount last changed."""
        if not item_ids:
            return {}
        le = t.ledger_entries
        rows = self.conn.execute(
            select(le.c.item_id, le.c.account, le.c.amount, le.c.transaction_id, le.c.created_at)
            .where(scoped(le, principal), le.c.item_id.in_(item_ids))
            .order_by(le.c.pk)
        ).all()
        held: dict[str, int] = {}
        spent: dict[str, int] = {}
        first: dict[str, str] = {}
        last_spent: dict[str, datetime] = {}
        for item_id, account, amount, tx, at in rows:
            if account == Account.HELD.value:
                held[item_id] = held.get(item_id, 0) + int(amount)
            elif account == Account.SPENT.value:
                spent[item_id] = spent.get(item_id, 0) + int(amount)
                last_spent[item_id] = max(at, last_spent.get(item_id, at))
            else:
                continue
            if int(amount) > 0:
                first.setdefault(item_id, tx)
        return {
            i: ItemMoney(held.get(i, 0), spent.get(i, 0), first.get(i), last_spent.get(i))
            for i in {*held, *spent}
        }

    def entries(
        self, principal: Principal, contract_id: str, query: ListQuery
    ) -> PageResult[Entry]:
        """One page of a contract's entries, oldest first."""
        stmt = select(t.ledger_entries).where(
            scoped(t.ledger_entries, principal), t.ledger_entries.c.contract_id == contract_id
        )
        total, rows = page_rows(self.conn, stmt, query, t.ledger_entries.c.pk)
        return PageResult(total, [_entry(r) for r in rows], query.limit, query.offset)

    def order_entries(self, principal: Principal, order_id: str) -> list[Entry]:
        """Every entry about one of the caller's orders, oldest first."""
        return self._scoped(principal, t.ledger_entries.c.order_id == order_id)

    def transaction(
        self, principal: Principal, contract_id: str, transaction_id: str
    ) -> Transaction | None:
        """One transaction of one of the caller's contracts (None: not the caller's)."""
        le = t.ledger_entries
        entries = self._scoped(
            principal, le.c.contract_id == contract_id, le.c.transaction_id == transaction_id
        )
        return Transaction.of(entries) if entries else None

    def charges(self, principal: Principal, order_id: str) -> dict[str, list[Transaction]]:
        """The charge transactions of one of the caller's orders, per item, oldest first."""
        le = t.ledger_entries
        grouped: dict[str, list[Entry]] = {}
        for entry in self._scoped(
            principal,
            le.c.order_id == order_id,
            le.c.kind == EntryKind.CHARGE.value,
            le.c.item_id.is_not(None),
        ):
            grouped.setdefault(entry.transaction_id, []).append(entry)
        out: dict[str, list[Transaction]] = {}
        for entries in grouped.values():
            tx = Transaction.of(entries)
            out.setdefault(str(tx.item_id), []).append(tx)
        return out

    def _scoped(self, principal: Principal, *where: ColumnElement[bool]) -> list[Entry]:
        """The caller's entries matching ``where``, oldest first."""
        le = t.ledger_entries
        rows = self.conn.execute(
            select(le).where(scoped(le, principal), *where).order_by(le.c.pk)
        ).all()
        return [_entry(r) for r in rows]


def _balances(sums: dict[Account, int]) -> Balances:
    return Balances(
        available=sums.get(Account.AVAILABLE, 0),
        held=sums.get(Account.HELD, 0),
        spent=sums.get(Account.SPENT, 0),
    )


def _entry(r: Row[Any]) -> Entry:
    return Entry(
        r.id,
        r.transaction_id,
        r.organisation_id,
        r.contract_id,
        Account(r.account),
        int(r.amount),
        EntryKind(r.kind),
        r.order_id,
        r.item_id,
        r.memo,
        r.created_at,
        r.deliverable_id,
    )


class QuoteRepository:
    """Quotes, scoped to the caller's organisation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, q: Quote) -> None:
        """Insert a quote."""
        self.conn.execute(t.quotes.insert(), {**q.__dict__})

    def get(self, principal: Principal, quote_id: str, *, for_update: bool = False) -> Quote | None:
        """One of the caller's quotes."""
        stmt = select(t.quotes).where(scoped(t.quotes, principal), t.quotes.c.id == quote_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.conn.execute(stmt).first()
        return Quote(**row._asdict()) if row else None

    def mark_used(self, quote_id: str, order_id: str) -> bool:
        """Bind the quote to an order; False if another order took it first."""
        result = self.conn.execute(
            update(t.quotes)
            .where(t.quotes.c.id == quote_id, t.quotes.c.order_id.is_(None))
            .values(order_id=order_id)
        )
        return bool(result.rowcount == 1)


@dataclass(frozen=True)
class Checkout:
    """A hosted sandbox checkout for a pay-per-order order."""

    id: str
    organisation_id: str
    order_id: str
    amount: int
    currency: str
    status: str
    created_at: datetime
    completed_at: datetime | None


class CheckoutRepository:
    """Checkouts; looked up by their unguessable id (the page is the capability)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, c: Checkout) -> None:
        """Insert a checkout."""
        self.conn.execute(t.checkouts.insert(), {**c.__dict__})

    def get(self, checkout_id: str, *, for_update: bool = False) -> Checkout | None:
        """A checkout by id."""
        stmt = select(t.checkouts).where(t.checkouts.c.id == checkout_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.conn.execute(stmt).first()
        return Checkout(**row._asdict()) if row else None

    def for_order(self, order_id: str) -> Checkout | None:
        """The checkout of an order, if it has one."""
        row = self.conn.execute(
            select(t.checkouts).where(t.checkouts.c.order_id == order_id)
        ).first()
        return Checkout(**row._asdict()) if row else None

    def complete(self, checkout_id: str, status: str, at: datetime) -> bool:
        """Close an open checkout as paid or cancelled; False if it was no longer open."""
        result = self.conn.execute(
            update(t.checkouts)
            .where(t.checkouts.c.id == checkout_id, t.checkouts.c.status == "open")
            .values(status=status, completed_at=at)
        )
        return bool(result.rowcount == 1)
