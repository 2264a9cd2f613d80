"""``skyorder catalog search``: find archive scenes to order, through a server's STAC API.

``catalog ingest`` and ``catalog generate`` (the server's own) join this group from
``skyorder.cli.catalog_admin`` where the server's packages are installed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from skyorder.cli.output import Column, emit, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve

app = typer.Typer(
    help="Search the archive (search) or fill it (ingest, generate).", no_args_is_help=True
)


def _bbox(value: str | None) -> list[float] | None:
    if value is None:
        return None
    try:
        box = [float(v) for v in value.split(",")]
    except ValueError:
        box = []
    if len(box) != 4:
        raise typer.BadParameter("four numbers: west,south,east,north", param_hint="--bbox")
    return box


SCENE_COLUMNS: list[Column] = [
    ("id", lambda i: i.id),
    ("collection", lambda i: i.collection),
    ("datetime", lambda i: i.datetime),
    ("cloud cover", lambda i: i.properties.get("eo:cloud_cover")),
    ("gsd", lambda i: i.properties.get("gsd")),
]


@app.command("search")
def search(
    bbox: Annotated[str | None, typer.Option(help="west,south,east,north (degrees)")] = None,
    start: Annotated[datetime | None, typer.Option(help="Acquired at or after (UTC)")] = None,
    end: Annotated[datetime | None, typer.Option(help="Acquired at or before (UTC)")] = None,
    collection: Annotated[list[str] | None, typer.Option(help="Collection (repeatable)")] = None,
    max_cloud: Annotated[float | None, typer.Option(help="Highest cloud cover, %")] = None,
    limit: Annotated[int, typer.Option(help="Print at most this many")] = 20,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Search the archive for scenes to order (through a running server's STAC API).

    Example: skyorder catalog search --bbox -58.0,-38.1,-57.4,-37.8 --max-cloud 20 --limit 5
    """
    box = _bbox(bbox)
    with reported(), resolve(profile, url, api_key).client() as client:
        found = client.catalog.search(
            bbox=box,
            start=_utc(start),
            end=_utc(end),
            collections=collection,
            max_cloud_cover=max_cloud,
            limit=min(limit, 100),
            max_items=limit,
        )
        emit(list(found), SCENE_COLUMNS)


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
