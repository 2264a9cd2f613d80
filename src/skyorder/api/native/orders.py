"""Orders: place, list, read, cancel, follow."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.api.paging import list_query, openapi_filters, page, page_json
from skyorder.core.errors import ValidationFailed
from skyorder.schemas.common import EventOut, Page
from skyorder.schemas.orders import OrderCreate, OrderOut, order_json
from skyorder.services import orders as service
from skyorder.services.queries import EVENT_FILTERS, ORDER_FILTERS, list_events

router = APIRouter(prefix="/v1/orders", tags=["orders"])


def item_json(body: OrderCreate) -> list[dict[str, Any]]:
    """The items as sent, in a canonical form (compared with a quote's)."""
    return [item.model_dump(mode="json") for item in body.items]


@router.post(
    "",
    status_code=201,
    response_model=OrderOut,
    responses={200: {"description": "dry run: what would be charged"}, 402: {}},
)
def place_order(
    body: OrderCreate,
    response: Response,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> OrderOut:
    """Place an order of archive and/or tasking items.

    Every item is validated (AOI geometry, window, constraints, the product's
    parameters schema) and priced before anything is written. A balance
    contract pays at once (402 when the balance cannot cover the price, and
    nothing is created); a pay-per-order contract answers ``checkout_url``.
    ``quote_id`` charges exactly the quoted total; ``dry_run: true`` answers 200
    with what would be charged and keeps nothing. Send an ``Idempotency-Key``
    header to make retries safe: a retry with the same body answers with the
    order the first request created; the same key with another body is 409.
    """
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
        runtime.archive,
        principal,
        body.to_request(),
        service.Placement(
            items_json=item_json(body),
            quote_id=body.quote_id,
            idempotency=idem,
            dry_run=body.dry_run,
            base_url=runtime.settings.base_url(),
            max_vertices=runtime.settings.max_aoi_vertices,
            outbound=runtime.outbound,
        ),
    )
    if placed.dry_run:
        response.status_code = 200
    else:
        response.headers["Location"] = f"/v1/orders/{placed.order.id}"
    if placed.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return OrderOut.of(placed.order, placed.checkout_url, placed.dry_run)


@router.get(
    "", response_model=Page[OrderOut], openapi_extra=openapi_filters(ORDER_FILTERS, spatial=True)
)
def list_orders(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """List your orders, newest first.

    Filters: ``status`` (comma list), ``kind``, ``product``, ``project_id``,
    ``name`` / ``name__contains``, ``created_at`` and ``updated_at`` with
    ``__gt``, ``__gte``, ``__lt``, ``__lte``, and ``bbox`` (items' AOIs).
    """
    query = list_query(request, ORDER_FILTERS, spatial=True)
    with runtime.uow(readonly=True, autocommit=True) as uow:
        result = uow.orders.list(principal, query)
    return page_json(request, result, order_json)


@router.get("/{order_ref}", response_model=OrderOut)
def get_order(order_ref: str, runtime: RuntimeDep, principal: PrincipalDep) -> OrderOut:
    """Get one order by its id or its order number (e.g. ``000077``)."""
    with runtime.uow(readonly=True) as uow:
        order = service.get_order(uow, principal, order_ref)
        url = service.pending_checkout_url(uow, order, runtime.settings.base_url())
        return OrderOut.of(order, url)


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
