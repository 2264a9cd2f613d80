"""``skyorder catalog``: fill the archive catalog (ingest STAC items, generate demo scenes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from skyorder.cli.options import DataDir, DbUrl, load_settings, open_runtime
from skyorder.core.errors import DomainError
from skyorder.services import catalog as catalog_service

app = typer.Typer(help="Fill the archive catalog behind the STAC API.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="A STAC item, FeatureCollection or collection")],
    collection: Annotated[
        str | None, typer.Option(help="Collection to add items to (default: each item's own)")
    ] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Ingest STAC items (a Feature or FeatureCollection) or a STAC collection from FILE.

    Items are validated as the STAC Transactions endpoint validates them; items
    whose id already exists in their collection are replaced.
    """
    try:
        data = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc}")
        raise typer.Exit(2) from None
    runtime = open_runtime(load_settings(data_dir=data_dir, database_url=database_url))
    try:
        with runtime.uow() as uow:
            if isinstance(data, dict) and data.get("type") == "Collection":
                created = catalog_service.ingest_collection(uow, runtime.clock, data)
                message = f"collection {created.id} stored"
            else:
                items = catalog_service.ingest_items(uow, runtime.clock, data, collection)
                message = f"{len(items)} item(s) ingested"
            uow.commit()
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    typer.echo(message)


@app.command()
def generate(
    items: Annotated[int, typer.Option("--items", min=1, help="How many scenes to add")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same scenes)")] = (
        catalog_service.DEFAULT_SEED
    ),
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Generate demo archive scenes (the documents' examples included) into the catalog."""
    runtime = open_runtime(load_settings(data_dir=data_dir, database_url=database_url))
    try:
        count = catalog_service.generate_into(runtime.uow, runtime.clock, items, seed)
    finally:
        runtime.close()
    typer.echo(f"{count} scene(s) generated")
