"""Catalog search requests: one type for STAC API GET query strings and POST bodies.

Both spellings parse into a ``SearchRequest``: bbox or intersects, a datetime
instant or interval (open ends as ``..``), ids, collections, limit, a paging
token, the Query extension (turned into CQL2 here), a CQL2 filter (text or
JSON, parsed with the ``cql2`` library into its JSON form), sortby and fields.
Every refusal names the parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import cql2
import shapely
from shapely.geometry import shape

from skyorder.core.catalog import QUERYABLES, QueryableType, parse_rfc3339, property_name
from skyorder.core.errors import ValidationFailed
from skyorder.core.geometry import BBox, parse_aoi
from skyorder.core.nesting import check_cql2_text, check_json_nesting, json_nesting

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)
QUERY_OPS = {"eq": "=", "neq": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
TEXT_OPS = ("startsWith", "endsWith", "contains")
CRS84 = (
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "https://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "EPSG:4326",
)


@dataclass(frozen=True)
class SortKey:
    """One sort criterion: a property name (canonical) and a direction."""

    field: str
    descending: bool = False


@dataclass(frozen=True)
class FieldsSpec:
    """The Fields extension's request.

    ``include`` None means "missing" (every field, less ``exclude``); an empty
    tuple means the default field set (``include`` null or empty in the request).
    """

    include: tuple[str, ...] | None
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class SearchRequest:
    """A parsed item search.

    ``filter`` is a CQL2 JSON expression (the Query extension's conditions
    included); ``datetime`` is ``(start, end)`` with None for an open end.
    """

    collections: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    bbox: BBox | None = None
    intersects: dict[str, Any] | None = None
    datetime: tuple[datetime | None, datetime | None] | None = None
    filter: Any = None
    sortby: tuple[SortKey, ...] = ()
    fields: FieldsSpec | None = None
    limit: int = DEFAULT_LIMIT
    token: str | None = None


@dataclass(frozen=True)
class PageToken:
    """Where the next page starts.

    ``values`` and ``key`` are the sort values and row key of the last item seen
    (keyset paging); when a sort value is missing ``values`` is empty and
    ``offset`` (how many items came before) places the page instead.
    """

    values: tuple[Any, ...]
    key: int
    offset: int = 0

    def encode(self) -> str:
        """An opaque URL-safe string."""
        raw = json.dumps([list(self.values), self.key, self.offset], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> PageToken:
        """Read a token made by ``encode``.

        Raises:
            ValidationFailed: naming ``token`` when it was not made by this server.
        """
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            if json_nesting(raw, limit=4) > 4:  # [[sort values], key, offset]
                raise ValueError(token)
            values, key, offset = json.loads(raw)
            if not isinstance(values, list) or not isinstance(key, int):
                raise ValueError(token)
            if not isinstance(offset, int) or offset < 0:
                raise ValueError(token)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise ValidationFailed.on(
                "token", "is not a paging token from this server; follow the 'next' link"
            ) from None
        return cls(tuple(values), key, offset)


def parse_datetime_interval(value: Any, name: str = "datetime") -> tuple[Any, Any]:
    """An RFC 3339 instant, or ``start/end`` with ``..`` or nothing for an open end.

    Returns:
        ``(start, end)``; equal for an instant, None for an open end.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed.on(name, "must be an RFC 3339 date-time or an interval")
    parts = value.strip().split("/")
    if len(parts) == 1:
        instant = parse_rfc3339(parts[0], name)
        return instant, instant
    if len(parts) != 2:
        raise ValidationFailed.on(name, "an interval is 'start/end' with exactly one '/'")
    start, end = (None if p in ("", "..") else parse_rfc3339(p, name) for p in parts)
    if start is None and end is None:
        raise ValidationFailed.on(name, "an interval needs at least one closed end")
    if start is not None and end is not None and end < start:
        raise ValidationFailed.on(name, "the interval ends before it starts")
    return start, end


def _finite_numbers(values: Any, name: str) -> list[float]:
    if not isinstance(values, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    ):
        raise ValidationFailed.on(name, "must be an array of numbers")
    if not all(math.isfinite(v) for v in values):
        raise ValidationFailed.on(name, "must hold finite numbers")
    return [float(v) for v in values]


def parse_search_bbox(values: Any, name: str = "bbox") -> BBox:
    """Four numbers (or six, with heights) west, south, east, north.

    West greater than east is a box across the antimeridian.
    """
    numbers = _finite_numbers(values, name)
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    elif len(numbers) != 4:
        raise ValidationFailed.on(name, "must have 4 numbers (west,south,east,north) or 6")
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ValidationFailed.on(name, "longitudes must be within -180..180")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise ValidationFailed.on(name, "latitudes must be within -90..90")
    if south > north:
        raise ValidationFailed.on(name, "south is greater than north")
    return BBox(west, south, east, north)


def parse_search_geometry(value: Any, name: str) -> dict[str, Any]:
    """Any GeoJSON geometry in WGS84 longitude/latitude; polygons follow the AOI rules."""
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise ValidationFailed.on(name, f"must be a GeoJSON geometry ({', '.join(GEOMETRY_TYPES)})")
    if value["type"] in ("Polygon", "MultiPolygon"):
        # The AOI rules: closed rings, no self-intersection, an area, a vertex limit.
        parse_aoi(value, name)
        return dict(value)
    try:
        geom = shape(value)
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        shapely.errors.ShapelyError,
    ):
        raise ValidationFailed.on(name, "has malformed coordinates") from None
    if geom.is_empty:
        raise ValidationFailed.on(name, "is empty")
    west, south, east, north = geom.bounds
    if not all(math.isfinite(v) for v in geom.bounds):
        raise ValidationFailed.on(name, "coordinates must be finite numbers")
    if west < -180 or east > 180 or south < -90 or north > 90:
        raise ValidationFailed.on(name, "coordinates must be longitude/latitude in WGS84")
    return dict(value)


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed.on(name, "must be an array of strings")
    return tuple(v.strip() for v in value)


def parse_limit(value: Any) -> int:
    """1 or more; values above the maximum are served as the maximum (as STAC requires)."""
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValidationFailed.on("limit", f"{value!r} is not a whole number") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed.on("limit", "must be a whole number")
    if value < 1:
        raise ValidationFailed.on("limit", f"must be between 1 and {MAX_LIMIT}")
    return min(value, MAX_LIMIT)


def _query_value(name: str, value: Any, path: str) -> Any:
    """Query extension values arrive as strings too; numbers compare as numbers."""
    queryable = QUERYABLES.get(name)
    if queryable and queryable.type is QueryableType.NUMBER and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValidationFailed.on(path, f"{name} is a number; {value!r} is not") from None
    if queryable and queryable.type is QueryableType.DATETIME:
        return {"timestamp": value}
    if not isinstance(value, str | int | float | bool):
        raise ValidationFailed.on(path, "must be a string, a number or a boolean")
    return value


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def query_to_cql2(query: Any) -> list[dict[str, Any]]:
    """The Query extension's ``{"prop": {"op": value}}`` as CQL2 JSON conditions."""
    if not isinstance(query, dict):
        raise ValidationFailed.on(
            "query", 'must be an object such as {"eo:cloud_cover": {"lte": 20}}'
        )
    conditions: list[dict[str, Any]] = []
    for raw_name, ops in query.items():
        name = property_name(str(raw_name))
        prop = {"property": name}
        if not isinstance(ops, dict) or not ops:
            raise ValidationFailed.on(f"query.{raw_name}", "must be an object of operators")
        for op, value in ops.items():
            path = f"query.{raw_name}.{op}"
            if op in QUERY_OPS:
                conditions.append(
                    {"op": QUERY_OPS[op], "args": [prop, _query_value(name, value, path)]}
                )
            elif op == "in":
                if not isinstance(value, list) or not value:
                    raise ValidationFailed.on(path, "must be a non-empty array")
                values = [_query_value(name, v, path) for v in value]
                conditions.append({"op": "in", "args": [prop, values]})
            elif op in TEXT_OPS:
                if not isinstance(value, str):
                    raise ValidationFailed.on(path, "must be a string")
                text = _like_literal(value)
                pattern = {
                    "startsWith": f"{text}%",
                    "endsWith": f"%{text}",
                    "contains": f"%{text}%",
                }
                conditions.append({"op": "like", "args": [prop, pattern[op]]})
            else:
                allowed = ", ".join([*QUERY_OPS, "in", *TEXT_OPS])
                raise ValidationFailed.on(path, f"unknown operator; use one of {allowed}")
    return conditions


def parse_filter(value: Any, lang: Any) -> Any:
    """A CQL2 filter as its JSON form, from cql2-text or cql2-json (parsed with ``cql2``)."""
    if lang not in (None, "cql2-text", "cql2-json"):
        raise ValidationFailed.on("filter-lang", "must be cql2-text or cql2-json")
    try:
        if isinstance(value, dict):
            if lang == "cql2-text":
                raise ValidationFailed.on(
                    "filter", "filter-lang is cql2-text but the filter is JSON"
                )
            return cql2.Expr(value).to_json()
        if isinstance(value, bool):
            return value
        if not isinstance(value, str) or not value.strip():
            raise ValidationFailed.on("filter", "must be CQL2 text or a CQL2 JSON object")
        if lang == "cql2-json":
            check_json_nesting(value, "filter")
            return cql2.parse_json(value).to_json()
        check_cql2_text(value, "filter")
        return cql2.parse_text(value).to_json()
    except (cql2.ParseError, cql2.ValidationError, ValueError) as exc:
        message = str(exc).splitlines()[0][:300] if str(exc) else "could not be parsed"
        raise ValidationFailed.on("filter", f"is not valid CQL2: {message}") from None


def parse_sortby(value: Any) -> tuple[SortKey, ...]:
    """GET ``-properties.eo:cloud_cover,+datetime`` or POST ``[{field, direction}]``."""
    keys: list[SortKey] = []
    if isinstance(value, str):
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            descending = part.startswith("-")
            keys.append(SortKey(property_name(part.lstrip("+-").strip()), descending))
    elif isinstance(value, list):
        for i, entry in enumerate(value):
            if not isinstance(entry, dict) or not isinstance(entry.get("field"), str):
                raise ValidationFailed.on(
                    f"sortby[{i}]", 'must be {"field": ..., "direction": ...}'
                )
            direction = entry.get("direction", "asc")
            if direction not in ("asc", "desc"):
                raise ValidationFailed.on(f"sortby[{i}].direction", "must be 'asc' or 'desc'")
            keys.append(SortKey(property_name(entry["field"]), direction == "desc"))
    else:
        raise ValidationFailed.on("sortby", "must be a comma list or an array of sort objects")
    for key in keys:
        if key.field == "geometry":
            raise ValidationFailed.on("sortby", "items cannot be sorted by geometry")
    return tuple(keys)


def _field_list(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed.on(name, "must be an array of field names")
    return tuple(v.strip() for v in value if v.strip())


def parse_fields(value: Any) -> FieldsSpec:
    """GET ``id,-geometry,+properties.gsd`` or POST ``{"include": [...], "exclude": [...]}``."""
    if isinstance(value, str):
        include: list[str] = []
        exclude: list[str] = []
        for part in (p.strip() for p in value.split(",")):
            if part.startswith("-"):
                exclude.append(part[1:].strip())
            elif part:
                include.append(part.lstrip("+").strip())
        return FieldsSpec(tuple(include), tuple(exclude))
    if not isinstance(value, dict):
        raise ValidationFailed.on(
            "fields", 'must be an object {"include": [...], "exclude": [...]}'
        )
    include_value = _field_list(value.get("include"), "fields.include")
    exclude_value = _field_list(value.get("exclude"), "fields.exclude")
    return FieldsSpec(None if "include" not in value else include_value, exclude_value)


def _json_param(text: str, name: str) -> Any:
    check_json_nesting(text, name)
    try:
        return json.loads(text)
    except ValueError:
        raise ValidationFailed.on(name, "is not valid JSON") from None


def _combine(filter_ast: Any, query: Any) -> Any:
    conditions = query_to_cql2(query) if query is not None else []
    if filter_ast is not None:
        conditions.insert(0, filter_ast)
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"op": "and", "args": conditions}


def _check_crs(value: Any) -> None:
    if value is not None and value not in CRS84:
        raise ValidationFailed.on("filter-crs", "only CRS84 (longitude, latitude) is supported")


def search_from_params(params: Mapping[str, str]) -> SearchRequest:
    """Parse a GET search's query parameters (repeated ones already comma-joined)."""
    bbox = parse_search_bbox(_bbox_numbers(params["bbox"]), "bbox") if "bbox" in params else None
    intersects = (
        parse_search_geometry(_json_param(params["intersects"], "intersects"), "intersects")
        if "intersects" in params
        else None
    )
    if bbox is not None and intersects is not None:
        raise ValidationFailed.on("intersects", "use either bbox or intersects, not both")
    _check_crs(params.get("filter-crs"))
    lang = params.get("filter-lang")
    filter_ast = (
        parse_filter(params["filter"], lang or "cql2-text") if params.get("filter") else None
    )
    query = _json_param(params["query"], "query") if params.get("query") else None
    return SearchRequest(
        collections=_strings(params.get("collections", ""), "collections"),
        ids=_strings(params.get("ids", ""), "ids"),
        bbox=bbox,
        intersects=intersects,
        datetime=parse_datetime_interval(params["datetime"]) if "datetime" in params else None,
        filter=_combine(filter_ast, query),
        sortby=parse_sortby(params["sortby"]) if params.get("sortby") else (),
        fields=parse_fields(params["fields"]) if "fields" in params else None,
        limit=parse_limit(params["limit"]) if "limit" in params else DEFAULT_LIMIT,
        token=params.get("token") or None,
    )


def _bbox_numbers(text: str) -> list[float]:
    try:
        return [float(p) for p in text.split(",")]
    except ValueError:
        raise ValidationFailed.on(
            "bbox", "must be comma-separated numbers: west,south,east,north"
        ) from None


def search_from_json(body: Any) -> SearchRequest:
    """Parse a POST search body."""
    if not isinstance(body, dict):
        raise ValidationFailed.on("body", "must be a JSON object")
    bbox = parse_search_bbox(body["bbox"]) if body.get("bbox") is not None else None
    intersects = (
        parse_search_geometry(body["intersects"], "intersects")
        if body.get("intersects") is not None
        else None
    )
    if bbox is not None and intersects is not None:
        raise ValidationFailed.on("intersects", "use either bbox or intersects, not both")
    _check_crs(body.get("filter-crs"))
    filter_ast = (
        parse_filter(body["filter"], body.get("filter-lang"))
        if body.get("filter") is not None
        else None
    )
    if "fields" in body and body["fields"] is None:
        raise ValidationFailed.on(
            "fields", 'must be an object {"include": [...], "exclude": [...]}'
        )
    token = body.get("token")
    if token is not None and not isinstance(token, str):
        raise ValidationFailed.on("token", "must be a string")
    when = body.get("datetime")
    return SearchRequest(
        collections=_strings(body.get("collections") or [], "collections"),
        ids=_strings(body.get("ids") or [], "ids"),
        bbox=bbox,
        intersects=intersects,
        datetime=parse_datetime_interval(when) if when is not None else None,
        filter=_combine(filter_ast, body.get("query")),
        sortby=parse_sortby(body["sortby"]) if body.get("sortby") else (),
        fields=parse_fields(body["fields"]) if "fields" in body else None,
        limit=parse_limit(body["limit"]) if body.get("limit") is not None else DEFAULT_LIMIT,
        token=token or None,
    )
