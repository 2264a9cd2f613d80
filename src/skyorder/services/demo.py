"""Demo data: an organisation with a credit contract, a project, a user and their API client.

The demo user (an admin) signs in to the console with the random password saved in
``demo-credentials.json`` (``user.password``).

A second organisation has a EUR contract paid order by order at the hosted checkout, with
a service-account API client of its own (``pay_per_order`` in the credentials file) and a
console user, ``buyer@skyorder.example`` (its ``user``).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from skyorder.core.clock import Clock
from skyorder.core.tenants import Billing, PaymentMode, Principal, Role
from skyorder.core.users import NewUser, UserRole
from skyorder.datadir import write_private
from skyorder.services.billing import top_up
from skyorder.services.sign_in import set_password
from skyorder.services.tenants import (
    ContractTerms,
    create_client,
    create_contract,
    create_organisation,
    create_project,
)
from skyorder.services.users import create_user, user_by_email
from skyorder.store.uow import UnitOfWorkFactory

CREDENTIALS_FILE = "demo-credentials.json"
PAY_PER_ORDER = "pay_per_order"
"""The key of the pay-per-order demo organisation's credentials in the credentials file."""
DEMO_CREDITS = 1_000_000
DEMO_USER = NewUser("demo@skyorder.example", "Demo User", UserRole.ADMIN)
DEMO_BUYER = NewUser("buyer@skyorder.example", "Demo Buyer", UserRole.MEMBER)
"""The pay-per-order organisation's console user (its API client stays a service account)."""


def provision_organisation(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    name: str,
    base_url: str,
    terms: ContractTerms,
    credits: int = 0,
    roles: tuple[Role, ...] = (Role.CUSTOMER,),
    user: NewUser | None = None,
) -> dict[str, Any]:
    """Create an organisation with a contract, a project and an API client, in one transaction.

    ``credits`` tops up a balance contract at once. With ``user`` the organisation
    gets that user and the API client is theirs; without, the client is a service
    account.

    Returns the credentials in the shape of ``demo-credentials.json``.
    """
    with new_uow() as uow:
        org = create_organisation(uow, clock, name)
        contract = create_contract(uow, clock, org.id, terms)
        principal = Principal(org.id, "admin", (contract.id,), contract.id)
        project = create_project(uow, clock, principal, f"{name} project")
        person = create_user(uow, clock, org.id, user) if user is not None else None
        creds = create_client(
            uow, clock, org.id, f"{name} API client", roles, person.id if person else None
        )
        if credits:
            top_up(uow, clock, contract, credits, "initial credits")
        uow.commit()
    named = (
        {"user": {"id": person.id, "email": person.email, "role": person.role.value}}
        if person
        else {}
    )
    return {
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "api_key": creds.api_key,
        "organisation_id": org.id,
        "organisation_number": org.number,
        "contract_id": contract.id,
        "contract_number": contract.number,
        "project_id": project.id,
        "token_url": f"{base_url}/oauth/token",
        "base_url": base_url,
        **named,
    }


def ensure_demo(
    new_uow: UnitOfWorkFactory, clock: Clock, data_dir: Path, base_url: str
) -> dict[str, Any]:
    """Seed the demo organisation once; later starts reuse its saved credentials."""
    path = data_dir / CREDENTIALS_FILE
    if path.exists():
        saved: dict[str, Any] = json.loads(path.read_text())
        with new_uow(readonly=True) as uow:
            still_there = uow.tenants.client_by_client_id(saved.get("client_id", "")) is not None
        if still_there:
            saved.update(token_url=f"{base_url}/oauth/token", base_url=base_url)
            if PAY_PER_ORDER not in saved:  # a data directory seeded before it existed
                saved[PAY_PER_ORDER] = _pay_per_order_demo(new_uow, clock, base_url)
            if "user" in saved and "password" not in saved["user"]:  # seeded before sign-in
                saved["user"]["password"] = _give_password(new_uow, saved)
            if "user" not in saved[PAY_PER_ORDER]:
                saved[PAY_PER_ORDER]["user"] = _buyer(new_uow, clock, saved[PAY_PER_ORDER])
            write_private(path, json.dumps(saved, indent=2) + "\n")
            return saved
    creds = provision_organisation(
        new_uow,
        clock,
        "Demo Organisation",
        base_url,
        ContractTerms(name="Demo credits contract"),
        credits=DEMO_CREDITS,
        # The sandbox's own archive can be ingested into, and its clients administered.
        roles=(Role.CUSTOMER, Role.PROVIDER, Role.ADMIN),
        user=DEMO_USER,
    )
    creds["user"]["password"] = _give_password(new_uow, creds)
    creds[PAY_PER_ORDER] = _pay_per_order_demo(new_uow, clock, base_url)
    creds[PAY_PER_ORDER]["user"] = _buyer(new_uow, clock, creds[PAY_PER_ORDER])
    write_private(path, json.dumps(creds, indent=2) + "\n")
    return creds


def _pay_per_order_demo(new_uow: UnitOfWorkFactory, clock: Clock, base_url: str) -> dict[str, Any]:
    """A second demo organisation, whose EUR contract is paid order by order at a checkout."""
    return provision_organisation(
        new_uow,
        clock,
        "Demo Pay-per-order Organisation",
        base_url,
        ContractTerms(
            name="Demo pay-per-order contract",
            billing=Billing.CURRENCY,
            currency="EUR",
            payment_mode=PaymentMode.PAY_PER_ORDER,
        ),
    )


def _give_password(new_uow: UnitOfWorkFactory, creds: dict[str, Any]) -> str:
    """A new random console password for the demo user (saved beside the other credentials)."""
    password = secrets.token_urlsafe(12)
    with new_uow() as uow:
        user = user_by_email(uow, creds["organisation_id"], creds["user"]["email"])
        set_password(uow, user, password)
        uow.commit()
    return password


def _buyer(new_uow: UnitOfWorkFactory, clock: Clock, creds: dict[str, Any]) -> dict[str, Any]:
    """The pay-per-order organisation's console user, with a random password."""
    password = secrets.token_urlsafe(12)
    with new_uow() as uow:
        user = create_user(uow, clock, creds["organisation_id"], DEMO_BUYER)
        set_password(uow, user, password)
        uow.commit()
    return {"id": user.id, "email": user.email, "role": user.role.value, "password": password}
