"""Organisations, contracts, projects, API clients and the acting principal."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from skyorder.core.errors import FieldError, Hint, PermissionDenied, ValidationFailed
from skyorder.core.users import Actor, User, UserRole, require_user_role


class Billing(StrEnum):
    """What a contract's prices are counted in."""

    CREDITS = "credits"
    CURRENCY = "currency"


class Role(StrEnum):
    """What an API client may do beyond its organisation's own orders."""

    CUSTOMER = "customer"
    """Search, price, order and follow its organisation's orders (every client)."""
    PROVIDER = "provider"
    """Also write the archive catalog (STAC transactions, ingest)."""
    ADMIN = "admin"
    """Also administer its organisation's API clients (disable, enable, rotate credentials)."""


class ChargeOn(StrEnum):
    """When a balance contract turns an order's hold into a charge."""

    ACCEPTANCE = "acceptance"
    DELIVERY = "delivery"


class PaymentMode(StrEnum):
    """How orders under a contract are paid."""

    BALANCE = "balance"
    PAY_PER_ORDER = "pay_per_order"
    MONTHLY = "monthly"
    """Billed monthly in arrears: nothing is held or paid when ordering; what is delivered
    is recorded as owed (a payment from the funding account) and invoiced each month."""


@dataclass
class Organisation:
    """A customer organisation: the tenant boundary."""

    id: str
    name: str
    created_at: datetime
    number: int = 0
    """The organisation's account number: stable, unique, beside its id (0: not yet given)."""


@dataclass
class Contract:
    """Commercial terms an organisation orders under."""

    id: str
    organisation_id: str
    name: str
    billing: Billing
    currency: str  # ISO 4217 code, or "CREDITS"
    payment_mode: PaymentMode
    allowed_products: list[str]  # SKUs; empty means every product
    valid_from: datetime | None
    valid_until: datetime | None
    created_at: datetime
    charge_on: ChargeOn = ChargeOn.DELIVERY
    discount_percentage: Decimal = Decimal(0)
    number: int = 0
    """The contract's number: stable, unique across organisations, beside its id."""

    def is_valid_at(self, moment: datetime) -> bool:
        """Tell whether the contract is in force at ``moment``."""
        if self.valid_from is not None and moment < self.valid_from:
            return False
        return self.valid_until is None or moment < self.valid_until

    def check_orderable(self, sku: str, moment: datetime, field_name: str) -> None:
        """Refuse a product this contract does not allow, or a contract not in force."""
        if not self.is_valid_at(moment):
            raise PermissionDenied(
                f"contract {self.name} ({self.id}) is not in force at {moment.isoformat()}"
            )
        if self.allowed_products and sku not in self.allowed_products:
            raise ValidationFailed.on(
                field_name,
                f"product {sku} is not allowed by contract {self.name}; allowed: "
                + ", ".join(self.allowed_products),
            )


@dataclass
class Project:
    """A grouping of orders inside an organisation."""

    id: str
    organisation_id: str
    name: str
    description: str
    created_at: datetime


@dataclass
class ApiClient:
    """Credentials (client id + hashed secret, and an API key) of a user or a service account.

    ``user_id`` names the user the client belongs to; None makes the client a
    service account of its organisation.
    """

    id: str
    organisation_id: str
    name: str
    client_id: str
    secret_hash: str
    api_key_hash: str
    created_at: datetime
    disabled: bool = False
    roles: tuple[Role, ...] = (Role.CUSTOMER,)
    user_id: str | None = None


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API client acting for its organisation, maybe under one contract.

    ``user`` is the user the client belongs to, or None for a service account.
    """

    organisation_id: str
    client_id: str
    contract_ids: tuple[str, ...] = field(default_factory=tuple)
    contract_id: str | None = None
    roles: tuple[Role, ...] = (Role.CUSTOMER,)
    user: User | None = None

    def without_contract(self) -> Principal:
        """The same caller seeing every contract of its organisation."""
        return replace(self, contract_id=None)

    @property
    def actor(self) -> Actor:
        """Who to record on what this caller creates or changes."""
        user = self.user
        return Actor(self.client_id, user.id if user else None, user.email if user else None)

    def require_user_role(self, role: UserRole, doing: str) -> None:
        """Refuse (PermissionDenied) a user below ``role``; a service account passes."""
        require_user_role(self.user, role, doing)

    def require(self, role: Role, doing: str) -> None:
        """Refuse (PermissionDenied) unless the caller holds ``role``."""
        if role not in self.roles:
            raise PermissionDenied(
                f"{doing} needs the {role.value!r} role; your API client has "
                + ", ".join(r.value for r in self.roles)
                + " (an administrator grants roles with `skyorder admin create-client --role`)"
            )

    def contract_for_reading(self) -> str | None:
        """The contract whose terms prices are shown in when the caller names none.

        The chosen contract, else the organisation's only or oldest one (None: no contract).
        """
        if self.contract_id is not None:
            return self.contract_id
        return self.contract_ids[0] if self.contract_ids else None

    def contract_for_write(self) -> str:
        """The contract a new order is placed under."""
        if self.contract_id is not None:
            return self.contract_id
        if len(self.contract_ids) == 1:
            return self.contract_ids[0]
        if not self.contract_ids:
            raise PermissionDenied("your organisation has no contract; ask your provider for one")
        raise ValidationFailed.on(
            "X-Contract-Id",
            "your organisation has several contracts; choose one with the X-Contract-Id "
            "header: " + ", ".join(self.contract_ids),
        )


@dataclass(frozen=True)
class AccountRef:
    """An organisation and a contract named by their numbers in a request (either may be absent)."""

    organisation_number: int | None = None
    contract_number: int | None = None


def act_under(
    principal: Principal, ref: AccountRef, own_number: int, contract: Contract | None
) -> Principal:
    """The caller acting under the contract ``ref`` names.

    ``own_number`` is the caller's organisation's number; ``contract`` the caller's
    organisation's contract numbered ``ref.contract_number`` (None when it has none).

    Raises:
        PermissionDenied: naming the organisation number that is not the caller's, or
            the contract number that is not one of its organisation's contracts (or not
            the contract the caller chose already).
    """
    n = ref.organisation_number
    if n is not None and n != own_number:
        raise PermissionDenied(
            f"organisation {n} is not yours: you act for organisation {own_number}",
            errors=[
                FieldError(
                    "organisation_number",
                    f"organisation {n} is not yours: you act for organisation {own_number}",
                )
            ],
        )
    c = ref.contract_number
    if c is None:
        return principal
    if (
        contract is None
        or contract.organisation_id != principal.organisation_id
        or (principal.contract_id is not None and contract.id != principal.contract_id)
    ):
        raise PermissionDenied(
            f"contract {c} is not one of your organisation's contracts",
            errors=[
                FieldError(
                    "contract_number",
                    f"contract {c} is not one of your organisation's contracts",
                    Hint.LIST_CONTRACTS,
                )
            ],
            hint=Hint.LIST_CONTRACTS,
        )
    return replace(principal, contract_id=contract.id)
