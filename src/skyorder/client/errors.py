"""The SDK's one exception hierarchy, and the one table that maps an HTTP answer to it.

Every failure a caller can meet is a :class:`SkyorderError`. An answer the server refused
carries its RFC 9457 problem (``type``, ``title``, ``detail`` and the offending fields);
a server that could not be reached or a download that does not match its checksum raise
their own classes, so a script catches exactly what it can act on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    """One offending field of a refused request, named as the API names it."""

    field: str
    message: str


class SkyorderError(Exception):
    """Anything the SDK raises."""


class ApiError(SkyorderError):
    """The server answered with an error (a problem+json body where it sent one)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str = "",
        type: str = "about:blank",
        fields: tuple[FieldProblem, ...] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title
        self.type = type
        self.fields = fields
        self.retry_after = retry_after

    def __str__(self) -> str:
        """The detail, then each offending field (what a person needs to fix the request)."""
        text = f"{self.status} {self.title}: {self.detail}" if self.title else self.detail
        named = [f"{f.field}: {f.message}" for f in self.fields if f.message not in self.detail]
        return "; ".join([text, *named])


class BadRequest(ApiError):
    """400: the request was malformed."""


class Unauthorized(ApiError):
    """401: no credentials, or credentials the server does not accept."""


class PaymentRequired(ApiError):
    """402: the contract's balance does not cover the price."""


class Forbidden(ApiError):
    """403: the credentials do not allow this."""


class NotFound(ApiError):
    """404: no such resource for this caller."""


class Conflict(ApiError):
    """409: the resource's state does not allow this (e.g. cancelling a completed order)."""


class Gone(ApiError):
    """410: the resource expired (e.g. a quote or a download link)."""


class InvalidRequest(ApiError):
    """422: a field's value is invalid; :attr:`fields` names each one."""


class TooManyRequests(ApiError):
    """429: slow down; :attr:`retry_after` says how long for."""


class ServerError(ApiError):
    """5xx: the server failed (after the retries the client allows)."""


STATUS_ERRORS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    402: PaymentRequired,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    410: Gone,
    422: InvalidRequest,
    429: TooManyRequests,
}
"""The one table: HTTP status → exception class (other 4xx: ApiError; 5xx: ServerError)."""


class ConnectionFailed(SkyorderError):
    """The server could not be reached (after the retries the client allows)."""


class WaitTimeout(SkyorderError):
    """An order did not reach the awaited status in time."""

    def __init__(self, message: str, last_status: str) -> None:
        super().__init__(message)
        self.last_status = last_status


class ChecksumMismatch(SkyorderError):
    """A downloaded file does not match the sha256 the server published for it."""

    def __init__(self, path: str, expected: str, actual: str) -> None:
        super().__init__(f"{path}: sha256 {actual} does not match the published {expected}")
        self.path = path
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class _Parsed:
    detail: str
    title: str = ""
    type: str = "about:blank"
    fields: tuple[FieldProblem, ...] = field(default=())


def _parse(body: bytes) -> _Parsed | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if "error_description" in data:  # the token endpoint speaks RFC 6749
        return _Parsed(str(data["error_description"]), str(data.get("error", "")))
    if "detail" not in data:
        return None
    detail = data["detail"]
    if not isinstance(detail, str):  # a framework's list of errors
        detail = json.dumps(detail)
    errors = data.get("errors") or []
    fields = tuple(
        FieldProblem(str(e.get("field", "")), str(e.get("message", "")))
        for e in errors
        if isinstance(e, dict)
    )
    return _Parsed(detail, str(data.get("title", "")), str(data.get("type", "about:blank")), fields)


def error_for(status: int, body: bytes, retry_after: float | None = None) -> ApiError:
    """The exception for an error answer: its class from :data:`STATUS_ERRORS`, its problem."""
    cls = STATUS_ERRORS.get(status, ServerError if status >= 500 else ApiError)
    parsed = _parse(body) or _Parsed(body.decode("utf-8", "replace")[:500] or f"HTTP {status}")
    return cls(
        status,
        parsed.detail,
        title=parsed.title,
        type=parsed.type,
        fields=parsed.fields,
        retry_after=retry_after,
    )


class OrderEnded(SkyorderError):
    """An order reached a final status other than the one awaited: waiting longer is futile."""

    def __init__(self, message: str, last_status: str) -> None:
        super().__init__(message)
        self.last_status = last_status
