"""Request bodies read by hand (routes that take a document rather than a model)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request

from skyorder.api.errors import MalformedRequest


async def json_body(request: Request) -> Any:
    """The request body decoded as JSON, or a 400 that says why not."""
    raw = await request.body()
    if not raw.strip():
        raise MalformedRequest("the request body is empty; send a JSON object")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedRequest(f"the request body is not valid JSON: {exc}") from None
