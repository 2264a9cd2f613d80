"""``GET /v0/order-items`` and ``GET /v0/order-items/{id}``: Pixxel's order items.

Filters (all optional, combined with AND; plural ones take comma lists):

| parameter          | meaning                                                        |
|--------------------|----------------------------------------------------------------|
| `user_id`          | created by these users (user ids)                              |
| `type`             | `TASKING`, `ARCHIVE`, `RECURRING`                              |
| `status`           | `DRAFT`, `ACTIVE`, `COMPLETED`, `CANCELLED`, `FAILED`,         |
|                    | `PARTIALLY_COMPLETED`                                          |
| `order_ids`        | items of these orders                                          |
| `created_by`       | created by these users, API clients or e-mail addresses        |
| `created_at_range` | `from,to` (RFC 3339 or dates; either side may be empty)        |
| `project_ids`      | items of orders in these projects                              |
| `ids`              | these items                                                    |
| `area_range`       | `min,max` in km² (either side may be empty)                    |
| `limit`, `offset`  | the page: 1-100 items (default 10) from `offset` (default 0)   |
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request

from skyorder.api.compat.pixxel.render import STATUS_FILTER, item_out
from skyorder.api.compat.pixxel.wire import OrderItemOut, OrderItemsOut, PaginationOut
from skyorder.api.deps import Callers, FacadeDep
from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.item_listing import (
    ItemQuery,
    ItemType,
    parse_number_range,
    parse_page,
    parse_time_range,
)
from skyorder.core.orders import ItemStatus
from skyorder.core.tenants import Principal

CALLERS = Callers(
    authorization_headers=("authorization",), key_headers=(), contract_header="x-contract-id"
)
"""Pixxel's callers send their API key as ``Authorization: <api-key>`` (no scheme)."""

Caller = Annotated[Principal, Depends(CALLERS.dependency())]

T = TypeVar("T")

router = APIRouter(prefix="/v0/order-items", tags=["pixxel"])

FILTERS = (
    "user_id",
    "type",
    "status",
    "order_ids",
    "created_by",
    "created_at_range",
    "project_ids",
    "ids",
    "area_range",
    "limit",
    "offset",
)


def _values(raw: str, name: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    if not values:
        raise ValidationFailed.on(name, "must not be empty")
    return values


def _choices(raw: str, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = tuple(v.upper() for v in _values(raw, name))
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationFailed.on(
            name, f"unknown value {bad[0]!r}; use one of {', '.join(allowed)}"
        )
    return values


def parse_filters(params: Mapping[str, str]) -> ItemQuery:
    """The query parameters as an item query; every bad one is named in one 400."""
    errors = [
        FieldError(name, f"unknown filter; order items filter by {', '.join(FILTERS)}")
        for name in params
        if name not in FILTERS
    ]

    def read(name: str, parse: Callable[[str], T], default: T) -> T:
        if name not in params:
            return default
        try:
            return parse(params[name])
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            return default

    no_times: tuple[datetime | None, datetime | None] = (None, None)
    no_area: tuple[float | None, float | None] = (None, None)
    no_types: tuple[ItemType, ...] = ()
    created = read(
        "created_at_range", lambda raw: parse_time_range(raw, "created_at_range"), no_times
    )
    area = read("area_range", lambda raw: parse_number_range(raw, "area_range"), no_area)
    statuses = read(
        "status", lambda raw: _statuses(_choices(raw, "status", tuple(STATUS_FILTER))), None
    )
    types = read(
        "type",
        lambda raw: tuple(ItemType(v) for v in _choices(raw, "type", tuple(ItemType))),
        no_types,
    )
    query = ItemQuery(
        ids=read("ids", lambda raw: _values(raw, "ids"), ()),
        order_ids=read("order_ids", lambda raw: _values(raw, "order_ids"), ()),
        project_ids=read("project_ids", lambda raw: _values(raw, "project_ids"), ()),
        user_ids=read("user_id", lambda raw: _values(raw, "user_id"), ()),
        created_by=read("created_by", lambda raw: _values(raw, "created_by"), ()),
        types=types,
        statuses=statuses,
        created_after=created[0],
        created_before=created[1],
        area_min=area[0],
        area_max=area[1],
    )
    try:
        limit, offset = parse_page(params.get("limit"), params.get("offset"))
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        limit, offset = query.limit, query.offset
    if errors:
        raise ValidationFailed.of(errors)
    return replace(query, limit=limit, offset=offset)


def _statuses(wire: tuple[str, ...]) -> tuple[ItemStatus, ...]:
    return tuple(dict.fromkeys(s for w in wire for s in STATUS_FILTER[w]))


@router.get("", response_model=OrderItemsOut, summary="List all orderItems")
def list_order_items(
    request: Request,
    facade: FacadeDep,
    principal: Caller,
    user_id: Annotated[str | None, Query(description="user ids, comma-separated")] = None,
    type: Annotated[  # noqa: A002 - the documented name
        str | None, Query(description="TASKING, ARCHIVE, RECURRING (comma-separated)")
    ] = None,
    status: Annotated[
        str | None,
        Query(
            description="DRAFT, ACTIVE, COMPLETED, CANCELLED, FAILED, PARTIALLY_COMPLETED "
            "(comma-separated)"
        ),
    ] = None,
    order_ids: Annotated[str | None, Query(description="order ids, comma-separated")] = None,
    created_by: Annotated[
        str | None, Query(description="user ids, API client ids or e-mails, comma-separated")
    ] = None,
    created_at_range: Annotated[
        str | None, Query(description="from,to: RFC 3339 times or dates; either may be empty")
    ] = None,
    project_ids: Annotated[str | None, Query(description="project ids, comma-separated")] = None,
    ids: Annotated[str | None, Query(description="order item ids, comma-separated")] = None,
    area_range: Annotated[
        str | None, Query(description="min,max in km²; either may be empty")
    ] = None,
    limit: Annotated[str | None, Query(description="1-100 items, default 10")] = None,
    offset: Annotated[str | None, Query(description="items to skip, default 0")] = None,
) -> OrderItemsOut:
    """List of all order-items in the organization, the response is paginated.

    Newest first. Items placed through any of the server's APIs are listed; fields that do
    not apply to an item say `NOT_APPLICABLE` where the document lists that value, and are
    null or empty otherwise. An unknown filter or a bad range answers 400.
    """
    query = parse_filters(request.query_params)
    page = facade.order_items.list(principal, query)
    return OrderItemsOut(
        order_items=[item_out(r) for r in page.items],
        pagination=PaginationOut(limit=page.limit, offset=page.offset, total=page.count),
    )


@router.get("/{order_item_id}", response_model=OrderItemOut, summary="Get an orderItem")
def get_order_item(order_item_id: str, facade: FacadeDep, principal: Caller) -> OrderItemOut:
    """One order item with its tasks (404 for an unknown id or another organisation's)."""
    return item_out(facade.order_items.get(principal, order_item_id))
