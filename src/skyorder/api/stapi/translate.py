"""STAPI wire format ⇄ the core: requests into native order and search requests, and
native orders, statuses and access windows into STAPI documents.

Front ends only translate: everything decided here is a mapping of names and shapes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from skyorder.core.catalog import format_datetime
from skyorder.core.errors import ValidationFailed
from skyorder.core.events import Event
from skyorder.core.orders import Order, OrderItem, OrderStatus
from skyorder.core.products import ItemKind, Product

STAPI_VERSION = "0.1.0"
CONFORMANCE = [
    "https://stapi.example.com/v0.1.0/core",
    "https://stapi.example.com/v0.1.0/order-statuses",
    "https://stapi.example.com/v0.1.0/opportunities",
    "https://stapi.example.com/v0.1.0/searches-opportunity",
]

# The one place native order statuses become STAPI status codes.
STATUS_CODE = {
    OrderStatus.DRAFT: "received",
    OrderStatus.PENDING_PAYMENT: "received",
    OrderStatus.ACCEPTED: "accepted",
    OrderStatus.IN_PROGRESS: "tasked",
    OrderStatus.COMPLETED: "completed",
    OrderStatus.PARTIALLY_COMPLETED: "completed",
    OrderStatus.FAILED: "failed",
    OrderStatus.CANCELLED: "cancelled",
    OrderStatus.REJECTED: "rejected",
}
EVENT_STATUS = {
    "OrderCreated": "received",
    "OrderAccepted": "accepted",
    "OrderInProgress": "tasked",
    "OrderCompleted": "completed",
    "OrderPartiallyCompleted": "completed",
    "OrderFailed": "failed",
    "OrderCancelled": "cancelled",
    "OrderRejected": "rejected",
}
QUERYABLE = {"view:off_nadir": "max_off_nadir", "eo:cloud_cover": "max_cloud_cover"}


def interval(value: Any, field: str) -> tuple[datetime, datetime]:
    """Parse STAPI's ``start/end`` interval."""
    if not isinstance(value, str) or "/" not in value:
        raise ValidationFailed.on(field, "must be an interval 'start/end' in RFC 3339")
    start_text, _, end_text = value.partition("/")
    try:
        start = datetime.fromisoformat(start_text.replace("Z", "+00:00"))
        end = datetime.fromisoformat(end_text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed.on(field, "must be an interval 'start/end' in RFC 3339") from None
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationFailed.on(field, "both ends need a time zone, e.g. 2026-01-01T00:00:00Z")
    if end <= start:
        raise ValidationFailed.on(field, "the end must come after the start")
    return start, end


def constraints(cql2: Any) -> dict[str, float]:
    """``view:off_nadir`` / ``eo:cloud_cover`` upper bounds from a CQL2 JSON filter."""
    if cql2 is None:
        return {}
    if not isinstance(cql2, dict):
        raise ValidationFailed.on("filter", "must be a CQL2 JSON object")
    op = cql2.get("op")
    args = cql2.get("args")
    if op == "and" and isinstance(args, list):
        out: dict[str, float] = {}
        for arg in args:
            out.update(constraints(arg))
        return out
    if op in ("<=", "<") and isinstance(args, list) and len(args) == 2:
        prop, value = args
        name = prop.get("property") if isinstance(prop, dict) else None
        if name in QUERYABLE and isinstance(value, int | float) and not isinstance(value, bool):
            return {QUERYABLE[name]: float(value)}
    raise ValidationFailed.on(
        "filter",
        "only upper bounds on the queryables are understood, e.g. "
        '{"op": "<=", "args": [{"property": "view:off_nadir"}, 30]}, combined with "and"',
    )


def tasking_item(product_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A native tasking item (as ``POST /v1/orders`` takes it) from a STAPI order payload."""
    start, end = interval(body.get("datetime"), "datetime")
    params = body.get("order_parameters") or {}
    if not isinstance(params, dict):
        raise ValidationFailed.on("order_parameters", "must be an object")
    item: dict[str, Any] = {
        "kind": "tasking",
        "product": product_id,
        "aoi": body.get("geometry"),
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        **constraints(body.get("filter")),
    }
    for key in ("priority", "revisit_period", "recurrence", "processing_levels", "options"):
        if key in params:
            item[key] = params[key]
    unknown = sorted(set(params) - {"priority", "revisit_period", "recurrence",
                                    "processing_levels", "options", "name"})  # fmt: skip
    if unknown:
        raise ValidationFailed.on(
            f"order_parameters.{unknown[0]}",
            "unknown parameter; see the product's order-parameters",
        )
    return item


def product_json(product: Product, base: str) -> dict[str, Any]:
    """A tasking product as a STAPI Product."""
    href = f"{base}/stapi/products/{product.sku}"
    return {
        "type": "Collection",
        "stapi_type": "Product",
        "stapi_version": STAPI_VERSION,
        "conformsTo": CONFORMANCE,
        "id": product.sku,
        "title": product.name,
        "description": product.description,
        "keywords": ["tasking", product.sensor or "optical"],
        "license": "proprietary",
        "providers": [
            {"name": "skyorder", "roles": ["producer", "processor", "host"], "url": base}
        ],
        "links": [
            {"href": href, "rel": "self", "type": "application/json"},
            {"href": f"{href}/queryables", "rel": "queryables", "type": "application/json"},
            {
                "href": f"{href}/order-parameters",
                "rel": "order-parameters",
                "type": "application/json",
            },
            {
                "href": f"{href}/orders",
                "rel": "create-order",
                "type": "application/json",
                "method": "POST",
            },
            {
                "href": f"{href}/opportunities",
                "rel": "opportunities",
                "type": "application/geo+json",
                "method": "POST",
            },
        ],  # fmt: skip
    }


def queryables(product: Product) -> dict[str, Any]:
    """The product's queryables as JSON Schema."""
    limit = product.max_off_nadir or 45.0
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": f"{product.name} queryables",
        "properties": {
            "view:off_nadir": {"type": "number", "minimum": 0, "maximum": limit},
            "eo:cloud_cover": {"type": "number", "minimum": 0, "maximum": 100},
        },
    }


def order_parameters(product: Product) -> dict[str, Any]:
    """The product's order parameters as JSON Schema."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": f"{product.name} order parameters",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "maxLength": 200},
            "priority": {"type": "string", "enum": ["standard", "rush"], "default": "standard"},
            "revisit_period": {"type": "string", "description": "ISO 8601 duration, e.g. P1D"},
            "recurrence": {
                "type": "object",
                "properties": {
                    "kind": {
                        "enum": ["ONCE", "WEEKLY", "BIWEEKLY", "MONTHLY", "BIMONTHLY", "QUARTERLY"]
                    },
                    "occurrences": {"type": "integer", "minimum": 1},
                },
            },  # fmt: skip
            "processing_levels": {
                "type": "array",
                "items": {"enum": list(product.processing_levels)},
            },
            "options": dict(product.parameters),
        },
    }


def _item(order: Order) -> OrderItem | None:
    return next((i for i in order.items if i.kind is ItemKind.TASKING), None)


def status_json(code: str, at: datetime, reason: str | None = None) -> dict[str, Any]:
    """One STAPI order status."""
    out: dict[str, Any] = {"timestamp": format_datetime(at), "status_code": code, "links": []}
    if reason:
        out["reason_text"] = reason
    return out


def order_json(order: Order, base: str) -> dict[str, Any]:
    """A native order (with a tasking item) as a STAPI Order."""
    item = _item(order)
    assert item is not None and item.tasking is not None
    spec = item.tasking
    filt: list[dict[str, Any]] = []
    for name, value in (("view:off_nadir", spec.max_off_nadir),
                        ("eo:cloud_cover", spec.max_cloud_cover)):  # fmt: skip
        if value is not None:
            filt.append({"op": "<=", "args": [{"property": name}, value]})
    href = f"{base}/stapi/orders/{order.id}"
    window = f"{format_datetime(spec.window_start)}/{format_datetime(spec.window_end)}"
    return {
        "id": order.id,
        "type": "Feature",
        "stapi_type": "Order",
        "stapi_version": STAPI_VERSION,
        "geometry": item.aoi,
        "properties": {
            "product_id": item.product,
            "created": format_datetime(order.created_at),
            "status": status_json(STATUS_CODE[order.status], order.updated_at),
            "search_parameters": {
                "datetime": window,
                "geometry": item.aoi,
                **({"filter": {"op": "and", "args": filt}} if filt else {}),
            },
            "opportunity_properties": {"datetime": window, "product_id": item.product},
            "order_parameters": {
                "priority": spec.priority.value,
                "processing_levels": list(spec.processing_levels),
                **({"revisit_period": spec.revisit_period} if spec.revisit_period else {}),
            },
            "order_number": order.number,
            "native": f"{base}/v1/orders/{order.id}",
        },
        "links": [
            {"href": href, "rel": "self", "type": "application/geo+json"},
            {"href": f"{href}/statuses", "rel": "monitor", "type": "application/json"},
        ],
    }


def statuses_json(events: list[Event]) -> list[dict[str, Any]]:
    """The order's status history from its events (newest first, as STAPI lists them)."""
    out = [
        status_json(EVENT_STATUS[e.type], e.timestamp, e.details.get("reason"))
        for e in events
        if e.type in EVENT_STATUS
    ]
    return list(reversed(out))


def is_stapi_order(order: Order) -> bool:
    """Whether the order has a tasking item (what STAPI can show)."""
    return _item(order) is not None
