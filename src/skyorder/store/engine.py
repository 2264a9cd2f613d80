"""Database engines for the embedded (SQLite) and scale (PostgreSQL) modes."""

from __future__ import annotations

import time
from typing import Any

import orjson
from psycopg.types.json import set_json_loads
from sqlalchemy import create_engine, event, exc
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
        # As many pooled connections as on PostgreSQL: with SQLAlchemy's default of five, a
        # burst of concurrent requests closed and reopened connections (and their PRAGMAs).
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 60},
            pool_size=20,
            max_overflow=20,
        )
        _configure_sqlite(engine)
        return engine
    # orjson decodes jsonb several times faster than the standard library.
    set_json_loads(orjson.loads)
    # LIFO: the connections in use stay few and warm (their prepared statements, their
    # backends' caches); the others idle and are pinged before reuse.
    engine = create_engine(url, pool_size=20, max_overflow=20, pool_use_lifo=True)
    _ping_idle_connections(engine)
    return engine


IDLE_PING_SECONDS = 5.0
"""A pooled connection unused for longer than this is checked before it is handed out."""


def _ping_idle_connections(engine: Engine) -> None:
    """Check pooled connections that sat idle, or that the driver knows are broken.

    ``pool_pre_ping`` would cost a round trip on every checkout, i.e. on every request;
    a connection in steady use needs none. A server restart that breaks a busy
    connection still fails that one statement, and the pool is then renewed.
    """

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if dbapi_conn.closed or dbapi_conn.broken:
            raise exc.DisconnectionError("the connection was closed")
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            dbapi_conn.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as error:  # noqa: BLE001 - any failure means: use another connection
            raise exc.DisconnectionError(f"the idle connection failed a ping: {error}") from error


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
        options = conn.get_execution_options()
        if options.get("skyorder_autocommit", False):
            return  # reads that need no snapshot: each statement on its own, no BEGIN
        readonly = options.get("skyorder_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
