"""Read-only units of work on PostgreSQL: a read-only transaction that ends with COMMIT, so
the connection keeps its prepared statements (a ROLLBACK makes psycopg drop them)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from skyorder.runtime import Runtime


@pytest.fixture(autouse=True)
def postgresql_only(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements and read-only transactions of PostgreSQL")


def test_reads_in_read_only_units_of_work_are_prepared_once_and_kept(runtime: Runtime) -> None:
    for _ in range(8):  # past psycopg's threshold (5), each in a unit of work of its own
        with runtime.uow(readonly=True) as uow:
            uow.products.all()
    with runtime.engine.connect() as conn:  # the same connection: the pool is LIFO
        prepared = conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
    assert prepared and prepared >= 1


def test_a_read_only_unit_of_work_refuses_to_write(runtime: Runtime) -> None:
    with pytest.raises(DBAPIError, match="read-only transaction"):
        with runtime.uow(readonly=True) as uow:
            uow.connection.execute(text("UPDATE organisations SET name = name"))


def test_a_failed_read_only_unit_of_work_rolls_back_and_the_connection_serves_on(
    runtime: Runtime,
) -> None:
    with pytest.raises(DBAPIError):
        with runtime.uow(readonly=True) as uow:
            uow.connection.execute(text("SELECT 1/0"))
    with runtime.uow(readonly=True) as uow:
        assert uow.connection.execute(text("SELECT 1")).scalar() == 1
