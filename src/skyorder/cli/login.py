"""``skyorder login``: check credentials against a server and store them as a profile."""

from __future__ import annotations

from typing import Annotated

import typer

from skyorder.cli.output import err, reported
from skyorder.cli.profiles import Profile, save


def login(
    url: Annotated[str, typer.Option(help="Server base URL, e.g. http://127.0.0.1:8000")],
    api_key: Annotated[str | None, typer.Option(help="An API key")] = None,
    client_id: Annotated[str | None, typer.Option(help="An API client's id")] = None,
    client_secret: Annotated[
        str | None, typer.Option(help="Its secret (asked for when --client-id is given alone)")
    ] = None,
    contract_id: Annotated[
        str | None, typer.Option(help="Act under this contract (default: the client's)")
    ] = None,
    profile: Annotated[
        str, typer.Option("--profile", "-p", help="Name to store it as")
    ] = "default",
) -> None:
    """Check credentials against a server and store them as a profile.

    Examples: skyorder login --url http://127.0.0.1:8000 --api-key sko_...
    | skyorder login --url https://api.example.com --client-id cli_... --profile prod
    """
    if client_id and not client_secret:
        client_secret = typer.prompt("client secret", hide_input=True)
    if not api_key and not client_id:
        err.print("error: give --api-key, or --client-id (and its secret)")
        raise typer.Exit(2)
    stored = Profile(
        url=url.rstrip("/"),
        api_key=api_key,
        client_id=client_id,
        client_secret=client_secret,
        contract_id=contract_id,
    )
    with reported(), stored.client() as client:
        organisation = client.organisation()
    path = save(profile, stored)
    err.print(f"logged in to {stored.url} as {organisation.name}; profile {profile!r} in {path}")
