"""``skyorder products``, ``skyorder contracts``, ``skyorder balance``, ``skyorder satellites``:
what an organisation may order, what it has to spend, and who can capture it."""

from __future__ import annotations

from typing import Annotated

import typer

from skyorder.cli.output import Column, emit, err, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve

PRODUCT_COLUMNS: list[Column] = [
    ("sku", lambda p: p.sku),
    ("kind", lambda p: p.kind),
    ("collection", lambda p: p.collection or ""),
    ("levels", lambda p: ", ".join(p.processing_levels)),
    ("min km²", lambda p: p.min_area_km2),
    ("name", lambda p: p.name),
]
CONTRACT_COLUMNS: list[Column] = [
    ("number", lambda c: c.number),
    ("id", lambda c: c.id),
    ("name", lambda c: c.name),
    ("billing", lambda c: c.billing),
    ("currency", lambda c: c.currency),
    ("payment", lambda c: c.payment_mode),
]
BALANCE_COLUMNS: list[Column] = [
    ("contract", lambda b: b.contract_id),
    ("currency", lambda b: b.currency),
    ("available", lambda b: b.available),
    ("held", lambda b: b.held),
    ("spent", lambda b: b.spent),
]
SATELLITE_COLUMNS: list[Column] = [
    ("id", lambda s: s.id),
    ("norad", lambda s: s.norad_id),
    ("status", lambda s: s.status),
    ("sensor", lambda s: s.sensor.type),
    ("gsd (m)", lambda s: s.sensor.gsd_m),
    ("swath (km)", lambda s: s.sensor.swath_km),
    ("altitude (km)", lambda s: round(s.orbit.altitude_km, 1)),
]
ContractOpt = Annotated[
    str | None,
    typer.Option("--contract", help="The contract's id (default: each of your contracts)"),
]


def products(profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None) -> None:
    """List the products on offer: SKU, kind, collection, processing levels.

    Example: skyorder products
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.account.products(), PRODUCT_COLUMNS)


def contracts(profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None) -> None:
    """List your organisation's contracts. Example: skyorder contracts"""
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.account.contracts(), CONTRACT_COLUMNS)


def balance(
    contract: ContractOpt = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Show what a contract has to spend: available, held by open orders, spent.

    Example: skyorder balance   (every contract of yours; --contract ID for one)
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        ids = [contract] if contract else [c.id for c in client.account.contracts()]
        if not ids:
            err.print("error: your organisation has no contract")
            raise typer.Exit(4)
        emit([client.account.balance(i) for i in ids], BALANCE_COLUMNS)


def satellites(profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None) -> None:
    """List the constellation's satellites (sensor, ground sample distance, orbit).

    Example: skyorder satellites
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.tasking.satellites().results, SATELLITE_COLUMNS)
