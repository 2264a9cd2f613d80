"""Reads run beside a unit of work, on another pooled connection, while it goes on.

A list answer needs the page and the total. On PostgreSQL the exact total of a large
match costs more than everything else in the request (an index-only walk over every
match), so it runs on a second connection while the first reads the page and Python
renders it. Both statements are tenant-scoped by the repository that built them; they
see the same committed data a READ COMMITTED transaction would (each statement its own
snapshot). SQLite has one writer and cheap counts: there the read runs inline.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Connection, Engine

Deferred = Callable[[], int]


class SideReader:
    """Runs scalar reads on their own connections from a small thread pool."""

    def __init__(self, engine: Engine, workers: int = 8) -> None:
        self._engine = engine
        self._parallel = engine.dialect.name == "postgresql"
        self._pool = (
            ThreadPoolExecutor(workers, thread_name_prefix="skyorder-side-read")
            if self._parallel
            else None
        )

    def integer(self, conn: Connection, stmt: Select[Any]) -> Deferred:
        """Start ``stmt`` (one integer); the returned call waits for and returns it.

        ``conn`` is the caller's connection, used when reads cannot run beside it.
        """
        if self._pool is None:
            value = int(conn.execute(stmt).scalar_one())
            return lambda: value
        future = self._pool.submit(self._run, stmt)
        return future.result

    def _run(self, stmt: Select[Any]) -> int:
        with self._engine.connect() as side:
            side = side.execution_options(isolation_level="AUTOCOMMIT")
            return int(side.execute(stmt).scalar_one())

    def close(self) -> None:
        """Stop the worker threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
