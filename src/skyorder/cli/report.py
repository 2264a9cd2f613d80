"""``skyorder report``: reports fetched from a running server through the API."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import httpx
import typer

app = typer.Typer(help="Reports from a running skyorder server.", no_args_is_help=True)


def _credentials(url: str | None, api_key: str | None, data_dir: Path) -> tuple[str, str]:
    saved = data_dir / "demo-credentials.json"
    demo = json.loads(saved.read_text()) if saved.exists() else {}
    base = url or os.environ.get("SKYORDER_URL") or demo.get("base_url")
    key = api_key or os.environ.get("SKYORDER_API_KEY") or demo.get("api_key")
    if not base or not key:
        typer.echo(
            "error: give --url and --api-key (or SKYORDER_URL / SKYORDER_API_KEY), or run "
            "from where `make serve` wrote data/demo-credentials.json",
            err=True,
        )
        raise typer.Exit(2)
    return str(base), str(key)


@app.command("usage")
def usage(
    start: Annotated[date, typer.Option("--from", help="First day delivered (inclusive)")],
    end: Annotated[date, typer.Option("--to", help="Last day delivered (exclusive)")],
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    group_by: Annotated[
        str | None, typer.Option(help="contract, product, order or month: totals")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Server base URL")] = None,
    api_key: Annotated[str | None, typer.Option(help="API key")] = None,
    data_dir: Annotated[Path, typer.Option(help="Where demo-credentials.json is")] = Path("data"),
) -> None:
    """Print the usage report (one row per delivered deliverable) for a period."""
    base, key = _credentials(url, api_key, data_dir)
    params = {
        "delivered_at__gte": start.isoformat(),
        "delivered_at__lt": end.isoformat(),
        "format": fmt,
    }
    if group_by:
        params["group_by"] = group_by
    try:
        with httpx.stream(
            "GET",
            f"{base}/v1/reports/usage",
            params=params,
            headers={"X-API-Key": key},
            timeout=600,
        ) as response:
            if response.status_code != 200:
                response.read()
                detail = response.json().get("detail", response.text)
                typer.echo(f"error: {response.status_code}: {detail}", err=True)
                raise typer.Exit(2)
            for chunk in response.iter_text():
                sys.stdout.write(chunk)
    except httpx.TransportError as exc:
        typer.echo(f"error: cannot reach {base}: {exc}; is the server running?", err=True)
        raise typer.Exit(2) from None
