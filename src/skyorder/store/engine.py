"""Database engines for the embedded (SQLite) and scale (PostgreSQL) modes."""

from __future__ import annotations

from typing import Any

import orjson
from psycopg.types.json import set_json_loads
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and write transactions that lock early.

    SQLite upgrades a read lock to a write lock lazily, which deadlocks concurrent
    writers; write units of work therefore begin with ``BEGIN IMMEDIATE`` so that
    concurrent writers queue on the busy timeout instead.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})
        _configure_sqlite(engine)
        return engine
    # orjson decodes jsonb several times faster than the standard library.
    set_json_loads(orjson.loads)
    return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("skyorder_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
