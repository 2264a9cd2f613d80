"""Organisations, contracts, projects, API clients and the acting principal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from skyorder.core.errors import PermissionDenied, ValidationFailed


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


@dataclass
class Organisation:
    """A customer organisation: the tenant boundary."""

    id: str
    name: str
    created_at: datetime


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
    """Machine credentials of an organisation: client id + hashed secret, and an API key."""

    id: str
    organisation_id: str
    name: str
    client_id: str
    secret_hash: str
    api_key_hash: str
    created_at: datetime
    disabled: bool = False
    roles: tuple[Role, ...] = (Role.CUSTOMER,)


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API client acting for its organisation, maybe under one contract."""

    organisation_id: str
    client_id: str
    contract_ids: tuple[str, ...] = field(default_factory=tuple)
    contract_id: str | None = None
    roles: tuple[Role, ...] = (Role.CUSTOMER,)

    def without_contract(self) -> Principal:
        """The same caller seeing every contract of its organisation."""
        return Principal(self.organisation_id, self.client_id, self.contract_ids, None, self.roles)

    def require(self, role: Role, doing: str) -> None:
        """Refuse (PermissionDenied) unless the caller holds ``role``."""
        if role not in self.roles:
            raise PermissionDenied(
                f"{doing} needs the {role.value!r} role; your API client has "
                + ", ".join(r.value for r in self.roles)
                + " (an administrator grants roles with `skyorder admin create-client --role`)"
            )

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
