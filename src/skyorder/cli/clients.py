"""``skyorder admin disable-client / enable-client / rotate-key / rotate-secret``.

The provider's own hand on any API client: the commands act on the database
directly (no organisation admin role needed) and print the client's new state,
or its new key or secret (shown only once). Running servers refuse a disabled
client or a replaced credential within a second.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from skyorder.cli.options import DataDir, DbUrl, err, load_settings, open_runtime
from skyorder.core.errors import DomainError
from skyorder.services import api_clients
from skyorder.store.uow import UnitOfWork

ClientId = Annotated[str, typer.Argument(help="The client id (cli_...)", show_default=False)]
T = TypeVar("T")


def _run(data_dir: DataDir, database_url: DbUrl, change: Callable[[UnitOfWork], T]) -> T:
    """Apply one change in one transaction; a domain error ends the command, exit 2."""
    runtime = open_runtime(load_settings(data_dir=data_dir, database_url=database_url))
    try:
        with runtime.uow() as uow:
            result = change(uow)
            uow.commit()
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    return result


def _print(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, indent=2))


def disable_client(
    client_id: ClientId, data_dir: DataDir = None, database_url: DbUrl = None
) -> None:
    """Disable an API client: its API key, tokens and secret are refused until re-enabled."""
    client = _run(
        data_dir, database_url, lambda uow: api_clients.set_disabled(uow, None, client_id, True)
    )
    _print({"client_id": client.client_id, "disabled": client.disabled})


def enable_client(
    client_id: ClientId, data_dir: DataDir = None, database_url: DbUrl = None
) -> None:
    """Enable a disabled API client again."""
    client = _run(
        data_dir, database_url, lambda uow: api_clients.set_disabled(uow, None, client_id, False)
    )
    _print({"client_id": client.client_id, "disabled": client.disabled})


def rotate_key(client_id: ClientId, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Give an API client a new API key (printed once); the old key stops working."""
    rotated = _run(
        data_dir, database_url, lambda uow: api_clients.rotate_api_key(uow, None, client_id)
    )
    _print({"client_id": client_id, "api_key": rotated.value})


def rotate_secret(
    client_id: ClientId, data_dir: DataDir = None, database_url: DbUrl = None
) -> None:
    """Give an API client a new secret (printed once); its old secret and tokens stop working."""
    rotated = _run(
        data_dir, database_url, lambda uow: api_clients.rotate_secret(uow, None, client_id)
    )
    _print({"client_id": client_id, "client_secret": rotated.value})


def register(admin: typer.Typer) -> None:
    """Add the commands to ``skyorder admin``."""
    admin.command("disable-client")(disable_client)
    admin.command("enable-client")(enable_client)
    admin.command("rotate-key")(rotate_key)
    admin.command("rotate-secret")(rotate_secret)
