"""``skyorder catalog ingest|generate``: fill the archive catalog (a server's own database).

Registered by ``skyorder.cli.server`` under ``skyorder catalog``, beside ``search``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from skyorder.cli.options import DataDir, DbUrl, load_settings, open_runtime
from skyorder.core.errors import AlreadyExists, DomainError
from skyorder.services import catalog as catalog_service
from skyorder.services import catalog_writes as writes

err = Console(stderr=True, soft_wrap=True)


Owner = Annotated[
    str | None,
    typer.Option(
        help="Organisation id the collections this creates belong to: its provider API "
        "clients may then write them (default: none, only this command line does)"
    ),
]


def ingest(
    file: Annotated[Path, typer.Argument(help="A STAC item, FeatureCollection or collection")],
    collection: Annotated[
        str | None, typer.Option(help="Collection to add items to (default: each item's own)")
    ] = None,
    owner: Owner = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the items or the collection whose id exists"),
    ] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Ingest STAC items (a Feature or FeatureCollection) or a STAC collection from FILE.

    Items are validated as the STAC Transactions endpoint validates them. An id
    that exists already is refused (nothing is written) unless ``--replace`` is given.
    """
    try:
        data = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc}")
        raise typer.Exit(2) from None
    runtime = open_runtime(load_settings(data_dir=data_dir, database_url=database_url))
    try:
        with runtime.uow() as uow:
            writer = writes.operator(uow, owner)
            if isinstance(data, dict) and data.get("type") == "Collection":
                created = writes.create_collection(
                    uow, runtime.clock, writer, data, replacing=replace
                )
                message = f"collection {created.id} stored"
            else:
                items = writes.create_items(
                    uow, runtime.clock, writer, data, collection, replacing=replace
                )
                message = f"{len(items)} item(s) ingested"
            uow.commit()
    except AlreadyExists as exc:
        err.print(f"[red]error:[/red] {exc.subject} already exists; nothing was written")
        err.print("  pass --replace to replace what exists")
        raise typer.Exit(2) from None
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    typer.echo(message)


def generate(
    items: Annotated[int, typer.Option("--items", min=1, help="How many scenes to add")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same scenes)")] = (
        catalog_service.DEFAULT_SEED
    ),
    owner: Owner = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Generate demo archive scenes (the documents' examples included) into the catalog."""
    runtime = open_runtime(load_settings(data_dir=data_dir, database_url=database_url))
    try:
        with runtime.uow(readonly=True) as uow:
            writes.operator(uow, owner)
        count = catalog_service.generate_into(runtime.uow, runtime.clock, items, seed, owner)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    typer.echo(f"{count} scene(s) generated")
