"""Orders: place, list, read, cancel, follow."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.api.paging import list_query, openapi_filters, page
from skyorder.core.errors import FeatureUnavailable, ValidationFailed
from skyorder.schemas.common import EventOut, Page
from skyorder.schemas.orders import OrderCreate, OrderOut
from skyorder.services import orders as service
from skyorder.services.queries import EVENT_FILTERS, ORDER_FILTERS, list_events

router = APIRouter(prefix="/v1/orders", tags=["orders"])


@router.post("", status_code=201, response_model=OrderOut)
def place_order(
    body: OrderCreate,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> OrderOut:
    """Place an order of archive and/or tasking items.

    Every item is validated (AOI geometry, window, constraints, the product's
    parameters schema) before anything is written. Send an ``Idempotency-Key``
    header to make retries safe: a retry with the same body answers with the
    order the first request created; the same key with another body is 409.
    """
    if body.quote_id is not None:
        raise FeatureUnavailable(
            "quotes are not available on this server yet; place the order without quote_id"
        )
    idem = None
    if idempotency_key is not None:
        if not idempotency_key.strip():
            raise ValidationFailed.on("Idempotency-Key", "must not be empty")
        canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True)
        idem = service.IdempotencyKey(
            idempotency_key, hashlib.sha256(canonical.encode()).hexdigest()
        )
    placed = service.place_order(
        runtime.uow,
        runtime.clock,
        principal,
        body.to_request(),
        idempotency=idem,
        max_vertices=runtime.settings.max_aoi_vertices,
    )
    if placed.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/v1/orders/{placed.order.id}"
    return OrderOut.of(placed.order)


@router.get(
    "", response_model=Page[OrderOut], openapi_extra=openapi_filters(ORDER_FILTERS, spatial=True)
)
def list_orders(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Page[OrderOut]:
    """List your orders, newest first.

    Filters: ``status`` (comma list), ``kind``, ``product``, ``project_id``,
    ``name`` / ``name__contains``, ``created_at`` and ``updated_at`` with
    ``__gt``, ``__gte``, ``__lt``, ``__lte``, and ``bbox`` (items' AOIs).
    """
    query = list_query(request, ORDER_FILTERS, spatial=True)
    with runtime.uow(readonly=True) as uow:
        return page(request, uow.orders.list(principal, query), OrderOut.of)


@router.get("/{order_ref}", response_model=OrderOut)
def get_order(order_ref: str, runtime: RuntimeDep, principal: PrincipalDep) -> OrderOut:
    """Get one order by its id or its order number (e.g. ``000077``)."""
    with runtime.uow(readonly=True) as uow:
        return OrderOut.of(service.get_order(uow, principal, order_ref))


@router.post("/{order_ref}/cancel", response_model=OrderOut)
def cancel_order(order_ref: str, runtime: RuntimeDep, principal: PrincipalDep) -> OrderOut:
    """Cancel an order and its open items; an order already final answers 409."""
    return OrderOut.of(service.cancel_order(runtime.uow, runtime.clock, principal, order_ref))


@router.get(
    "/{order_ref}/events",
    response_model=Page[EventOut],
    openapi_extra=openapi_filters(EVENT_FILTERS),
)
def order_events(
    order_ref: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Page[EventOut]:
    """Every event of an order, its items, captures and deliverables, in the order they happened."""
    query = list_query(request, EVENT_FILTERS)
    with runtime.uow(readonly=True) as uow:
        return page(request, list_events(uow, principal, query, order_ref), EventOut.from_event)
