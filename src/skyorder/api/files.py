"""Signed downloads: ``/files/{key}?expires=…&signature=…`` serves one object without a token.

The links come from ``GET /v1/deliverables/{id}/assets/{key}`` (a 307 redirect
for an authorised caller). Files are streamed from the object store in chunks,
whole or as one byte range.
"""

from __future__ import annotations

import base64
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from skyorder.api.deps import FacadeDep
from skyorder.api.errors import domain_problem
from skyorder.core.errors import RangeNotSatisfiable
from skyorder.delivery.ranges import ByteRange, parse_range
from skyorder.facade.fulfilment import StoredObject

router = APIRouter(tags=["downloads"])

_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "The whole file", "content": {"application/octet-stream": {}}},
    206: {"description": "One byte range of the file (see Content-Range)"},
    304: {"description": "Not modified (If-None-Match matched the ETag)"},
    403: {"description": "The link is incomplete, altered or expired"},
    404: {"description": "No such file"},
    416: {"description": "The range starts beyond the end of the file"},
}


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or f'"{etag}"' in tags


def _headers(obj: StoredObject) -> dict[str, str]:
    name = PurePosixPath(obj.key).name
    headers = {
        "ETag": f'"{obj.etag}"',
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-transform",
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}",
    }
    if obj.sha256:  # the whole file's digest (RFC 9530), whatever range is sent
        digest = base64.b64encode(bytes.fromhex(obj.sha256)).decode()
        headers["Repr-Digest"] = f"sha-256=:{digest}:"
    return headers


@router.get("/files/{key:path}", responses=_DOC)
@router.head("/files/{key:path}", include_in_schema=False)
def download_file(
    key: str,
    request: Request,
    facade: FacadeDep,
    expires: str | None = Query(None, description="Unix time the link stops working"),
    signature: str | None = Query(None, description="The link's HMAC-SHA256 (base64url)"),
) -> Response:
    """Download a file through a signed link; no token is needed.

    Send ``Range: bytes=start-end`` (or ``bytes=-N`` for the last N bytes) for part
    of the file: the answer is 206 with ``Content-Range``. ``HEAD`` answers the
    headers only. An expired or altered link answers 403; ask
    ``GET /v1/deliverables/{id}/assets/{key}`` for a fresh one.
    """
    obj = facade.downloads.open(key, expires, signature)
    headers = _headers(obj)
    if _matches(request.headers.get("if-none-match"), obj.etag):
        return Response(status_code=304, headers=headers)
    range_header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range and if_range.strip() != f'"{obj.etag}"':
        range_header = None  # the client's copy is stale: send the whole file
    try:
        byte_range = parse_range(range_header, obj.size)
    except RangeNotSatisfiable as exc:
        response = domain_problem(exc)
        response.headers["Content-Range"] = f"bytes */{obj.size}"
        response.headers["Accept-Ranges"] = "bytes"
        return response
    whole = ByteRange(0, obj.size - 1, obj.size)
    part = byte_range or whole
    status = 206 if byte_range is not None else 200
    if byte_range is not None:
        headers["Content-Range"] = byte_range.content_range()
    headers["Content-Length"] = str(part.length)
    if request.method == "HEAD" or part.length == 0:
        return Response(status_code=status, headers=headers, media_type=obj.content_type)
    end = None if byte_range is None else part.end
    chunks = facade.downloads.read(key, part.start, end)
    return StreamingResponse(
        chunks, status_code=status, headers=headers, media_type=obj.content_type
    )
