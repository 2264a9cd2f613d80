"""``skyorder``: use a server through its API, and run or administer one.

The API commands (login, catalog search, quote, orders, opportunities, webhooks, …) need
only the SDK's packages, what ``pip install skyorder`` (or ``skyorder[client]``) brings.
The server's commands (serve, worker, admin, catalog ingest|generate) need the ``server``
extra; where it is not installed they are still listed, and say how to get them instead
of failing on an import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.markup import escape

from skyorder.cli import account as account_cli
from skyorder.cli import catalog as catalog_cli
from skyorder.cli import fulfilment as fulfilment_cli
from skyorder.cli import orders as orders_cli
from skyorder.cli import report as report_cli
from skyorder.cli import sandbox as sandbox_cli
from skyorder.cli import tasking as tasking_cli
from skyorder.cli import webhooks as webhooks_cli
from skyorder.cli.login import login
from skyorder.cli.output import EXIT_CODES, err

app = typer.Typer(
    help="skyorder: an ordering platform for Earth-observation imagery.\n\n"
    "Use a server through its API (login, products, contracts, balance, satellites, catalog "
    "search, quote, orders, opportunities, captures, deliverables, webhooks, report, clock) "
    "or run one (serve, worker, admin). "
    "API commands print JSON when piped and tables on a terminal.",
    no_args_is_help=True,
    epilog=EXIT_CODES,
)
app.add_typer(catalog_cli.app, name="catalog")
app.add_typer(report_cli.app, name="report")
app.add_typer(orders_cli.app, name="orders")
app.add_typer(tasking_cli.app, name="opportunities")
app.add_typer(fulfilment_cli.captures, name="captures")
app.add_typer(fulfilment_cli.deliverables, name="deliverables")
app.add_typer(webhooks_cli.app, name="webhooks")
app.add_typer(sandbox_cli.app, name="clock")
app.command()(login)
app.command()(orders_cli.quote)
app.command()(account_cli.products)
app.command()(account_cli.contracts)
app.command()(account_cli.balance)
app.command()(account_cli.satellites)

SERVER_PACKAGES = frozenset(
    {
        "alembic",
        "argon2",
        "boto3",
        "botocore",
        "cql2",
        "cryptography",
        "fastapi",
        "jwt",
        "multipart",
        "orjson",
        "procrastinate",
        "psycopg",
        "pydantic_settings",
        "pystac",
        "rasterio",
        "rio_cogeo",
        "sgp4",
        "sqlalchemy",
        "starlette",
        "uvicorn",
    }
)
"""Import names of the ``server`` extra's packages."""

INSTALL_SERVER = "pip install 'skyorder[server]'"

_ANY_ARGS = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}


def _absent(command: str, missing: str) -> Callable[..., None]:
    def absent(args: Annotated[list[str] | None, typer.Argument(hidden=True)] = None) -> None:
        del args
        err.print(
            "[red]error:[/red] "
            + escape(
                f"`skyorder {command}` runs a server and needs the server's packages "
                f"({missing} is not installed): {INSTALL_SERVER}"
            ),
            highlight=False,
        )
        raise typer.Exit(2)

    absent.__doc__ = escape(f"(needs the server's packages: {INSTALL_SERVER})")
    return absent


def _attach_server_commands() -> None:
    """The server's commands, or in a client-only install, commands that say what to install."""
    try:
        from skyorder.cli import server
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in SERVER_PACKAGES:
            raise
        for name in ("serve", "worker", "admin"):
            app.command(name, context_settings=_ANY_ARGS)(_absent(name, missing))
        for name in ("ingest", "generate"):
            catalog_cli.app.command(name, context_settings=_ANY_ARGS)(
                _absent(f"catalog {name}", missing)
            )
        return
    server.register(app, catalog_cli.app)


_attach_server_commands()
