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
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

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
