"""Products, contracts, projects, API clients and the event log."""

from __future__ import annotations

from fastapi import APIRouter, Request

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.api.paging import list_query, openapi_filters, page
from skyorder.core.errors import NotFound
from skyorder.core.tenants import Principal
from skyorder.runtime import Runtime
from skyorder.schemas.common import EventOut, Page
from skyorder.schemas.tenants import (
    ApiClientOut,
    ApiKeyOut,
    ClientSecretOut,
    ContractOut,
    ProductOut,
    ProjectCreate,
    ProjectOut,
)
from skyorder.services import api_clients, queries, tenants
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


@router.get("/clients", response_model=list[ApiClientOut])
def clients(runtime: RuntimeDep, principal: PrincipalDep) -> list[ApiClientOut]:
    """List your organisation's API clients: id, name, roles, disabled (admin role)."""
    with runtime.uow(readonly=True) as uow:
        return [ApiClientOut.of(c) for c in api_clients.list_clients(uow, principal)]


def _set_disabled(
    runtime: Runtime, principal: Principal, client_id: str, disabled: bool
) -> ApiClientOut:
    with runtime.uow() as uow:
        changed = api_clients.set_disabled(uow, principal, client_id, disabled)
        uow.commit()
    runtime.principals.forget(client_id)
    return ApiClientOut.of(changed)


@router.post("/clients/{client_id}/disable", response_model=ApiClientOut)
def disable_client(client_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> ApiClientOut:
    """Disable one of your organisation's API clients (admin role).

    Within a second its API key and access tokens are refused with 401, and it can
    get no new token, until it is enabled again. You cannot disable the client you
    call with.
    """
    return _set_disabled(runtime, principal, client_id, True)


@router.post("/clients/{client_id}/enable", response_model=ApiClientOut)
def enable_client(client_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> ApiClientOut:
    """Enable a disabled API client again (admin role); its credentials work again."""
    return _set_disabled(runtime, principal, client_id, False)


@router.post("/clients/{client_id}/rotate-key", response_model=ApiKeyOut)
def rotate_key(client_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> ApiKeyOut:
    """Give an API client a new API key, shown only in this answer (admin role).

    The previous key stops working within a second.
    """
    with runtime.uow() as uow:
        rotated = api_clients.rotate_api_key(uow, principal, client_id)
        uow.commit()
    runtime.principals.forget(client_id)
    return ApiKeyOut(client_id=client_id, api_key=rotated.value)


@router.post("/clients/{client_id}/rotate-secret", response_model=ClientSecretOut)
def rotate_secret(client_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> ClientSecretOut:
    """Give an API client a new client secret, shown only in this answer (admin role).

    The previous secret gets no more tokens, and the access tokens issued with it
    stop working within a second: request a new token with the new secret.
    """
    with runtime.uow() as uow:
        rotated = api_clients.rotate_secret(uow, principal, client_id)
        uow.commit()
    runtime.principals.forget(client_id)
    return ClientSecretOut(client_id=client_id, client_secret=rotated.value)


@router.get(
    "/events", response_model=Page[EventOut], openapi_extra=openapi_filters(queries.EVENT_FILTERS)
)
def events(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Page[EventOut]:
    """The event log, oldest first: filter by ``type``, ``entity``, ``entity_id``, ``order_id``,
    ``timestamp__gt`` (poll for what is new since your last event)."""
    query = list_query(request, queries.EVENT_FILTERS)
    with runtime.uow(readonly=True) as uow:
        return page(request, queries.list_events(uow, principal, query), EventOut.from_event)
