"""How command-line options become the items of a quote or an order.

An archive item names a catalog scene (``--item``); a tasking item names a tasking product
(``--product``) with a window (``--start``, ``--end``) and the limits of new captures.
Anything more (several items, recurrences, delivery to a bucket) goes in ``--file``, the
API's own request body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from skyorder.cli.output import err
from skyorder.core.orders import Priority

M = TypeVar("M", bound=BaseModel)

ItemOpt = Annotated[
    str | None, typer.Option("--item", help="Archive scene to buy (its id, from `catalog search`)")
]
LevelOpt = Annotated[str, typer.Option("--level", help="Processing level, e.g. L1B")]
CollectionOpt = Annotated[str | None, typer.Option(help="The scene's collection")]
AoiOpt = Annotated[
    Path | None,
    typer.Option("--aoi", help="GeoJSON file of the area (a geometry, Feature or collection)"),
]
FileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file", "-f", help="JSON request body (the API's shape) instead of options", exists=True
    ),
]
ProductOpt = Annotated[
    str | None,
    typer.Option(
        "--product", help="Tasking product for new captures (e.g. TSKSTD-M.NN.NN); with --aoi, "
        "--start and --end"
    ),
]
StartOpt = Annotated[datetime | None, typer.Option("--start", help="Window start (UTC)")]
EndOpt = Annotated[datetime | None, typer.Option("--end", help="Window end (UTC)")]
OffNadirOpt = Annotated[
    float | None, typer.Option("--max-off-nadir", help="Largest off-nadir angle, degrees")
]
CloudOpt = Annotated[float | None, typer.Option("--max-cloud", help="Highest cloud cover, %")]
PriorityOpt = Annotated[Priority, typer.Option("--priority", help="standard or rush")]


def utc(value: datetime | None) -> datetime | None:
    """A time from the command line, read as UTC when it names no zone."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def fail(message: str) -> typer.Exit:
    """Print a command-line mistake; the caller raises what this answers (exit 2)."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


def read_json(path: Path, what: str) -> Any:
    """A JSON file the user named, or a one-line error (exit 2)."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise fail(f"{what} {path}: cannot read it as JSON ({exc})") from None


def read_aoi(path: Path) -> dict[str, Any]:
    """The geometry of a GeoJSON file: a geometry, a Feature, or a collection's first."""
    data = read_json(path, "--aoi")
    if not isinstance(data, dict):
        raise fail(f"--aoi {path}: not a GeoJSON object")
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or [{}]
        data = features[0]
    geometry = data.get("geometry", data) if data.get("type") == "Feature" else data
    return geometry if isinstance(geometry, dict) else {}


@dataclass(frozen=True)
class TaskingOptions:
    """The tasking item's options, as given."""

    product: str | None
    start: datetime | None
    end: datetime | None
    max_off_nadir: float | None
    max_cloud: float | None
    priority: Priority


def _tasking(t: TaskingOptions, level: str, aoi: Path | None) -> dict[str, Any]:
    if aoi is None or t.start is None or t.end is None:
        raise fail("a tasking item (--product) needs --aoi, --start and --end")
    window = {"start": utc(t.start), "end": utc(t.end)}
    item: dict[str, Any] = {
        "kind": "tasking",
        "product": t.product,
        "aoi": read_aoi(aoi),
        "window": {k: v.isoformat() for k, v in window.items() if v is not None},
        "priority": t.priority.value,
        "processing_levels": [level],
    }
    if t.max_off_nadir is not None:
        item["max_off_nadir"] = t.max_off_nadir
    if t.max_cloud is not None:
        item["max_cloud_cover"] = t.max_cloud
    return item


def items(
    item: str | None,
    level: str,
    collection: str | None,
    aoi: Path | None,
    tasking: TaskingOptions,
) -> list[dict[str, Any]]:
    """The one item the options describe: an archive scene, or new captures."""
    if (item is None) == (tasking.product is None):
        raise fail("give --item (an archive scene), --product (new captures) or --file (a body)")
    if tasking.product is not None:
        return [_tasking(tasking, level, aoi)]
    archive: dict[str, Any] = {"kind": "archive", "item_id": item, "processing_level": level}
    if collection:
        archive["collection"] = collection
    if aoi is not None:
        archive["aoi"] = read_aoi(aoi)
    return [archive]


def validated(model: type[M], data: Any) -> M:
    """A request body checked against its wire model; each mistake printed (exit 2)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"])
            err.print(f"error: {where}: {e['msg']}", highlight=False)
        raise typer.Exit(2) from None
