"""``skyorder quote`` and ``skyorder orders``: price, place, follow and fetch orders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from skyorder.cli.items import (
    AoiOpt,
    CloudOpt,
    CollectionOpt,
    EndOpt,
    FileOpt,
    ItemOpt,
    LevelOpt,
    OffNadirOpt,
    PriorityOpt,
    ProductOpt,
    StartOpt,
    TaskingOptions,
    items,
    read_json,
    validated,
)
from skyorder.cli.output import EXIT_CODES, Column, collect, emit, err, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve
from skyorder.client import RetryPolicy
from skyorder.client.downloads import AssetFile, Fetched
from skyorder.client.orders import FINAL
from skyorder.core.orders import Priority
from skyorder.schemas.billing import QuoteCreate
from skyorder.schemas.orders import OrderCreate, OrderOut

app = typer.Typer(
    help="Place, list, follow, cancel and download orders.",
    no_args_is_help=True,
    epilog=EXIT_CODES,
)

ORDER_COLUMNS: list[Column] = [
    ("number", lambda o: o.order_number),
    ("id", lambda o: o.id),
    ("name", lambda o: o.name),
    ("status", lambda o: o.status),
    ("kind", lambda o: o.kind),
    ("total", lambda o: o.total_amount),
    ("currency", lambda o: o.currency),
    ("latest event", lambda o: o.latest_event.type if o.latest_event else None),
]
QUOTE_COLUMNS: list[Column] = [
    ("id", lambda q: q.id),
    ("total", lambda q: q.total),
    ("currency", lambda q: q.currency),
    ("expires at", lambda q: q.expires_at),
    ("items", lambda q: ", ".join(f"{i.sku}: {i.total}" for i in q.items)),
]

def quote(
    item: ItemOpt = None,
    level: LevelOpt = "L1B",
    collection: CollectionOpt = None,
    aoi: AoiOpt = None,
    product: ProductOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    max_off_nadir: OffNadirOpt = None,
    max_cloud: CloudOpt = None,
    priority: PriorityOpt = Priority.STANDARD,
    file: FileOpt = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Price an archive scene, new captures (--product) or the items of --file; nothing is
    ordered.

    Examples:

      skyorder quote --item DEMO-20260101-0001 --level L1B --aoi field.geojson
      skyorder quote --product TSKSTD-M.NN.NN --aoi field.geojson \\
          --start 2026-12-08 --end 2026-12-20 --max-cloud 20
    """
    if file is not None:
        data = read_json(file, "--file")
    else:
        tasking = TaskingOptions(product, start, end, max_off_nadir, max_cloud, priority)
        data = {"items": items(item, level, collection, aoi, tasking)}
    body = validated(QuoteCreate, data)
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.quotes.create(body), QUOTE_COLUMNS)


@app.command("create")
def create(
    name: Annotated[str, typer.Option(help="What you call the order")] = "skyorder CLI order",
    item: ItemOpt = None,
    level: LevelOpt = "L1B",
    collection: CollectionOpt = None,
    aoi: AoiOpt = None,
    product: ProductOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    max_off_nadir: OffNadirOpt = None,
    max_cloud: CloudOpt = None,
    priority: PriorityOpt = Priority.STANDARD,
    quote_id: Annotated[
        str | None, typer.Option("--quote", help="Pay exactly this quote's total")
    ] = None,
    file: FileOpt = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Place an order of an archive scene, of new captures (--product), or the order in --file.
    A retried request never places a second order.

    Examples:

      skyorder orders create --name "Field 7" --item DEMO-20260101-0001 --level L1B \\
          --quote 46168ed4-...
      skyorder orders create --name "Port" --product TSKSTD-M.NN.NN --aoi port.geojson \\
          --start 2026-12-08 --end 2026-12-20
    """
    if file is not None:
        data = read_json(file, "--file")
    else:
        tasking = TaskingOptions(product, start, end, max_off_nadir, max_cloud, priority)
        data = {"name": name, "items": items(item, level, collection, aoi, tasking)}
        if quote_id:
            data["quote_id"] = quote_id
    body = validated(OrderCreate, data)
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.orders.create(body), ORDER_COLUMNS)


@app.command("list")
def list_orders(
    status: Annotated[
        list[str] | None, typer.Option(help="Only orders in this status (repeatable)")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Print at most this many")] = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """List your orders, newest first (every page).

    Example: skyorder orders list --status in_progress --status accepted
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(collect(client.orders.list(status=status), limit), ORDER_COLUMNS)


OrderArg = Annotated[str, typer.Argument(help="The order's id or number (e.g. 000077)")]


@app.command("show")
def show(
    order: OrderArg, profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None
) -> None:
    """Show one order with its items. Example: skyorder orders show 000077"""
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.orders.get(order), ORDER_COLUMNS)


@app.command("cancel")
def cancel(
    order: OrderArg, profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None
) -> None:
    """Cancel an order and its open items. Example: skyorder orders cancel 000077"""
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.orders.cancel(order), ORDER_COLUMNS)


def _progress(order: OrderOut) -> None:
    event = order.latest_event
    said = f"{event.type}: {event.message}" if event else ""
    err.print(f"{order.order_number} {order.status} {said}", highlight=False)


@app.command("wait")
def wait(
    order: OrderArg,
    until: Annotated[
        list[str] | None,
        typer.Option(help="Status to wait for (repeatable; default: any final status)"),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds")] = 3600,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Wait until an order reaches a status, printing each change on stderr.

    Example: skyorder orders wait 000077 --until completed --timeout 600
    (exit code 6 when it times out or the order ends in another status)
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        done = client.orders.wait(order, until or FINAL, timeout, progress=_progress)
        emit(done, ORDER_COLUMNS)


@app.command("download")
def download(
    order: OrderArg,
    dest: Annotated[Path, typer.Option("--dest", "-d", help="Directory to write to")] = Path("."),
    concurrency: Annotated[int, typer.Option(min=1, help="Files fetched at once")] = 4,
    attempts: Annotated[
        int,
        typer.Option(
            min=1,
            help="Tries in a row without a new byte before a file is given up (a server "
            "restarting behind a proxy answers 503 with Retry-After; raise this to wait longer)",
        ),
    ] = RetryPolicy.attempts,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Download every file of an order's delivered deliverables into DEST/<deliverable id>/.

    Interrupted transfers resume where they stopped (in this run or a later one); complete
    files are skipped; every file is checked against its sha256.

    Example: skyorder orders download 000077 --dest ./imagery --attempts 30
    """
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err,
        disable=not err.is_terminal,
    )
    tasks: dict[AssetFile, Any] = {}

    def advance(file: AssetFile, received: int) -> None:
        if file not in tasks:
            tasks[file] = bar.add_task(file.path.name, total=file.size)
        bar.advance(tasks[file], received)

    with reported(), resolve(profile, url, api_key).client(attempts) as client, bar:
        fetched = client.orders.download(order, dest, concurrency=concurrency, progress=advance)
    emit([_row(f) for f in fetched], FILE_COLUMNS)


def _row(f: Fetched) -> dict[str, Any]:
    return {
        "deliverable_id": f.file.deliverable_id,
        "asset": f.file.key,
        "path": str(f.file.path),
        "size": f.file.size,
        "sha256": f.file.sha256,
        "transferred": f.transferred,
        "skipped": f.skipped,
    }


def _field(name: str) -> Column:
    return (name, lambda row: row[name])


FILE_COLUMNS: list[Column] = [_field(n) for n in ("path", "size", "transferred", "skipped")]
