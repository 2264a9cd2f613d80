"""Query-parameter parsing and page links for list endpoints."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

import orjson
from fastapi import Request, Response
from pydantic import BaseModel

from skyorder.core.listing import FieldSpec, FieldType, ListQuery, Op, PageResult, parse_list_query
from skyorder.schemas.common import Page

T = TypeVar("T")
R = TypeVar("R")


def query_params(request: Request) -> dict[str, str]:
    """Query parameters, repeated ones joined with commas (``status=a&status=b``)."""
    out: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        out[key] = f"{out[key]},{value}" if key in out else value
    return out


def list_query(
    request: Request, fields: Mapping[str, FieldSpec], *, spatial: bool = False
) -> ListQuery:
    """Parse a list request's filters and paging, refusing unknown ones."""
    return parse_list_query(query_params(request), fields, spatial=spatial)


def _link(request: Request, offset: int, limit: int) -> str:
    params = query_params(request)
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    return f"{request.url.path}?{urlencode(params)}"


def neighbour_links(
    result: PageResult[T], link: Callable[[int, int], str]
) -> tuple[str | None, str | None]:
    """``next`` and ``previous`` of a page, each made by ``link(offset, limit)`` (or None)."""
    nxt = link(result.offset + result.limit, result.limit) if result.has_next else None
    prev = link(max(0, result.offset - result.limit), result.limit) if result.offset > 0 else None
    return nxt, prev


def _next_and_previous(request: Request, result: PageResult[T]) -> tuple[str | None, str | None]:
    return neighbour_links(result, lambda offset, limit: _link(request, offset, limit))


def page(request: Request, result: PageResult[T], render: Callable[[T], R]) -> Page[R]:
    """A page with ``next`` / ``previous`` links that keep the request's filters."""
    results = [render(i) for i in result.items]  # first: the count may still be running
    nxt, prev = _next_and_previous(request, result)
    return Page[R](count=result.count, next=nxt, previous=prev, results=results)


JSON_OPTIONS = orjson.OPT_UTC_Z
"""orjson writes UTC datetimes with "Z", as pydantic does."""


def page_json(
    request: Request, result: PageResult[T], render: Callable[[T], dict[str, Any]]
) -> Response:
    """A page rendered straight to JSON: ``render`` gives each result's JSON-ready dict.

    The same body as ``json_body(page(...))`` with the results' models, without building
    and validating a model per result (long lists).
    """
    results = [render(i) for i in result.items]  # first: the count may still be running
    nxt, prev = _next_and_previous(request, result)
    body = {"count": result.count, "next": nxt, "previous": prev, "results": results}
    return Response(orjson.dumps(body, option=JSON_OPTIONS), media_type="application/json")


def rendered_body(data: dict[str, Any], status_code: int = 200) -> Response:
    """A JSON-ready dict (e.g. ``order_json``) as a response, with no model built for it."""
    return Response(
        orjson.dumps(data, option=JSON_OPTIONS), status_code=status_code,
        media_type="application/json",
    )  # fmt: skip


def json_body(model: BaseModel, status_code: int = 200) -> Response:
    """Serialise a response model once, in pydantic's core (FastAPI would validate it again)."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


def openapi_filters(fields: Mapping[str, FieldSpec], *, spatial: bool = False) -> dict[str, Any]:
    """Document a list's filters in OpenAPI (they are parsed from the raw query)."""
    params: list[dict[str, Any]] = [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 25},
        },
        {
            "name": "offset",
            "in": "query",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
    ]
    if spatial:
        params.append(
            {
                "name": "bbox",
                "in": "query",
                "description": "west,south,east,north",
                "schema": {"type": "string"},
            }
        )
    for name, spec in fields.items():
        fmt = (
            {"type": "string", "format": "date-time"}
            if spec.type is FieldType.TIME
            else {"type": "string"}
        )
        if spec.choices:
            fmt["description"] = "comma list of: " + ", ".join(spec.choices)
        for op in sorted(spec.ops):
            if op is Op.IN:
                continue
            params.append(
                {
                    "name": name if op is Op.EQ else f"{name}__{op.value}",
                    "in": "query",
                    "schema": fmt,
                }
            )
    return {"parameters": params}
