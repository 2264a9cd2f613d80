"""``skyorder report``: reports fetched from a running server through the SDK."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from typing import Annotated

import typer

from skyorder.cli.output import EXIT_CODES, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve
from skyorder.client.reports import COLUMNS

app = typer.Typer(
    help="Reports from a running skyorder server.", no_args_is_help=True, epilog=EXIT_CODES
)


@app.command("usage")
def usage(
    start: Annotated[date, typer.Option("--from", help="First day delivered (inclusive)")],
    end: Annotated[date, typer.Option("--to", help="Last day delivered (exclusive)")],
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    product: Annotated[str | None, typer.Option(help="Only this product (SKU)")] = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Print the accounting report: one row per deliverable delivered in the period.

    Example: skyorder report usage --from 2025-11-01 --to 2025-12-01 > usage.csv
    """
    if fmt not in ("csv", "json"):
        typer.echo("error: --format must be csv or json", err=True)
        raise typer.Exit(2)
    with reported(), resolve(profile, url, api_key).client() as client:
        report = client.reports.usage(start, end, product=product)
    rows = [r.model_dump(mode="json") for r in report]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
