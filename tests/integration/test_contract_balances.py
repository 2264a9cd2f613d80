"""A contract's balance row equals the sums of its ledger entries, whoever writes them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyorder.core.ledger import Account, Balances, EntryKind, transaction
from skyorder.runtime import Runtime
from skyorder.store import tables as t
from skyorder.store.engine import make_engine
from skyorder.store.migrate import alembic_config
from tests.factories import order_body

Tenant = dict[str, Any]


def _sums(runtime: Runtime, contract_id: str) -> dict[str, int]:
    le = t.ledger_entries
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            select(le.c.account, func.sum(le.c.amount))
            .where(le.c.contract_id == contract_id)
            .group_by(le.c.account)
        ).all()
    return {account: int(total) for account, total in rows}


def _rows(runtime: Runtime, contract_id: str) -> dict[str, int]:
    cb = t.contract_balances
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            select(cb.c.account, cb.c.amount).where(cb.c.contract_id == contract_id)
        ).all()
    return {account: int(amount) for account, amount in rows}


def test_the_balance_rows_follow_orders_cancellations_top_ups_and_raw_sql(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    contract = tenant["contract_id"]
    placed = client.post("/v1/orders", json=order_body(), headers=tenant["headers"])
    assert placed.status_code == 201, placed.text
    second = client.post("/v1/orders", json=order_body(), headers=tenant["headers"])
    cancelled = client.post(f"/v1/orders/{second.json()['id']}/cancel", headers=tenant["headers"])
    assert cancelled.status_code == 200, cancelled.text
    ids = {"organisation_id": tenant["organisation_id"], "contract_id": contract}
    with runtime.uow() as uow:
        topup = transaction(EntryKind.TOPUP, amount=7, at=datetime.now(UTC), memo="t", **ids)
        uow.ledger.add(topup)
        uow.commit()
    with runtime.engine.begin() as conn:  # a writer that bypasses the repository
        conn.execute(
            text(
                "INSERT INTO ledger_entries (id, transaction_id, organisation_id, contract_id, "
                "account, amount, kind, memo, created_at) VALUES "
                "('raw-1', 'raw', :org, :con, 'held', 3, 'hold', 'raw', :at), "
                "('raw-2', 'raw', :org, :con, 'available', -3, 'hold', 'raw', :at)"
            ),
            {"org": tenant["organisation_id"], "con": contract, "at": datetime.now(UTC)},
        )
        conn.execute(text("UPDATE ledger_entries SET amount = 2 WHERE id = 'raw-1'"))
        conn.execute(text("DELETE FROM ledger_entries WHERE id = 'raw-2'"))
    sums = _sums(runtime, contract)
    assert sums[Account.HELD] > 0  # the first order holds its price; the second released it
    assert _rows(runtime, contract) == sums


def test_a_contract_balance_is_read_without_summing_the_ledger(
    runtime: Runtime, tenant: Tenant
) -> None:
    seen: Counter[str] = Counter()

    def _statement(_conn: Any, _cur: Any, sql: str, *_: Any) -> None:
        seen["ledger_entries" if "ledger_entries" in sql else "other"] += 1

    event.listen(runtime.engine, "before_cursor_execute", _statement)
    try:
        with runtime.uow(readonly=True) as uow:
            balances = uow.ledger.balances(tenant["contract_id"])
    finally:
        event.remove(runtime.engine, "before_cursor_execute", _statement)
    assert balances == Balances(available=_sums(runtime, tenant["contract_id"])["available"])
    assert seen["ledger_entries"] == 0, seen


def _insert(conn: Connection, table: str, **values: Any) -> None:
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES (:{', :'.join(values)})"), values)


def test_migration_0022_sums_the_entries_already_written(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config(str(engine.url))
    made = "2026-01-01"
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0017")
        _insert(conn, "organisations", id="o", name="o", order_sequence=0, created_at=made)
        _insert(conn, "contracts", id="c", organisation_id="o", name="c", billing="credits",
                currency="CREDITS", payment_mode="balance", allowed_products="[]",
                created_at=made)  # fmt: skip
        moves = [("funding", -10), ("available", 10), ("available", -4), ("held", 4)]
        for n, (account, amount) in enumerate(moves):
            _insert(conn, "ledger_entries", id=f"e{n}", transaction_id="tx", organisation_id="o",
                    contract_id="c", account=account, amount=amount, kind="topup", memo="m",
                    created_at=made)  # fmt: skip
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT account, amount FROM contract_balances")).all())
    assert rows == {"funding": -10, "available": 6, "held": 4}
    engine.dispose()


def test_the_database_refuses_holds_beyond_the_available_balance_and_keeps_nothing_of_them(
    runtime: Runtime, tenant: Tenant
) -> None:
    contract = tenant["contract_id"]
    ids = {"organisation_id": tenant["organisation_id"], "contract_id": contract}
    at = datetime.now(UTC)
    before = _rows(runtime, contract)
    available = before["available"]
    too_much = transaction(EntryKind.HOLD, amount=available + 1, at=at, memo="x", **ids)
    with runtime.uow() as uow:
        assert uow.ledger.add_within_balance(too_much) is False
    assert _rows(runtime, contract) == before
    exactly = transaction(EntryKind.HOLD, amount=available, at=at, memo="y", **ids)
    with runtime.uow() as uow:
        assert uow.ledger.add_within_balance(exactly) is True
        uow.commit()
    assert _rows(runtime, contract)["available"] == 0
    assert _rows(runtime, contract) == _sums(runtime, contract)
    # Not only through the repository: any writer meets the constraint.
    refused = pytest.raises(IntegrityError, match="available_not_negative")
    with refused, runtime.engine.begin() as conn:
        for n, (account, amount) in enumerate((("available", -1), ("held", 1))):
            conn.execute(
                t.ledger_entries.insert(),
                {**ids, "id": f"raw-hold-{n}", "transaction_id": "raw-hold", "account": account,
                 "amount": amount, "kind": "hold", "memo": "raw", "created_at": at},
            )  # fmt: skip
    assert _rows(runtime, contract)["available"] == 0
