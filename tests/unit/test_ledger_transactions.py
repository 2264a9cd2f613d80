from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skyorder.core.ledger import Account, Entry, EntryKind, Transaction, transaction

AT = datetime(2026, 1, 5, tzinfo=UTC)


def charge(amount: int) -> list[Entry]:
    return transaction(
        EntryKind.CHARGE,
        organisation_id="org",
        contract_id="c1",
        amount=amount,
        at=AT,
        memo="order 1",
        order_id="o1",
        item_id="i1",
        deliverable_id="d1",
    )


def test_a_transaction_is_the_amount_it_moved_and_what_it_paid_for() -> None:
    tx = Transaction.of(charge(233))
    assert (tx.kind, tx.amount, tx.contract_id) == (EntryKind.CHARGE, 233, "c1")
    assert (tx.order_id, tx.item_id, tx.deliverable_id) == ("o1", "i1", "d1")
    assert {(e.account, e.amount) for e in tx.entries} == {
        (Account.HELD, -233),
        (Account.SPENT, 233),
    }


def test_entries_of_two_transactions_are_not_one() -> None:
    with pytest.raises(ValueError, match="several transactions"):
        Transaction.of([*charge(1), *charge(2)])
