"""``skyorder admin create-user``: add a person to an organisation, with an API client of theirs."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from skyorder.cli.options import DataDir, DbUrl, PublicUrl, err, load_settings, open_runtime
from skyorder.core.errors import DomainError
from skyorder.core.users import NewUser, UserRole
from skyorder.services.users import create_user, create_user_client


def create_user_cmd(
    organisation_id: Annotated[str, typer.Argument(metavar="ORG", help="Organisation id")],
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="The user's email address")],
    role: Annotated[
        UserRole,
        typer.Option(help="admin (also manages users), member (orders) or viewer (reads only)"),
    ] = UserRole.MEMBER,
    name: Annotated[str, typer.Option(help="Display name [default: the email's local part]")] = "",
    client: Annotated[
        bool,
        typer.Option("--client/--no-client", help="Also create an API client of the user"),
    ] = True,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    public_url: PublicUrl = None,
) -> None:
    """Add a user to an organisation; print it and its API client's secret and key (shown once).

    What the user's API client does is recorded as the user's doing (``created_by_user``).
    """
    settings = load_settings(data_dir=data_dir, database_url=database_url, public_url=public_url)
    runtime = open_runtime(settings)
    try:
        with runtime.uow() as uow:
            user = create_user(uow, runtime.clock, organisation_id, NewUser(email, name, role))
            creds = create_user_client(uow, runtime.clock, user) if client else None
            uow.commit()
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    out: dict[str, object] = {
        "user": {
            "id": user.id,
            "organisation_id": user.organisation_id,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
        }
    }
    if creds is not None:
        out.update(
            client_id=creds.client_id,
            client_secret=creds.client_secret,
            api_key=creds.api_key,
            token_url=f"{settings.base_url()}/oauth/token",
            base_url=settings.base_url(),
        )
    typer.echo(json.dumps(out, indent=2))
