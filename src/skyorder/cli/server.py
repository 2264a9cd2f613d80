"""The commands that run and administer a server: ``serve``, ``worker``, ``admin``,
``catalog ingest|generate``.

They need the server's packages (``pip install 'skyorder[server]'``); ``skyorder.cli.main``
registers them only where those are installed.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, NoReturn

import typer

from skyorder.cli import catalog_admin
from skyorder.cli import clients as clients_cli
from skyorder.cli.options import DataDir, DbUrl, PublicUrl, err, load_settings, open_runtime
from skyorder.cli.secrets_keys import rotate_secrets_key
from skyorder.cli.users import create_user_cmd
from skyorder.cli.worker import worker
from skyorder.core.errors import DomainError, NotFound
from skyorder.core.tenants import Billing, PaymentMode, Role
from skyorder.services.billing import top_up
from skyorder.services.catalog import ensure_demo_catalog
from skyorder.services.demo import ensure_demo, provision_organisation
from skyorder.services.tenants import ContractTerms, create_client, create_contract
from skyorder.services.users import user_by_email

admin = typer.Typer(
    help="Administer organisations, contracts, users and API clients.", no_args_is_help=True
)
clients_cli.register(admin)
admin.command("rotate-secrets-key")(rotate_secrets_key)
admin.command("create-user")(create_user_cmd)


def register(app: typer.Typer, catalog: typer.Typer) -> None:
    """Add the server's commands to the ``skyorder`` command."""
    app.command()(serve)
    app.command()(worker)
    app.add_typer(admin, name="admin")
    catalog.command()(catalog_admin.ingest)
    catalog.command()(catalog_admin.generate)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def _fail(exc: DomainError, options: dict[str, str] | None = None) -> NoReturn:
    """Print the error in one line, naming the command's option for a field it knows."""
    detail = exc.detail
    named = (options or {}).get(exc.errors[0].field) if len(exc.errors) == 1 else None
    if named is not None:
        detail = f"{named}: {exc.errors[0].message}"
    err.print(f"[red]error:[/red] {detail}")
    raise typer.Exit(2)


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    public_url: PublicUrl = None,
    demo: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Seed a demo organisation")
    ] = False,
    sandbox: Annotated[
        bool, typer.Option("--sandbox/--real-clock", help="Advanceable sandbox clock")
    ] = True,
    agenda: Annotated[
        bool,
        typer.Option(
            "--agenda/--no-agenda",
            help="Run background work in this process (--no-agenda: leave it to "
            "`skyorder worker` processes)",
        ),
    ] = True,
) -> None:
    """Run the API server (embedded mode: SQLite, in-process work; see --no-agenda)."""
    import uvicorn

    from skyorder.api.app import create_app
    from skyorder.worker.process import sweep_crash_leftovers

    settings = load_settings(
        host=host,
        port=port,
        data_dir=data_dir,
        database_url=database_url,
        public_url=public_url,
        sandbox=sandbox,
    )
    runtime = open_runtime(settings)
    swept = sweep_crash_leftovers(runtime)
    runtime.imagery.warm_up()  # a first download does not pay for loading GDAL and PROJ
    base = settings.base_url()
    err.print(
        f"[bold]skyorder[/bold] on {base}  (database: {runtime.engine.url.render_as_string()})"
    )
    if swept.paths:
        err.print(f"  Crash leftovers: {swept.summary()}")
    err.print(f"  API docs:    {base}/docs")
    err.print(f"  OpenAPI:     {base}/openapi.json")
    err.print(
        f"  Vendor APIs: Aleph {base}/v2/orders/ · DataCosmos {base}/api/data/v0/order · "
        f"OneAtlas {base}/api/v1/orders · Pixxel {base}/v0/order-items (README: each one)"
    )
    if demo:
        creds = ensure_demo(runtime.uow, runtime.clock, settings.data_dir, base)
        ensure_demo_catalog(runtime.uow, runtime.clock, owner=creds["organisation_id"])
        err.print(f"  STAC API:    {base}/stac (demo archive)")
        path = (settings.data_dir / "demo-credentials.json").resolve()
        err.print(f"  Demo credentials (saved to {path}):")
        _print_json(creds)
        user = creds.get("user", {})
        if "password" in user:
            err.print(
                f"  Console:     {base}/console  (sign in as {user['email']}, "
                f"password {user['password']})"
            )
        err.print("  Try it:")
        err.print(f"    curl -s -H 'X-API-Key: {creds['api_key']}' {base}/v1/products")
        err.print(
            f"    curl -s -X POST {base}/oauth/token -d grant_type=client_credentials "
            f"-d client_id={creds['client_id']} -d client_secret={creds['client_secret']}"
        )
    if settings.sandbox:
        err.print(f"  Sandbox clock: {base}/v1/sandbox/clock (POST .../advance to move time)")
    if not agenda:
        err.print("  Background work: left to `skyorder worker` processes (--no-agenda)")
    uvicorn.run(
        create_app(settings, runtime, run_agenda=agenda),
        host=settings.host,
        port=settings.port,
        log_level="info",
    )


RoleOption = Annotated[
    list[Role] | None,
    typer.Option(
        "--role",
        help="Extra role of the API client (repeatable): provider may write the catalog",
    ),
]


@admin.command("create-org")
def create_org(
    name: str,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    public_url: PublicUrl = None,
    billing: Annotated[Billing, typer.Option(help="credits or currency")] = Billing.CREDITS,
    currency: Annotated[str, typer.Option(help="CREDITS, or an ISO 4217 code")] = "CREDITS",
    payment_mode: Annotated[
        PaymentMode, typer.Option(help="balance or pay_per_order")
    ] = PaymentMode.BALANCE,
    credits: Annotated[int, typer.Option(min=0, help="Initial balance (balance contracts)")] = 0,
    role: RoleOption = None,
) -> None:
    """Create an organisation with a contract, a project and an API client; print credentials."""
    settings = load_settings(data_dir=data_dir, database_url=database_url, public_url=public_url)
    runtime = open_runtime(settings)
    try:
        creds = provision_organisation(
            runtime.uow,
            runtime.clock,
            name,
            settings.base_url(),
            ContractTerms(
                name=f"{name} contract",
                billing=billing,
                currency=currency,
                payment_mode=payment_mode,
            ),
            credits=credits,
            roles=tuple(role or ()),
        )
    except DomainError as exc:
        _fail(exc, {"amount": "--credits"})
    finally:
        runtime.close()
    _print_json(creds)


@admin.command("top-up")
def top_up_cmd(
    contract_id: Annotated[str, typer.Option("--contract", help="Contract id")],
    amount: Annotated[int, typer.Option(min=1, help="Credits or minor units to add")],
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    memo: Annotated[str, typer.Option(help="Ledger memo")] = "top-up",
) -> None:
    """Add to a balance contract's available balance; print the new balances."""
    settings = load_settings(data_dir=data_dir, database_url=database_url)
    runtime = open_runtime(settings)
    try:
        with runtime.uow() as uow:
            contract = uow.tenants.contract_by_id(contract_id)
            if contract is None:
                raise NotFound(f"contract {contract_id} not found")
            top_up(uow, runtime.clock, contract, amount, memo)
            balances = uow.ledger.balances(contract.id)
            uow.commit()
    except DomainError as exc:
        _fail(exc, {"amount": "--amount"})
    finally:
        runtime.close()
    _print_json(
        {
            "contract_id": contract_id,
            "available": balances.available,
            "held": balances.held,
            "spent": balances.spent,
        }
    )


@admin.command("rebuild-tallies")
def rebuild_tallies_cmd(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Recount the order tallies behind list counts from the orders (after a bulk import)."""
    settings = load_settings(data_dir=data_dir, database_url=database_url)
    runtime = open_runtime(settings)
    try:
        with runtime.uow() as uow:
            tallies = uow.orders.rebuild_tallies()
            uow.commit()
    finally:
        runtime.close()
    _print_json({"tallies": tallies})


@admin.command("create-contract")
def create_contract_cmd(
    organisation_id: Annotated[str, typer.Option("--org", help="Organisation id")],
    name: Annotated[str, typer.Option(help="Contract name")],
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    billing: Annotated[Billing, typer.Option(help="credits or currency")] = Billing.CREDITS,
    currency: Annotated[str, typer.Option(help="CREDITS, or an ISO 4217 code")] = "CREDITS",
    payment_mode: Annotated[
        PaymentMode, typer.Option(help="balance or pay_per_order")
    ] = PaymentMode.BALANCE,
    allowed_product: Annotated[
        list[str] | None, typer.Option(help="Allowed SKU (repeat); default all")
    ] = None,
    valid_from: Annotated[datetime | None, typer.Option(help="Start of validity (UTC)")] = None,
    valid_until: Annotated[datetime | None, typer.Option(help="End of validity (UTC)")] = None,
) -> None:
    """Add a contract to an organisation; print it."""
    from datetime import UTC

    settings = load_settings(data_dir=data_dir, database_url=database_url)
    runtime = open_runtime(settings)
    terms = ContractTerms(
        name=name,
        billing=billing,
        currency=currency,
        payment_mode=payment_mode,
        allowed_products=tuple(allowed_product or ()),
        valid_from=valid_from.replace(tzinfo=UTC) if valid_from else None,
        valid_until=valid_until.replace(tzinfo=UTC) if valid_until else None,
    )
    try:
        with runtime.uow() as uow:
            contract = create_contract(uow, runtime.clock, organisation_id, terms)
            uow.commit()
    except DomainError as exc:
        _fail(exc)
    finally:
        runtime.close()
    _print_json(
        {
            "contract_id": contract.id,
            "contract_number": contract.number,
            "organisation_id": contract.organisation_id,
            "name": contract.name,
            "billing": contract.billing.value,
            "currency": contract.currency,
            "payment_mode": contract.payment_mode.value,
            "allowed_products": contract.allowed_products,
            "valid_from": contract.valid_from,
            "valid_until": contract.valid_until,
        }
    )


@admin.command("create-client")
def create_client_cmd(
    organisation_id: Annotated[str, typer.Option("--org", help="Organisation id")],
    name: Annotated[str, typer.Option(help="A name for the client")] = "API client",
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    public_url: PublicUrl = None,
    role: RoleOption = None,
    user: Annotated[
        str | None,
        typer.Option(help="Email of the user the client belongs to [default: a service account]"),
    ] = None,
) -> None:
    """Add an API client to an organisation; print its id, secret and API key (shown once)."""
    settings = load_settings(data_dir=data_dir, database_url=database_url, public_url=public_url)
    runtime = open_runtime(settings)
    try:
        with runtime.uow() as uow:
            owner = user_by_email(uow, organisation_id, user).id if user else None
            creds = create_client(
                uow, runtime.clock, organisation_id, name, tuple(role or ()), owner
            )
            uow.commit()
    except DomainError as exc:
        _fail(exc)
    finally:
        runtime.close()
    _print_json(
        {
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "api_key": creds.api_key,
            "organisation_id": organisation_id,
            "token_url": f"{settings.base_url()}/oauth/token",
            "base_url": settings.base_url(),
        }
    )
