"""Products, contracts, projects and the event log."""

from __future__ import annotations

from fastapi import APIRouter, Request

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.api.paging import list_query, openapi_filters, page
from skyorder.core.errors import NotFound
from skyorder.schemas.common import EventOut, Page
from skyorder.schemas.tenants import ContractOut, ProductOut, ProjectCreate, ProjectOut
from skyorder.services import queries, tenants
from skyorder.services.products import list_products

router = APIRouter(prefix="/v1", tags=["account"])


@router.get("/products", response_model=list[ProductOut])
def products(runtime: RuntimeDep, principal: PrincipalDep) -> list[ProductOut]:
    """List the products (SKUs) on offer, each with its order parameters as JSON Schema."""
    with runtime.uow(readonly=True) as uow:
        return [ProductOut.of(p) for p in list_products(uow)]


@router.get("/contracts", response_model=list[ContractOut])
def contracts(runtime: RuntimeDep, principal: PrincipalDep) -> list[ContractOut]:
    """List your organisation's contracts (or only the one chosen with ``X-Contract-Id``)."""
    with runtime.uow(readonly=True) as uow:
        return [ContractOut.of(c) for c in uow.tenants.list_contracts(principal)]


@router.get("/contracts/{contract_id}", response_model=ContractOut)
def contract(contract_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> ContractOut:
    """Get one of your contracts."""
    with runtime.uow(readonly=True) as uow:
        found = uow.tenants.get_contract(principal, contract_id)
    if found is None:
        raise NotFound(f"contract {contract_id} not found")
    return ContractOut.of(found)


@router.post("/projects", response_model=ProjectOut, status_code=201)
def create_project(body: ProjectCreate, runtime: RuntimeDep, principal: PrincipalDep) -> ProjectOut:
    """Create a project to group orders."""
    with runtime.uow() as uow:
        project = tenants.create_project(uow, runtime.clock, principal, body.name, body.description)
        uow.commit()
    return ProjectOut.of(project)


@router.get("/projects", response_model=list[ProjectOut])
def projects(runtime: RuntimeDep, principal: PrincipalDep) -> list[ProjectOut]:
    """List your organisation's projects."""
    with runtime.uow(readonly=True) as uow:
        return [ProjectOut.of(p) for p in uow.tenants.list_projects(principal)]


@router.get("/projects/{project_id}", response_model=ProjectOut)
def project(project_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> ProjectOut:
    """Get one project."""
    with runtime.uow(readonly=True) as uow:
        found = uow.tenants.get_project(principal, project_id)
    if found is None:
        raise NotFound(f"project {project_id} not found")
    return ProjectOut.of(found)


@router.get(
    "/events", response_model=Page[EventOut], openapi_extra=openapi_filters(queries.EVENT_FILTERS)
)
def events(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Page[EventOut]:
    """The event log, oldest first: filter by ``type``, ``entity``, ``entity_id``, ``order_id``,
    ``timestamp__gt`` (poll for what is new since your last event)."""
    query = list_query(request, queries.EVENT_FILTERS)
    with runtime.uow(readonly=True) as uow:
        return page(request, queries.list_events(uow, principal, query), EventOut.from_event)
