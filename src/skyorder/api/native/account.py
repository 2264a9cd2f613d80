"""Products, contracts, projects, API clients and the event log."""

from __future__ import annotations

from fastapi import APIRouter, Request

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.paging import list_query, openapi_filters, page
from skyorder.facade import filters as queries
from skyorder.schemas.common import EventOut, Page
from skyorder.schemas.tenants import (
    ApiClientOut,
    ApiKeyOut,
    ClientSecretOut,
    ContractOut,
    OrganisationOut,
    ProductOut,
    ProjectCreate,
    ProjectOut,
)

router = APIRouter(prefix="/v1", tags=["account"])


@router.get("/products", response_model=list[ProductOut])
def products(facade: FacadeDep, principal: PrincipalDep) -> list[ProductOut]:
    """List the products (SKUs) on offer, each with its order parameters as JSON Schema."""
    return [ProductOut.of(p) for p in facade.products.list()]


@router.get("/organisation", response_model=OrganisationOut)
def organisation(facade: FacadeDep, principal: PrincipalDep) -> OrganisationOut:
    """Get your organisation: its id, its account number and its name."""
    return OrganisationOut.of(facade.organisations.own(principal))


@router.get("/contracts", response_model=list[ContractOut])
def contracts(facade: FacadeDep, principal: PrincipalDep) -> list[ContractOut]:
    """List your organisation's contracts (or only the one chosen with ``X-Contract-Id``)."""
    return [ContractOut.of(c) for c in facade.contracts.list(principal)]


@router.get("/contracts/{contract_id}", response_model=ContractOut)
def contract(contract_id: str, facade: FacadeDep, principal: PrincipalDep) -> ContractOut:
    """Get one of your contracts."""
    return ContractOut.of(facade.contracts.get(principal, contract_id))


@router.post("/projects", response_model=ProjectOut, status_code=201)
def create_project(body: ProjectCreate, facade: FacadeDep, principal: PrincipalDep) -> ProjectOut:
    """Create a project to group orders."""
    return ProjectOut.of(facade.projects.create(principal, body.name, body.description))


@router.get("/projects", response_model=list[ProjectOut])
def projects(facade: FacadeDep, principal: PrincipalDep) -> list[ProjectOut]:
    """List your organisation's projects."""
    return [ProjectOut.of(p) for p in facade.projects.list(principal)]


@router.get("/projects/{project_id}", response_model=ProjectOut)
def project(project_id: str, facade: FacadeDep, principal: PrincipalDep) -> ProjectOut:
    """Get one project."""
    return ProjectOut.of(facade.projects.get(principal, project_id))


@router.get("/clients", response_model=list[ApiClientOut])
def clients(facade: FacadeDep, principal: PrincipalDep) -> list[ApiClientOut]:
    """List your organisation's API clients: id, name, roles, disabled (admin role)."""
    return [ApiClientOut.of(c) for c in facade.clients.list(principal)]


@router.post("/clients/{client_id}/disable", response_model=ApiClientOut)
def disable_client(client_id: str, facade: FacadeDep, principal: PrincipalDep) -> ApiClientOut:
    """Disable one of your organisation's API clients (admin role).

    Within a second its API key and access tokens are refused with 401, and it can
    get no new token, until it is enabled again. You cannot disable the client you
    call with.
    """
    return ApiClientOut.of(facade.clients.set_disabled(principal, client_id, True))


@router.post("/clients/{client_id}/enable", response_model=ApiClientOut)
def enable_client(client_id: str, facade: FacadeDep, principal: PrincipalDep) -> ApiClientOut:
    """Enable a disabled API client again (admin role); its credentials work again."""
    return ApiClientOut.of(facade.clients.set_disabled(principal, client_id, False))


@router.post("/clients/{client_id}/rotate-key", response_model=ApiKeyOut)
def rotate_key(client_id: str, facade: FacadeDep, principal: PrincipalDep) -> ApiKeyOut:
    """Give an API client a new API key, shown only in this answer (admin role).

    The previous key stops working within a second.
    """
    rotated = facade.clients.rotate_key(principal, client_id)
    return ApiKeyOut(client_id=client_id, api_key=rotated.value)


@router.post("/clients/{client_id}/rotate-secret", response_model=ClientSecretOut)
def rotate_secret(client_id: str, facade: FacadeDep, principal: PrincipalDep) -> ClientSecretOut:
    """Give an API client a new client secret, shown only in this answer (admin role).

    The previous secret gets no more tokens, and the access tokens issued with it
    stop working within a second: request a new token with the new secret.
    """
    rotated = facade.clients.rotate_secret(principal, client_id)
    return ClientSecretOut(client_id=client_id, client_secret=rotated.value)


@router.get(
    "/events", response_model=Page[EventOut], openapi_extra=openapi_filters(queries.EVENT_FILTERS)
)
def events(request: Request, facade: FacadeDep, principal: PrincipalDep) -> Page[EventOut]:
    """The event log, oldest first: filter by ``type``, ``entity``, ``entity_id``, ``order_id``,
    ``timestamp__gt`` (poll for what is new since your last event)."""
    query = list_query(request, queries.EVENT_FILTERS)
    return page(request, facade.orders.events(principal, query), EventOut.from_event)
