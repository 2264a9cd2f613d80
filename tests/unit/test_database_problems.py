"""The one-line explanations the CLI gives for a database it cannot prepare."""

from __future__ import annotations

import psycopg
from sqlalchemy.exc import NotSupportedError, ProgrammingError

from skyorder.cli.options import database_problem

URL = "postgresql://postgres@db/skyorder"
DDL = "CREATE EXTENSION IF NOT EXISTS postgis"


def test_a_server_without_postgis_is_told_to_install_it() -> None:
    orig = psycopg.errors.FeatureNotSupported('extension "postgis" is not available')
    message = database_problem(NotSupportedError(DDL, None, orig), URL)
    assert "has no PostGIS" in message
    assert "install PostGIS" in message and "CREATE EXTENSION postgis;" in message
    assert "\n" not in message


def test_a_user_who_may_not_enable_postgis_is_told_who_can() -> None:
    orig = psycopg.errors.InsufficientPrivilege(
        'permission denied to create extension "postgis"\nHINT:  Must be superuser'
    )
    message = database_problem(ProgrammingError(DDL, None, orig), URL)
    assert "have a superuser run CREATE EXTENSION postgis;" in message
    assert "\n" not in message


def test_another_database_error_is_one_line_naming_the_database() -> None:
    orig = psycopg.errors.UndefinedTable('relation "x" does not exist\nLINE 1: ...')
    message = database_problem(ProgrammingError("SELECT 1", None, orig), URL)
    assert message == f'cannot prepare the database {URL!r}: relation "x" does not exist'
