"""Aleph's wire conventions: id forms, time forms, list filters and page links.

Contracts are ``cont.<uuid>``, projects ``project.<uuid>``, deliverables
``deliv.<uuid>``; orders are their zero-padded numbers (``000077``). Entity times
are written without a zone (``2025-11-09T17:35:32.971264``, UTC), event times and
tasking windows with ``Z``. Lists page with ``offset``/``limit`` (25 by default) and
link ``next``/``previous`` as ``/v2/orders?offset=25&limit=25``. Filter values may
arrive wrapped in double quotes (``updated_at__gte="2025-08-26T17:29:05Z"``), as the
adoption guide sends them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request

from skyorder.api.paging import neighbour_links
from skyorder.core.listing import (
    TEXT_FILTER,
    FieldSpec,
    ListQuery,
    PageResult,
    parse_list_query,
)
from skyorder.facade import filters as native

T = TypeVar("T")

PREFIXES = {"contract": "cont.", "project": "project.", "deliverable": "deliv."}
"""The prefix of each kind of id Aleph shows with one (orders and captures have none)."""


def render_id(kind: str, value: str) -> str:
    """An entity's id as Aleph shows it (``cont.<uuid>`` for a contract)."""
    return PREFIXES.get(kind, "") + value


def parse_id(kind: str, value: str) -> str:
    """The core's id from Aleph's form (the bare id is accepted too)."""
    text = value.strip()
    prefix = PREFIXES.get(kind, "")
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


def contract_ref(header: str) -> str:
    """The contract id named by ``X-Satellogic-Contract-Id`` (``cont.<uuid>``)."""
    return parse_id("contract", header)


def entity_time(value: datetime | None) -> str | None:
    """An entity's time: UTC without a zone, as Aleph's examples show."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat()


def zulu_time(value: datetime | None) -> str | None:
    """An event's or a window's time: UTC with ``Z``."""
    text = entity_time(value)
    return f"{text}Z" if text is not None else None


ORDER_FILTERS: dict[str, FieldSpec] = {
    "status": native.ORDER_FILTERS["status"],
    "order_name": TEXT_FILTER,
    "task_id": native.ORDER_FILTERS["task_id"],
    "product": native.ORDER_FILTERS["product"],
    "created_at": native.ORDER_FILTERS["created_at"],
    "updated_at": native.ORDER_FILTERS["updated_at"],
}
CAPTURE_FILTERS: dict[str, FieldSpec] = {
    name: native.CAPTURE_FILTERS[name]
    for name in ("status", "satellite", "order", "start", "end", "created_at", "updated_at")
}
DELIVERABLE_FILTERS: dict[str, FieldSpec] = {
    **{
        name: native.DELIVERABLE_FILTERS[name]
        for name in (
            "status",
            "order",
            "processing_level",
            "created_at",
            "updated_at",
            "delivered_at",
        )
    },  # fmt: skip
    "activity_outcome_id": TEXT_FILTER,
}

CORE_NAMES = {"order_name": "name", "activity_outcome_id": "capture_id"}
"""Aleph's filter and field names that the core calls otherwise."""

ALEPH_NAMES = {core: aleph for aleph, core in CORE_NAMES.items()} | {
    "X-Contract-Id": "X-Satellogic-Contract-Id",
    "number": "order_id",
}
"""The core's field names as Aleph calls them (in error messages)."""


def field_name(name: str) -> str:
    """Aleph's name for a core field."""
    return ALEPH_NAMES.get(name, name)


def _unquoted(value: str) -> str:
    text = value.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def params(request: Request) -> dict[str, str]:
    """Query parameters, unquoted; repeated ones joined with commas."""
    out: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        value = _unquoted(value)
        out[key] = f"{out[key]},{value}" if key in out else value
    return out


def list_query(request: Request, fields: Mapping[str, FieldSpec]) -> ListQuery:
    """Parse an Aleph list request into the core's query (Aleph's names translated)."""
    query = parse_list_query(params(request), fields)
    conditions = tuple(replace(c, field=CORE_NAMES.get(c.field, c.field)) for c in query.conditions)
    return replace(query, conditions=conditions)


def _link(request: Request, offset: int, limit: int) -> str:
    rest = {k: v for k, v in params(request).items() if k not in ("offset", "limit")}
    path = request.url.path.rstrip("/")
    return f"{path}?{urlencode({'offset': offset, 'limit': limit, **rest})}"


def page_links(request: Request, result: PageResult[T]) -> tuple[str | None, str | None]:
    """``next`` and ``previous`` as Aleph writes them (relative, filters kept)."""
    return neighbour_links(result, lambda offset, limit: _link(request, offset, limit))
