"""Pixxel's errors: problem+json, with invalid input answered 400 (its document shows no shape)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from skyorder.api.errors import Words, domain_problem, problem, status_of
from skyorder.core.errors import DomainError


def pixxel_problem(exc: DomainError, words: Words) -> JSONResponse:
    """A domain error as problem+json; a validation failure is a 400 Bad Request."""
    if status_of(exc) != 422:
        return domain_problem(exc, words)
    return problem(
        400,
        exc.code,
        exc.title,
        words.detail(exc),
        [{"field": fe.field, "message": fe.message} for fe in words.field_errors(exc)],
    )
