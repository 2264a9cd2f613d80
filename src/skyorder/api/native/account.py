"""Products, contracts, projects and the event log."""

from __future__ import annotations

from fastapi import APIRouter, Request

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.paging import list_query, openapi_filters, page
from skyorder.facade import filters as queries
from skyorder.schemas.common import EventOut, Page
from skyorder.schemas.tenants import ContractOut, ProductOut, ProjectCreate, ProjectOut

router = APIRouter(prefix="/v1", tags=["account"])


@router.get("/products", response_model=list[ProductOut])
def products(facade: FacadeDep, principal: PrincipalDep) -> list[ProductOut]:
    """List the products (SKUs) on offer, each with its order parameters as JSON Schema."""
    return [ProductOut.of(p) for p in facade.products.list()]


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


@router.get(
    "/events", response_model=Page[EventOut], openapi_extra=openapi_filters(queries.EVENT_FILTERS)
)
def events(request: Request, facade: FacadeDep, principal: PrincipalDep) -> Page[EventOut]:
    """The event log, oldest first: filter by ``type``, ``entity``, ``entity_id``, ``order_id``,
    ``timestamp__gt`` (poll for what is new since your last event)."""
    query = list_query(request, queries.EVENT_FILTERS)
    return page(request, facade.orders.events(principal, query), EventOut.from_event)
