"""Administration: organisations, contracts, projects and API clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from skyorder.core.clock import Clock
from skyorder.core.errors import Hint, NotFound, ValidationFailed
from skyorder.core.ids import new_id
from skyorder.core.tenants import (
    AccountRef,
    ApiClient,
    Billing,
    Contract,
    Organisation,
    PaymentMode,
    Principal,
    Project,
    Role,
    act_under,
)
from skyorder.services.credentials import (
    hash_api_key,
    hash_secret,
    new_api_key,
    new_client_id,
    new_secret,
)
from skyorder.store.uow import UnitOfWork


@dataclass(frozen=True)
class ContractTerms:
    """What an administrator sets when creating a contract."""

    name: str
    billing: Billing = Billing.CREDITS
    currency: str = "CREDITS"
    payment_mode: PaymentMode = PaymentMode.BALANCE
    allowed_products: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class ClientCredentials:
    """A new API client's credentials; the secret and key are shown only once."""

    client_id: str
    client_secret: str
    api_key: str


def _require_org(uow: UnitOfWork, organisation_id: str) -> None:
    if uow.tenants.get_organisation(organisation_id) is None:
        raise NotFound(f"organisation {organisation_id} not found")


def create_organisation(uow: UnitOfWork, clock: Clock, name: str) -> Organisation:
    """Create an organisation."""
    if not name.strip():
        raise ValidationFailed.on("name", "must not be empty")
    org = Organisation(new_id(), name.strip(), clock.now(), uow.tenants.next_organisation_number())
    uow.tenants.add_organisation(org)
    return org


def create_contract(
    uow: UnitOfWork, clock: Clock, organisation_id: str, terms: ContractTerms
) -> Contract:
    """Create a contract for an organisation."""
    _require_org(uow, organisation_id)
    if terms.billing is Billing.CREDITS and terms.currency != "CREDITS":
        raise ValidationFailed.on("currency", "a credits contract counts in CREDITS")
    if terms.billing is Billing.CURRENCY and (
        len(terms.currency) != 3 or not terms.currency.isupper()
    ):
        raise ValidationFailed.on("currency", "must be an ISO 4217 code such as EUR or USD")
    if terms.valid_from and terms.valid_until and terms.valid_until <= terms.valid_from:
        raise ValidationFailed.on("valid_until", "must be after valid_from")
    known = uow.products.all()
    unknown = [sku for sku in terms.allowed_products if sku not in known]
    if unknown:
        raise ValidationFailed.on("allowed_products", f"unknown products: {', '.join(unknown)}")
    contract = Contract(
        id=new_id(),
        organisation_id=organisation_id,
        name=terms.name,
        billing=terms.billing,
        currency=terms.currency,
        payment_mode=terms.payment_mode,
        allowed_products=list(terms.allowed_products),
        valid_from=terms.valid_from,
        valid_until=terms.valid_until,
        created_at=clock.now(),
        number=uow.tenants.next_contract_number(),
    )
    uow.tenants.add_contract(contract)
    return contract


def create_project(
    uow: UnitOfWork, clock: Clock, principal: Principal, name: str, description: str = ""
) -> Project:
    """Create a project in the caller's organisation."""
    if not name.strip():
        raise ValidationFailed.on("name", "must not be empty")
    if len(name) > 200:
        raise ValidationFailed.on("name", "must be at most 200 characters")
    project = Project(new_id(), principal.organisation_id, name.strip(), description, clock.now())
    uow.tenants.add_project(project)
    return project


def create_client(
    uow: UnitOfWork,
    clock: Clock,
    organisation_id: str,
    name: str,
    roles: tuple[Role, ...] = (Role.CUSTOMER,),
    user_id: str | None = None,
) -> ClientCredentials:
    """Create an API client; returns the only copy of its secret and API key.

    With ``user_id`` the client belongs to that user of the organisation; without,
    it is a service account of the organisation.
    """
    _require_org(uow, organisation_id)
    creds = ClientCredentials(new_client_id(), new_secret(), new_api_key())
    uow.tenants.add_client(
        ApiClient(
            id=new_id(),
            organisation_id=organisation_id,
            name=name,
            client_id=creds.client_id,
            secret_hash=hash_secret(creds.client_secret),
            api_key_hash=hash_api_key(creds.api_key),
            created_at=clock.now(),
            roles=tuple(dict.fromkeys((Role.CUSTOMER, *roles))),
            user_id=user_id,
        )
    )
    return creds


def resolve_account(uow: UnitOfWork, principal: Principal, ref: AccountRef) -> Principal:
    """The caller acting under the organisation and contract a request names by number.

    Raises:
        PermissionDenied: naming a number that is not the caller's organisation's.
    """
    if ref.organisation_number is None and ref.contract_number is None:
        return principal
    org = uow.tenants.get_organisation(principal.organisation_id)
    if org is None:
        raise NotFound(f"organisation {principal.organisation_id} not found")
    contract = (
        uow.tenants.contract_by_number(principal.without_contract(), ref.contract_number)
        if ref.contract_number is not None
        else None
    )
    return act_under(principal, ref, org.number, contract)


def reading_contract(uow: UnitOfWork, principal: Principal) -> Contract:
    """The contract whose terms the caller sees prices in (its chosen, only or oldest one)."""
    contract_id = principal.contract_for_reading()
    contract = uow.tenants.get_contract(principal, contract_id) if contract_id else None
    if contract is None:
        raise NotFound("your organisation has no contract", hint=Hint.LIST_CONTRACTS)
    return contract
