"""Pooled PostgreSQL connections: idle ones are checked, lost ones are replaced."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from skyorder.api.native import orders as orders_api
from skyorder.store import engine as engine_module
from skyorder.store.engine import make_engine


@pytest.fixture
def pg_engine(database_url: str) -> Iterator[Engine]:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL pooling (SQLite opens a file per connection)")
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


def backend_of(eng: Engine) -> int:
    with eng.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(eng: Engine, pid: int) -> None:
    """End a server process from outside the pool, as a server restart would."""
    outside = create_engine(eng.url, poolclass=NullPool)
    with outside.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()
    outside.dispose()


def test_an_idle_connection_that_died_is_replaced_before_use(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = backend_of(pg_engine)
    terminate(pg_engine, pid)
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    assert backend_of(pg_engine) != pid


def test_a_connection_in_steady_use_is_not_pinged_and_a_loss_fails_one_statement(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 3600.0)
    statements: list[str] = []
    pid = backend_of(pg_engine)
    terminate(pg_engine, pid)
    event.listen(pg_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with pytest.raises(DBAPIError) as failure, pg_engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert failure.value.connection_invalidated
    assert statements == ["SELECT 1"]  # no ping went first
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT 2")).scalar_one() == 2


def test_a_lost_database_answers_503_with_retry_after(
    client: TestClient, tenant: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def lost(*_: object, **__: object) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(orders_api, "list_query", lost)
    response = client.get("/v1/orders", headers=tenant["headers"])
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"] == "urn:skyorder:problem:database_unavailable"
