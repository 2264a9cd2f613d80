"""Options every ``skyorder`` command shares, and the settings they make."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from skyorder.datadir import prepare_data_dir
from skyorder.runtime import Runtime, build_runtime
from skyorder.settings import Settings
from skyorder.store.sealing import SecretKeysUnusable

err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[
    Path | None, typer.Option(help="Data directory [env SKYORDER_DATA_DIR; default ./data]")
]
DbUrl = Annotated[
    str | None,
    typer.Option(help="Database URL [env SKYORDER_DATABASE_URL; default SQLite in the data dir]"),
]
PublicUrl = Annotated[
    str | None,
    typer.Option(
        help="Base URL clients reach the server at, printed in credentials "
        "[env SKYORDER_PUBLIC_URL; default http://<host>:<port>]"
    ),
]


def load_settings(**overrides: Any) -> Settings:
    """Settings from the given options and ``SKYORDER_*``; a bad value ends the command, exit 2.

    The message names the option (or the variable) and says what it must be, instead of a
    traceback.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        _fail_settings(exc, set(given))


def _fail_settings(exc: ValidationError, given: set[str]) -> NoReturn:
    for problem in exc.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "settings"
        where = f"--{name.replace('_', '-')}" if name in given else f"SKYORDER_{name.upper()}"
        err.print(
            f"[red]error:[/red] {where}: {problem['msg'].removeprefix('Value error, ')} "
            f"(got {_shown(name, problem.get('input'))!r})"
        )
    raise typer.Exit(2)


def open_runtime(settings: Settings) -> Runtime:
    """The runtime for a command; an unusable data directory, database or key ends it, exit 2."""
    try:
        prepare_data_dir(settings)
    except OSError as exc:
        action = "make private" if settings.data_dir.is_dir() else "create"
        err.print(
            f"[red]error:[/red] cannot {action} the data directory {str(settings.data_dir)!r}: "
            f"{exc.strerror or exc} {str(exc.filename or '')!r} "
            "(check --data-dir or SKYORDER_DATA_DIR, and who owns it)"
        )
        raise typer.Exit(2) from None
    try:
        return build_runtime(settings)
    except SecretKeysUnusable as exc:
        _fail_keys(exc)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        url = _shown("database_url", settings.database())
        err.print(
            f"[red]error:[/red] cannot open the database {url!r}: {reason} "
            "(check --database-url or SKYORDER_DATABASE_URL, and that the server is running)"
        )
        raise typer.Exit(2) from None
    except DBAPIError as exc:
        url = _shown("database_url", settings.database())
        err.print(f"[red]error:[/red] {database_problem(exc, url)}")
        raise typer.Exit(2) from None


def database_problem(exc: DBAPIError, url: str) -> str:
    """One line saying why a reachable database cannot be prepared, and what to do.

    Scale mode needs PostGIS: a server without it, or a user who may not enable it,
    is the usual cause, and is named with the command that fixes it.
    """
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
    if "postgis" in reason.lower():
        if "permission denied" in reason.lower():
            return (
                f"the database {url!r} has no PostGIS and this user may not enable it "
                f"({reason}): have a superuser run CREATE EXTENSION postgis; in it"
            )
        return (
            f"the PostgreSQL server of {url!r} has no PostGIS ({reason}): install PostGIS "
            "(e.g. the postgresql-<version>-postgis-3 package), then run "
            "CREATE EXTENSION postgis; in the database"
        )
    return f"cannot prepare the database {url!r}: {reason}"


def _fail_keys(exc: SecretKeysUnusable) -> NoReturn:
    """End the command on keys that cannot seal or open the stored secrets, exit 2."""
    err.print(f"[red]error:[/red] secrets keys: {exc}")
    raise typer.Exit(2) from None


def _shown(name: str, value: Any) -> Any:
    """A setting's value as it may be printed: secrets and URL passwords hidden."""
    if "secret" in name:
        return "***"
    if name.endswith("url") and isinstance(value, str):
        try:
            return make_url(value).render_as_string(hide_password=True)
        except ArgumentError:
            return value
    return value
