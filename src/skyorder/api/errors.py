"""The one mapping from errors to HTTP: RFC 9457 problem+json for the native API."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from skyorder.core import errors as e
from skyorder.core.errors import FieldError, Hint, summarise
from skyorder.core.ledger import InsufficientFunds, OrderRejected
from skyorder.facade.errors import StoreError, database_unavailable

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"

# The single table: domain error class -> HTTP status. Most specific first.
STATUS: list[tuple[type[e.DomainError], int]] = [
    (e.IdempotencyConflict, 409),
    (e.IllegalTransition, 409),
    (e.AlreadyExists, 409),
    (e.Conflict, 409),
    (e.ValidationFailed, 422),
    (e.NotFound, 404),
    (e.AuthenticationFailed, 401),
    (e.PermissionDenied, 403),
    (e.SignedLinkRefused, 403),
    (e.RangeNotSatisfiable, 416),
    (e.FeatureUnavailable, 422),
    (InsufficientFunds, 402),
    (e.TooManyAttempts, 429),
]


class PayloadTooLarge(e.DomainError):
    """The request body is larger than the server accepts."""

    code = "payload-too-large"
    title = "Request body too large"


class MalformedRequest(e.DomainError):
    """The request body is not what the endpoint reads (e.g. not JSON)."""

    code = "malformed-request"
    title = "Malformed request"


STATUS += [(PayloadTooLarge, 413), (MalformedRequest, 400)]


def _same(name: str) -> str:
    return name


@dataclass(frozen=True)
class Words:
    """How a front end words the core's errors: its field names and its directions."""

    hints: Mapping[Hint, str] = field(default_factory=dict)
    field_name: Callable[[str], str] = _same
    """The front end's name for a field, from its path in the core command."""

    def _message(self, message: str, hint: Hint | None) -> str:
        direction = self.hints.get(hint) if hint else None
        return f"{message}; {direction}" if direction else message

    def field_errors(self, exc: e.DomainError) -> list[FieldError]:
        """The error's fields, named and directed as this front end says them."""
        return [
            FieldError(self.field_name(e.field), self._message(e.message, e.hint))
            for e in exc.errors
        ]

    def detail(self, exc: e.DomainError) -> str:
        """The error's one-line detail in this front end's words."""
        if exc.errors and (
            any(e.hint for e in exc.errors)
            or any(self.field_name(e.field) != e.field for e in exc.errors)
        ):
            return summarise(self.field_errors(exc))
        return self._message(exc.detail, exc.hint)


def status_of(exc: e.DomainError) -> int:
    """The HTTP status of a domain error."""
    return next((status for cls, status in STATUS if isinstance(exc, cls)), 400)


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response (``extensions``: RFC 9457 extension members)."""
    body: dict[str, Any] = {
        "type": f"urn:skyorder:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extensions or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def domain_problem(exc: e.DomainError, words: Words | None = None) -> JSONResponse:
    """Render a domain error as problem+json, in ``words`` (the native API's by default)."""
    words = words or Words()
    status = status_of(exc)
    headers = {"WWW-Authenticate": 'Bearer realm="skyorder"'} if status == 401 else None
    if isinstance(exc, e.TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    extensions: dict[str, Any] = {}
    if isinstance(exc, OrderRejected):  # the order is kept, as rejected: say which
        extensions = {"order_id": exc.order_id, "order_number": exc.order_number}
    return problem(
        status,
        exc.code,
        exc.title,
        words.detail(exc),
        [{"field": fe.field, "message": fe.message} for fe in words.field_errors(exc)],
        headers,
        extensions,
    )


def _loc(loc: tuple[int | str, ...]) -> str:
    if len(loc) == 2 and loc[0] == "header":
        return "-".join(w.capitalize() for w in str(loc[1]).replace("_", "-").split("-"))
    parts = [p for p in loc if p not in ("body",)]
    text = ""
    for p in parts:
        if isinstance(p, int):
            text += f"[{p}]"
        elif p in ("archive", "tasking") and text.endswith("]"):
            continue  # pydantic's discriminated-union tag, not a field
        else:
            text += ("." if text else "") + str(p)
    return text or "body"


def validation_problem(exc: RequestValidationError) -> JSONResponse:
    """Render FastAPI's request validation errors, one entry per field."""
    errs = exc.errors()
    if any(err.get("type") == "json_invalid" for err in errs):
        first = next(err for err in errs if err.get("type") == "json_invalid")
        reason = (first.get("ctx") or {}).get("error", "invalid JSON")
        return problem(
            400,
            MalformedRequest.code,
            MalformedRequest.title,
            f"the request body is not valid JSON: {reason}",
            [{"field": "body", "message": str(reason)}],
        )
    fields = [{"field": _loc(tuple(err["loc"])), "message": err["msg"]} for err in errs]
    detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return problem(422, e.ValidationFailed.code, e.ValidationFailed.title, detail, fields)


class Renderers(Protocol):
    """Which front end's renderer and words answer a request's errors."""

    def error_renderer(self, path: str) -> tuple[Callable[[e.DomainError, Words], Response], Words]:
        """The renderer and words for a request to ``path``."""
        ...


def install_error_handlers(app: FastAPI, renderers: Renderers) -> None:
    """Register the mapping on an app; domain errors leave in their front end's shape."""

    @app.exception_handler(e.DomainError)
    async def _domain(request: Request, exc: e.DomainError) -> Response:
        render, words = renderers.error_renderer(request.url.path)
        return render(exc, words)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such endpoint; see /docs for the API"
        return problem(exc.status_code, "http", title, detail)

    @app.exception_handler(StoreError)
    async def _database(_: Request, exc: StoreError) -> JSONResponse:
        if database_unavailable(exc):
            log.warning("database unavailable: %s", exc.orig)
            return problem(
                503,
                "database_unavailable",
                "Database unavailable",
                "the connection to the database was lost; retry the request in a moment",
                headers={"Retry-After": "1"},
            )
        log.exception("database error", exc_info=exc)
        return problem(
            500, "internal", "Internal error", "an unexpected error occurred; it has been logged"
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem(
            500, "internal", "Internal error", "an unexpected error occurred; it has been logged"
        )
