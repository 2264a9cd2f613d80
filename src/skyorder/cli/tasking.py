"""``skyorder opportunities``: when satellites can image an area, and how feasible a request is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skyorder.cli.items import (
    AoiOpt,
    CloudOpt,
    EndOpt,
    FileOpt,
    LevelOpt,
    OffNadirOpt,
    PriorityOpt,
    StartOpt,
    TaskingOptions,
    fail,
    items,
    read_aoi,
    read_json,
    utc,
    validated,
)
from skyorder.cli.output import EXIT_CODES, Column, emit, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve
from skyorder.core.orders import Priority
from skyorder.schemas.tasking import FeasibilityIn, OpportunityOut, OpportunitySearchIn

app = typer.Typer(
    help="Access opportunities (passes over an area) and feasibility verdicts for tasking.",
    no_args_is_help=True,
    epilog=EXIT_CODES,
)

def _off_nadir(o: OpportunityOut) -> str:
    low, high = f"{o.off_nadir_min:.1f}", f"{o.off_nadir_max:.1f}"
    return low if low == high else f"{low}–{high}"


OPPORTUNITY_COLUMNS: list[Column] = [
    ("satellite", lambda o: o.satellite),
    ("start", lambda o: o.start),
    ("secs", lambda o: round((o.end - o.start).total_seconds())),
    ("off-nadir", _off_nadir),
    ("sun elev.", lambda o: f"{o.sun_elevation:.1f}"),
    ("direction", lambda o: o.direction),
    ("cloud %", lambda o: o.expected_cloud_cover),
]
FEASIBILITY_COLUMNS: list[Column] = [
    ("verdict", lambda f: f.feasibility_status),
    ("chance", lambda f: f.chance),
    ("passes", lambda f: len(f.windows)),
    ("within limits", lambda f: sum(w.within_limits for w in f.windows)),
    ("reason", lambda f: f.reason),
]


@app.command("search")
def search(
    aoi: Annotated[
        Path, typer.Option("--aoi", help="GeoJSON file of the area (a geometry or a Feature)")
    ],
    start: StartOpt = None,
    end: EndOpt = None,
    product: Annotated[
        str | None,
        typer.Option(help="A tasking product: its sensor and off-nadir limit apply"),
    ] = None,
    satellite: Annotated[
        list[str] | None, typer.Option(help="Only this satellite (repeatable)")
    ] = None,
    sensor: Annotated[list[str] | None, typer.Option(help="Only this sensor (repeatable)")] = None,
    max_off_nadir: OffNadirOpt = None,
    min_sun_elevation: Annotated[
        float | None, typer.Option(help="Lowest Sun elevation, degrees")
    ] = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """List every pass that can image the area between --start and --end (at most 60 days),
    in time order, with its off-nadir range, Sun elevation and expected cloud cover.

    Example:

      skyorder opportunities search --aoi port.geojson --start 2026-12-08 --end 2026-12-15 \\
          --product TSKSTD-M.NN.NN
    """
    if start is None or end is None:
        raise fail("give --start and --end (UTC; at most 60 days apart)")
    body = validated(
        OpportunitySearchIn,
        {
            "aoi": read_aoi(aoi),
            "start": utc(start),
            "end": utc(end),
            "product": product,
            "satellites": satellite,
            "sensors": sensor,
            "max_off_nadir": max_off_nadir,
            "min_sun_elevation": min_sun_elevation,
        },
    )
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.tasking.opportunities(body).results, OPPORTUNITY_COLUMNS)


@app.command("feasibility")
def feasibility(
    product: Annotated[
        str | None, typer.Option("--product", help="Tasking product, e.g. TSKSTD-M.NN.NN")
    ] = None,
    aoi: AoiOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    max_off_nadir: OffNadirOpt = None,
    max_cloud: CloudOpt = None,
    priority: PriorityOpt = Priority.STANDARD,
    level: LevelOpt = "L1B",
    file: FileOpt = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Judge a tasking request without ordering it: SUCCESS, WEAK_SUCCESS or FAILED, the
    reason, and the passes considered (--file: a tasking item as `orders create` takes it).

    Example:

      skyorder opportunities feasibility --product TSKSTD-M.NN.NN --aoi port.geojson \\
          --start 2026-12-08 --end 2026-12-20 --max-cloud 20
    """
    if file is not None:
        data = read_json(file, "--file")
    else:
        if product is None:
            raise fail("give --product (with --aoi, --start, --end) or --file")
        tasking = TaskingOptions(product, start, end, max_off_nadir, max_cloud, priority)
        [data] = items(None, level, None, aoi, tasking)
    body = validated(FeasibilityIn, data)
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.tasking.feasibility(body), FEASIBILITY_COLUMNS)
