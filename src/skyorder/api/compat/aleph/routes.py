"""The Aleph Orders API v2 routes: orders, captures and deliverables, read-only.

Each path is served with and without the trailing slash the documents use. Callers
send ``authorizationToken: Bearer <token>`` (or ``Authorization``) and choose a
contract with ``X-Satellogic-Contract-Id: cont.<uuid>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import APIRouter, Depends, Request, Response

from skyorder.api.compat.aleph import render
from skyorder.api.compat.aleph.wire import (
    CAPTURE_FILTERS,
    DELIVERABLE_FILTERS,
    ORDER_FILTERS,
    contract_ref,
    list_query,
    page_links,
    parse_id,
)
from skyorder.api.deps import Callers, FacadeDep
from skyorder.api.paging import openapi_filters
from skyorder.core.captures import Capture
from skyorder.core.listing import PageResult
from skyorder.core.tenants import Principal

CALLERS = Callers(
    authorization_headers=("authorizationtoken", "authorization"),
    key_headers=(),
    contract_header="x-satellogic-contract-id",
    contract_ref=contract_ref,
)
"""Aleph's callers: a bearer token in ``authorizationToken`` or ``Authorization``."""

AlephPrincipal = Annotated[Principal, Depends(CALLERS.dependency())]

router = APIRouter(prefix="/v2", tags=["Aleph Orders API v2"])

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _get(path: str, **extra: Any) -> Callable[[F], F]:
    """Serve ``path`` with and without its trailing slash (the slashed form documented)."""

    other = path.rstrip("/") if path.endswith("/") else path + "/"

    def register(handler: F) -> F:
        router.get(path, **extra)(handler)
        router.get(other, include_in_schema=False)(handler)
        return handler

    return register


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def _collection(request: Request, result: PageResult[T], feature: Callable[[T], Any]) -> Response:
    nxt, prev = page_links(request, result)
    features = [feature(i) for i in result.items]
    return _json(
        {
            "type": "FeatureCollection",
            "count": result.count,
            "next": nxt,
            "previous": prev,
            "features": features,
        }
    )


@_get("/orders/", openapi_extra=openapi_filters(ORDER_FILTERS))
def list_orders(request: Request, facade: FacadeDep, principal: AlephPrincipal) -> Response:
    """All orders of your contract, newest first, as a GeoJSON FeatureCollection.

    Filters: ``status``, ``order_name``, ``task_id``, ``product``, ``created_at`` and
    ``updated_at`` with ``__gt``, ``__gte``, ``__lt``, ``__lte`` (values may be quoted);
    paging with ``offset`` and ``limit`` (25 by default).
    """
    named = facade.orders.list_named(principal, list_query(request, ORDER_FILTERS))
    return _collection(request, named.value, lambda o: render.order_feature(o, named.names))


@_get("/orders/{order_id}")
def get_order(order_id: str, facade: FacadeDep, principal: AlephPrincipal) -> Response:
    """One order by its number (``000077``) or the task id of its tasking item."""
    named = facade.orders.get_named(principal, order_id)
    return _json(render.order_feature(named.value, named.names))


@_get("/orders/{order_id}/captures/", openapi_extra=openapi_filters(CAPTURE_FILTERS))
def order_captures(
    order_id: str, request: Request, facade: FacadeDep, principal: AlephPrincipal
) -> Response:
    """The capture attempts of one tasking order, latest first."""
    query = list_query(request, CAPTURE_FILTERS)
    return _collection(
        request, facade.captures.list(principal, query, order_id), render.capture_feature
    )


@_get("/captures/", openapi_extra=openapi_filters(CAPTURE_FILTERS))
def list_captures(request: Request, facade: FacadeDep, principal: AlephPrincipal) -> Response:
    """Capture attempts, latest first: ``status``, ``satellite``, ``order``, and ``start``,
    ``end``, ``created_at``, ``updated_at`` with ``__gt``/``__gte``/``__lt``/``__lte``
    (a date alone means its midnight, UTC).
    """
    query = list_query(request, CAPTURE_FILTERS)
    result: PageResult[Capture] = facade.captures.list(principal, query)
    return _collection(request, result, render.capture_feature)


@_get("/captures/{capture_id}")
def get_capture(capture_id: str, facade: FacadeDep, principal: AlephPrincipal) -> Response:
    """One capture attempt."""
    return _json(render.capture_feature(facade.captures.get(principal, capture_id)))


@_get("/deliverables/", openapi_extra=openapi_filters(DELIVERABLE_FILTERS))
def list_deliverables(request: Request, facade: FacadeDep, principal: AlephPrincipal) -> Response:
    """Deliverables, newest first, as ``{count, next, previous, results}``.

    Filters: ``order`` (order number), ``status`` (any case), ``processing_level``,
    ``activity_outcome_id`` (capture id), and ``created_at``, ``updated_at``,
    ``delivered_at`` with ``__gt``/``__gte``/``__lt``/``__lte``. Asset links download
    without a token until they expire.
    """
    named = facade.deliverables.list_named(principal, list_query(request, DELIVERABLE_FILTERS))
    base = facade.base_url
    nxt, prev = page_links(request, named.value)
    results = [
        render.deliverable_json(d, named.names, base, named.links) for d in named.value.items
    ]
    return _json({"count": named.value.count, "next": nxt, "previous": prev, "results": results})


@_get("/deliverables/{deliverable_id}")
def get_deliverable(deliverable_id: str, facade: FacadeDep, principal: AlephPrincipal) -> Response:
    """One deliverable (``deliv.<uuid>``)."""
    named = facade.deliverables.get_named(principal, parse_id("deliverable", deliverable_id))
    return _json(render.deliverable_json(named.value, named.names, facade.base_url, named.links))
