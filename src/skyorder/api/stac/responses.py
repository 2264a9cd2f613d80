"""STAC responses: JSON bodies written with orjson, and errors in STAC's documented shape.

Domain errors keep the one mapping of ``skyorder.api.errors`` (``status_of``);
the STAC API renders them as ``{"code", "description"}`` and, as the STAC and
OGC API specifications require, answers invalid parameters with 400.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse

from skyorder.api.errors import Words, status_of
from skyorder.core.errors import DomainError, ValidationFailed

GEOJSON = "application/geo+json"
JSON = "application/json"
SCHEMA_JSON = "application/schema+json"


class StacJSON(JSONResponse):
    """A JSON body (``application/json``), serialised with orjson.

    A ``JSONResponse`` so that the OpenAPI document says the body is JSON (any object),
    not a string.
    """

    media_type = JSON

    def render(self, content: Any) -> bytes:
        """Serialise ``content``."""
        return orjson.dumps(content)


class GeoJSON(StacJSON):
    """A GeoJSON body: items and item collections."""

    media_type = GEOJSON


class SchemaJSON(StacJSON):
    """A JSON Schema body: queryables."""

    media_type = SCHEMA_JSON


def stac_error(exc: DomainError, words: Words) -> StacJSON:
    """A domain error in STAC's error shape (invalid input is 400 here, as STAC specifies)."""
    status = 400 if isinstance(exc, ValidationFailed) else status_of(exc)
    body: dict[str, Any] = {"code": exc.code, "description": words.detail(exc)}
    if exc.errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in words.field_errors(exc)]
    headers = {"WWW-Authenticate": 'Bearer realm="skyorder"'} if status == 401 else None
    return StacJSON(body, status_code=status, headers=headers)
