"""How the API commands answer: JSON when piped, a table on a terminal, one-line errors.

Exit codes (also in ``skyorder --help``):

==  =================================================================
0   done
1   the server refused the request (its problem's detail and fields are printed)
2   the command line was wrong, or no credentials were found
3   authentication failed or not allowed (401, 403)
4   not found (404)
5   the server could not be reached, or failed (5xx) after retries
6   ``wait`` ended without the awaited status (timed out, or the order ended otherwise)
7   a downloaded file did not match its published sha256
==  =================================================================
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from skyorder.cli.profiles import NoCredentials
from skyorder.client import errors

EXIT_CODES = """Exit codes: 0 done; 1 the server refused the request; 2 bad command line or no
credentials; 3 authentication failed or not allowed; 4 not found; 5 server unreachable or
failing; 6 wait ended without the awaited status; 7 checksum mismatch."""

err = Console(stderr=True, soft_wrap=True)

Column = tuple[str, Callable[[Any], Any]]


def as_json() -> bool:
    """JSON unless stdout is a terminal (``SKYORDER_OUTPUT=json|table`` decides otherwise)."""
    chosen = os.environ.get("SKYORDER_OUTPUT")
    if chosen in ("json", "table"):
        return chosen == "json"
    return not sys.stdout.isatty()


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def emit(value: Any, columns: Sequence[Column]) -> None:
    """Print one model or a list: JSON (piped) or a table (terminal)."""
    many = isinstance(value, list | tuple)
    rows: list[Any] = list(value) if many else [value]
    if as_json():
        data = [_plain(r) for r in rows] if many else _plain(value)
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    table = Table()
    for name, _ in columns:
        table.add_column(name, overflow="fold")  # ids wrap, never cut: they are copied on
    for row in rows:
        table.add_row(*(_cell(get(row)) for _, get in columns))
    Console(soft_wrap=True).print(table)


def _cell(value: Any) -> str:
    """A table cell: times in UTC to the second (JSON keeps them whole)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


_EXITS: tuple[tuple[type[Exception], int], ...] = (
    (NoCredentials, 2),
    (errors.Unauthorized, 3),
    (errors.Forbidden, 3),
    (errors.NotFound, 4),
    (errors.ServerError, 5),
    (errors.ConnectionFailed, 5),
    (errors.WaitTimeout, 6),
    (errors.OrderEnded, 6),
    (errors.ChecksumMismatch, 7),
    (errors.ApiError, 1),
    (errors.SkyorderError, 1),
)
"""SDK error → exit code, most specific first."""


def exit_code(exc: Exception) -> int:
    """The documented exit code of an error."""
    return next(code for cls, code in _EXITS if isinstance(exc, cls))


def describe(exc: Exception) -> str:
    """One line (or one per field) a person can act on."""
    if isinstance(exc, errors.ConnectionFailed):
        return f"{exc}; is the server running?"
    if isinstance(exc, errors.ApiError):
        lines = [exc.detail]
        named = (f"{f.field}: {f.message}" for f in exc.fields if f.field)
        lines += [f"  {n}" for n in named if n not in exc.detail]
        return "\n".join(lines)
    return str(exc)


@contextmanager
def reported() -> Iterator[None]:
    """Turn an SDK error into its message on stderr and its exit code, never a traceback."""
    try:
        yield
    except (errors.SkyorderError, NoCredentials) as exc:
        err.print(f"[red]error:[/red] {escape(describe(exc))}", highlight=False)
        raise typer.Exit(exit_code(exc)) from None


def collect(items: Iterable[Any], limit: int | None) -> list[Any]:
    """At most ``limit`` items of an iterator (all when None)."""
    out: list[Any] = []
    for item in items:
        if limit is not None and len(out) >= limit:
            break
        out.append(item)
    return out
