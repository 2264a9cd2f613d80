"""Products, contracts, projects and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from skyorder.core.products import Product
from skyorder.core.tenants import ApiClient, Contract, Organisation, Project
from skyorder.schemas.licences import LicenceOut


class ProductOut(BaseModel):
    """A product (SKU) with its order parameters as JSON Schema."""

    sku: str
    name: str
    kind: str
    description: str
    collection: str | None
    sensor: str | None
    processing_levels: list[str]
    max_off_nadir: float
    min_area_km2: float
    parameters: dict[str, Any]
    properties: dict[str, Any]
    pricing: dict[str, Any] | None
    licences: list[LicenceOut] = []

    @classmethod
    def of(cls, p: Product) -> ProductOut:
        """Render a product."""
        return cls(
            sku=p.sku,
            name=p.name,
            kind=p.kind.value,
            description=p.description,
            collection=p.collection,
            sensor=p.sensor,
            processing_levels=list(p.processing_levels),
            max_off_nadir=p.max_off_nadir,
            min_area_km2=p.min_area_km2,
            parameters=p.parameters,
            properties=p.properties,
            pricing=p.pricing.to_json() if p.pricing else None,
            licences=[LicenceOut.of(lic) for lic in p.licences],
        )


class ContractOut(BaseModel):
    """A contract's terms."""

    id: str
    organisation_id: str
    name: str
    billing: str
    currency: str
    payment_mode: str
    allowed_products: list[str]
    valid_from: datetime | None
    valid_until: datetime | None
    created_at: datetime
    number: int = Field(description="The contract's number, stable beside its id")

    @classmethod
    def of(cls, c: Contract) -> ContractOut:
        """Render a contract."""
        return cls(
            id=c.id,
            organisation_id=c.organisation_id,
            name=c.name,
            billing=c.billing.value,
            currency=c.currency,
            payment_mode=c.payment_mode.value,
            allowed_products=c.allowed_products,
            valid_from=c.valid_from,
            valid_until=c.valid_until,
            created_at=c.created_at,
            number=c.number,
        )


class OrganisationOut(BaseModel):
    """Your organisation: its id, its account number and its name."""

    id: str
    number: int = Field(description="The organisation's account number, stable beside its id")
    name: str
    created_at: datetime

    @classmethod
    def of(cls, org: Organisation) -> OrganisationOut:
        """Render an organisation."""
        return cls(id=org.id, number=org.number, name=org.name, created_at=org.created_at)


class ApiClientOut(BaseModel):
    """An API client of your organisation (never its secret or key)."""

    client_id: str
    name: str
    roles: list[str]
    disabled: bool
    created_at: datetime

    @classmethod
    def of(cls, c: ApiClient) -> ApiClientOut:
        """Render an API client."""
        return cls(
            client_id=c.client_id,
            name=c.name,
            roles=[r.value for r in c.roles],
            disabled=c.disabled,
            created_at=c.created_at,
        )


class ApiKeyOut(BaseModel):
    """A client's new API key, shown only this once; the previous key no longer works."""

    client_id: str
    api_key: str


class ClientSecretOut(BaseModel):
    """A client's new secret, shown only this once; the previous secret and the access
    tokens issued with it no longer work."""

    client_id: str
    client_secret: str


class ProjectCreate(BaseModel):
    """A new project."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)


class ProjectOut(BaseModel):
    """A project."""

    id: str
    organisation_id: str
    name: str
    description: str
    created_at: datetime

    @classmethod
    def of(cls, p: Project) -> ProjectOut:
        """Render a project."""
        return cls(
            id=p.id,
            organisation_id=p.organisation_id,
            name=p.name,
            description=p.description,
            created_at=p.created_at,
        )


class TokenOut(BaseModel):
    """An OAuth2 access token."""

    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class ClockOut(BaseModel):
    """The sandbox clock."""

    now: datetime
    sandbox: bool
    offset_seconds: float
    steps_run: int | None = Field(
        default=None,
        description="On advance: how many due steps this call ran itself. A step that "
        "background work had already started is waited for but not counted here.",
    )


class ClockAdvance(BaseModel):
    """Advance the sandbox clock by ``seconds`` or to ``to``."""

    model_config = ConfigDict(extra="forbid")

    seconds: float | None = Field(None, ge=0, le=10 * 365 * 86400)
    to: datetime | None = None
