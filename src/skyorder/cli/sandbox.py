"""``skyorder clock``: the sandbox clock of your organisation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from skyorder.cli.output import EXIT_CODES, Column, emit, err, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve

app = typer.Typer(
    help="The sandbox clock (sandbox servers only).", no_args_is_help=True, epilog=EXIT_CODES
)

CLOCK_COLUMNS: list[Column] = [
    ("now", lambda c: c.now),
    ("ahead by (s)", lambda c: c.offset_seconds),
    ("steps run", lambda c: c.steps_run),
]


@app.command("advance")
def advance(
    seconds: Annotated[float | None, typer.Option(help="Move forward by this many seconds")] = None,
    days: Annotated[float | None, typer.Option(help="Move forward by this many days")] = None,
    to: Annotated[datetime | None, typer.Option(help="Move forward to this time (UTC)")] = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Move sandbox time forward; returns once the work due by then has run.

    Example: skyorder clock advance --days 2
    """
    if sum(v is not None for v in (seconds, days, to)) != 1:
        err.print("error: give exactly one of --seconds, --days, --to")
        raise typer.Exit(2)
    step = seconds if days is None else days * 86400
    if to is not None and to.tzinfo is None:
        to = to.replace(tzinfo=UTC)
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.clock.advance(seconds=step, to=to), CLOCK_COLUMNS)


@app.command("show")
def show(profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None) -> None:
    """Show the sandbox time. Example: skyorder clock show"""
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.clock.now(), CLOCK_COLUMNS)
