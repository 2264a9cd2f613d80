"""``skyorder captures`` and ``skyorder deliverables``: what orders produced."""

from __future__ import annotations

from typing import Annotated

import typer

from skyorder.cli.output import EXIT_CODES, Column, collect, emit, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve

captures = typer.Typer(
    help="Capture attempts of tasking orders.", no_args_is_help=True, epilog=EXIT_CODES
)
deliverables = typer.Typer(
    help="Deliverables (products made from scenes and captures).",
    no_args_is_help=True,
    epilog=EXIT_CODES,
)

OrderOpt = Annotated[str | None, typer.Option(help="Only this order's (its id or number)")]
StatusOpt = Annotated[list[str] | None, typer.Option(help="Only this status (repeatable)")]
LimitOpt = Annotated[int | None, typer.Option(help="Print at most this many")]

CAPTURE_COLUMNS: list[Column] = [
    ("id", lambda c: c.id),
    ("order", lambda c: c.order_number),
    ("satellite", lambda c: c.satellite),
    ("status", lambda c: c.status),
    ("start", lambda c: c.start),
    ("cloud cover", lambda c: c.cloud_cover),
]
DELIVERABLE_COLUMNS: list[Column] = [
    ("id", lambda d: d.id),
    ("order", lambda d: d.order_number),
    ("level", lambda d: d.processing_level),
    ("status", lambda d: d.status),
    ("delivered at", lambda d: d.delivered_at),
    ("assets", lambda d: len(d.assets)),
    ("km²", lambda d: d.billing_details.billable_sqkm if d.billing_details else None),
]


@captures.command("list")
def list_captures(
    order: OrderOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """List capture attempts, latest first (every page).

    Example: skyorder captures list --order 000077 --status failed
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(collect(client.captures.list(order=order, status=status), limit), CAPTURE_COLUMNS)


@deliverables.command("list")
def list_deliverables(
    order: OrderOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """List deliverables, newest first (every page).

    Example: skyorder deliverables list --order 000077 --status delivered
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        found = client.deliverables.list(order=order, status=status)
        emit(collect(found, limit), DELIVERABLE_COLUMNS)
