"""Request guards run before any route: body size, and characters no store can keep.

Bodies are read up to ``max_bytes`` (by Content-Length or while streaming) and
refused with 413 beyond that; JSON bodies nested deeper than ``MAX_NESTING`` are
refused with 400 before any parser sees them. Text anywhere in the path, the query string or a
JSON body that holds a NUL character or a lone UTF-16 surrogate is refused with
422 naming where it is: PostgreSQL cannot store either, and no client means them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skyorder.api.errors import MalformedRequest, PayloadTooLarge, domain_problem
from skyorder.core.errors import DomainError, FieldError, ValidationFailed
from skyorder.core.nesting import MAX_NESTING, json_nesting


def _bad_text(value: str) -> bool:
    return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)


def _find_bad(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if _bad_text(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _bad_text(str(key)):
                return where
            found = _find_bad(item, where)
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _find_bad(item, f"{path}[{i}]")
            if found:
                return found
    return None


def _bad_url_part(scope: Scope) -> str | None:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    path = unquote(raw_path.decode("latin-1"), errors="surrogateescape")
    if _bad_text(path):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
        if _bad_text(key) or _bad_text(value):
            return str(key)
    return None


class RequestGuard:
    """Refuse oversized bodies (413) and unstorable characters (422) before routing."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(
            f"the request body exceeds {self.max_bytes} bytes; send a smaller request "
            "(simplify the AOI or split the order)"
        )

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None when it grows past the limit."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    @staticmethod
    def _body_problem(scope: Scope, content_type: bytes, body: bytes) -> DomainError | None:
        oauth = scope.get("path", "").startswith("/oauth/")  # answers in RFC 6749's shape
        if not body or oauth:
            return None
        # A body without a JSON content type may still reach a JSON parser (FastAPI
        # reads a body without Content-Type as JSON): what looks like JSON is checked.
        json_like = b"json" in content_type or not content_type or body.lstrip()[:1] in (b"{", b"[")
        if json_like and json_nesting(body) > MAX_NESTING:
            nested = MalformedRequest(
                f"the JSON body is nested more than {MAX_NESTING} levels deep; "
                "send a flatter document"
            )
            nested.errors.append(FieldError("body", f"nested more than {MAX_NESTING} levels"))
            return nested
        if b"json" not in content_type:
            return None
        try:
            bad = _find_bad(json.loads(body), "")
        except ValueError:
            return None  # not JSON: the route answers 400 with the parser's reason
        if bad is None:
            return None
        return ValidationFailed.on(bad or "body", "contains a NUL character or invalid Unicode")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with its body replayed."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length", b"")
        where = _bad_url_part(scope)
        problem: DomainError | None = None
        body = b""
        if where is not None:
            problem = ValidationFailed.on(where, "contains a NUL character or invalid Unicode")
        elif length.isdigit() and int(length) > self.max_bytes:
            problem = self._too_large()
        else:
            read = await self._read_body(receive)
            if read is None:
                problem = self._too_large()
            else:
                body = read
                problem = self._body_problem(scope, headers.get(b"content-type", b""), body)
        if problem is not None:
            await domain_problem(problem)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
