"""The order placement path stays short: few statements, one ledger insert, writers queued."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from skyorder.core.ledger import EntryKind, transaction
from skyorder.runtime import Runtime
from skyorder.store import tables as t
from tests.factories import order_body, poor_organisation

Tenant = dict[str, Any]
STATEMENTS_BUDGET = 19  # tasks inserted; no agenda look-up, no BEGIN for the reads (21 before)
"""Statements of placing a tasking order paid from a balance, with an idempotency key
(reads, BEGIN and COMMIT included on SQLite; 26 before the order was written once)."""


@contextmanager
def statements(engine: Engine) -> Iterator[Counter[str]]:
    """Count the statements sent on ``engine`` (first word), BEGIN and COMMIT included."""
    seen: Counter[str] = Counter()

    def _statement(_conn: Any, _cur: Any, sql: str, *_: Any) -> None:
        seen[sql.split(None, 1)[0].upper()] += 1

    def _tx(name: str) -> Any:
        return lambda *_: seen.update([name])

    listeners = [("before_cursor_execute", _statement), ("commit", _tx("COMMIT"))]
    for name, fn in listeners:
        event.listen(engine, name, fn)
    try:
        yield seen
    finally:
        for name, fn in listeners:
            event.remove(engine, name, fn)


def test_a_balance_paid_order_is_written_in_a_short_transaction(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    body = order_body()
    with statements(runtime.engine) as seen:
        response = client.post(
            "/v1/orders", json=body, headers={**tenant["headers"], "Idempotency-Key": "k-1"}
        )
    assert response.status_code == 201, response.text
    assert seen["UPDATE"] == 1, seen  # the order number; the order is inserted as settled
    assert sum(seen.values()) <= STATEMENTS_BUDGET, seen


def test_an_order_the_balance_cannot_cover_is_refused_and_recorded_in_one_transaction(
    client: TestClient, runtime: Runtime
) -> None:
    poor = poor_organisation(runtime)
    headers = {"X-API-Key": poor["api_key"], "Idempotency-Key": "k-poor"}
    client.get("/v1/orders", headers=headers)  # the caller loaded (its reads are not counted)
    with statements(runtime.engine) as seen:
        response = client.post("/v1/orders", json=order_body(), headers=headers)
    assert response.status_code == 402, response.text
    # One order number reserved and kept by the rejected order: no second write transaction.
    assert seen["UPDATE"] == 1, seen
    assert seen["COMMIT"] == 1, seen
    with runtime.engine.connect() as conn:
        keys = conn.execute(select(t.idempotency_keys.c.key)).all()
    assert keys == []  # a retry with the key is judged again (after a top-up, say)


def test_one_insert_writes_the_holds_of_every_item(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    body = order_body(order_body()["items"][0], order_body()["items"][0])
    with statements(runtime.engine) as seen:
        response = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    with runtime.engine.connect() as conn:
        holds = conn.execute(
            select(t.ledger_entries.c.transaction_id).where(
                t.ledger_entries.c.order_id == response.json()["id"]
            )
        ).all()
    assert len({row[0] for row in holds}) == 2  # one transaction per item
    assert seen["INSERT"] <= 8, seen  # not one ledger (or task) insert per item


def test_a_ledger_insert_refuses_any_transaction_that_does_not_balance(
    runtime: Runtime, tenant: Tenant
) -> None:
    at = datetime.now(UTC)
    ids = {"organisation_id": tenant["organisation_id"], "contract_id": tenant["contract_id"]}
    good = transaction(EntryKind.TOPUP, amount=5, at=at, memo="ok", **ids)
    bad = transaction(EntryKind.TOPUP, amount=7, at=at, memo="bad", **ids)
    bad[1] = replace(bad[1], amount=-6)  # -6 against +7
    with runtime.uow() as uow, pytest.raises(ValueError, match="does not balance"):
        uow.ledger.add(good + bad)


def _handoff_lag(runtime: Runtime) -> float:
    """Seconds from one write unit of work's end to the start of one that waited for it."""
    released: list[float] = []
    entered: list[float] = []
    holding = threading.Event()

    def first() -> None:
        with runtime.uow() as uow:
            uow.clock.load_offset()
            holding.set()
            time.sleep(0.15)
            released.append(time.perf_counter())

    def second() -> None:
        holding.wait()
        with runtime.uow():
            entered.append(time.perf_counter())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return entered[0] - released[0]


def test_sqlite_writers_of_one_process_start_as_soon_as_the_last_one_ends(
    runtime: Runtime,
) -> None:
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL queues writers on row locks")
    lags = sorted(_handoff_lag(runtime) for _ in range(8))
    # SQLite's busy handler polls with sleeps of up to 100 ms: about 50 ms on average.
    assert lags[len(lags) // 2] < 0.02, lags


def _lockable(engine: Engine, sql: str, params: dict[str, str]) -> bool:
    """Whether another connection can lock what ``sql`` selects at once (``NOWAIT``)."""
    with engine.connect() as conn:
        try:
            conn.execute(text(sql + " FOR NO KEY UPDATE NOWAIT"), params)
        except OperationalError:
            return False
        finally:
            conn.rollback()
        return True


def test_on_postgresql_a_placement_locks_neither_its_organisation_nor_its_balance_while_it_writes(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    """While the order row is inserted, another placement of the same organisation could take
    an order number and lock the balance: the number was reserved and committed before, the
    balance is locked only after the order's rows are written."""
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers take turns on the whole database")
    org = {"org": tenant["organisation_id"], "contract": tenant["contract_id"]}
    probes: dict[str, list[bool]] = {"organisation": [], "balance": []}

    def _probe(_conn: Any, _cur: Any, sql: str, *_: Any) -> None:
        if sql.startswith("INSERT INTO orders "):
            probes["organisation"].append(
                _lockable(runtime.engine, "SELECT id FROM organisations WHERE id = :org", org)
            )
        if sql.startswith("INSERT INTO order_tallies"):  # after the holds, before the commit
            probes["balance"].append(
                _lockable(
                    runtime.engine,
                    "SELECT account FROM contract_balances WHERE contract_id = :contract",
                    org,
                )
            )

    event.listen(runtime.engine, "before_cursor_execute", _probe)
    try:
        response = client.post("/v1/orders", json=order_body(), headers=tenant["headers"])
    finally:
        event.remove(runtime.engine, "before_cursor_execute", _probe)
    assert response.status_code == 201, response.text
    # The organisation's row is free while the order is written; the balance rows are held
    # from the holds to the commit (the probe then finds them locked).
    assert probes == {"organisation": [True], "balance": [False]}, probes


def test_on_postgresql_a_balance_spent_while_the_order_was_written_refuses_it_and_records_it(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    """The unlocked check passed, then another transaction held the whole balance before this
    placement locked it: the second check refuses, nothing of the order stays but its record as
    rejected, and no account goes below zero."""
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's write transaction keeps every other writer out")
    ids = {"organisation_id": tenant["organisation_id"], "contract_id": tenant["contract_id"]}
    spent: list[int] = []

    def _spend_everything(_conn: Any, _cur: Any, sql: str, *_: Any) -> None:
        if not sql.startswith("INSERT INTO orders ") or spent:
            return
        with runtime.uow() as uow:
            available = uow.ledger.balances(tenant["contract_id"]).available
            at = datetime.now(UTC)
            uow.ledger.add(transaction(EntryKind.HOLD, amount=available, at=at, memo="x", **ids))
            uow.commit()
        spent.append(available)

    event.listen(runtime.engine, "before_cursor_execute", _spend_everything)
    try:
        response = client.post(
            "/v1/orders", json=order_body(), headers={**tenant["headers"], "Idempotency-Key": "r"}
        )
    finally:
        event.remove(runtime.engine, "before_cursor_execute", _spend_everything)
    assert spent and spent[0] > 0
    assert response.status_code == 402, response.text
    assert "recorded as rejected" in response.json()["detail"]
    with runtime.uow(readonly=True) as uow:
        balances = uow.ledger.balances(tenant["contract_id"])
    assert (balances.available, balances.held) == (0, spent[0])
    with runtime.engine.connect() as conn:
        statuses = conn.execute(
            select(t.orders.c.status).where(t.orders.c.organisation_id == ids["organisation_id"])
        ).scalars().all()
        keys = conn.execute(select(t.idempotency_keys.c.key)).all()
    assert statuses == ["rejected"]
    assert keys == []
