"""The domain error hierarchy.

Domain errors carry no HTTP status: the API layer maps each class to a status
in one table (``skyorder.api.errors``). Every error has a stable ``code`` and a
``detail`` a person can act on; validation errors list each invalid field.

Errors speak the core's words: a field is named by its path in the core command
(``items[0].window.end``), and where the caller should look next is a ``Hint``,
not a URL. Each front end names fields its own way and turns hints into its own
directions ("GET /v1/products lists them").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Hint(StrEnum):
    """Where a caller finds what an error says is missing; front ends word it."""

    LIST_PRODUCTS = "list-products"
    LIST_SATELLITES = "list-satellites"
    LIST_CONTRACTS = "list-contracts"
    LIST_PROJECTS = "list-projects"
    MAKE_QUOTE = "make-quote"
    FRESH_DOWNLOAD_LINK = "fresh-download-link"
    LIST_CLOUD_DELIVERY_CONFIGS = "list-cloud-delivery-configs"


@dataclass(frozen=True)
class FieldError:
    """One invalid field: a dotted path into the request and what is wrong with it."""

    field: str
    message: str
    hint: Hint | None = None


@dataclass
class DomainError(Exception):
    """Base class of every error the core and the services raise on purpose."""

    detail: str
    errors: list[FieldError] = field(default_factory=list)
    hint: Hint | None = None

    code = "domain-error"
    title = "Request could not be processed"

    def __post_init__(self) -> None:
        super().__init__(self.detail)


class ValidationFailed(DomainError):
    """The request is well formed but its content breaks a rule."""

    code = "validation-failed"
    title = "Invalid request"

    @classmethod
    def on(cls, field_name: str, message: str, hint: Hint | None = None) -> ValidationFailed:
        """Build an error about a single field."""
        return cls.of([FieldError(field_name, message, hint)])

    @classmethod
    def of(cls, errors: list[FieldError]) -> ValidationFailed:
        """Build an error listing several invalid fields."""
        return cls(detail=summarise(errors), errors=list(errors))


def summarise(errors: list[FieldError]) -> str:
    """One line naming the first five invalid fields (and how many more there are)."""
    summary = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    return summary + (f" (and {len(errors) - 5} more)" if len(errors) > 5 else "")


class NotFound(DomainError):
    """The entity does not exist, or is not visible to the caller (same answer)."""

    code = "not-found"
    title = "Not found"


@dataclass
class UnknownContract(NotFound):
    """The contract a caller chose is not one of its organisation's.

    The native API answers it like any missing entity (404); a front end whose vendor
    documents a refusal (Aleph's contract header) may answer 403 with ``contract_id``.
    """

    contract_id: str = ""


class Conflict(DomainError):
    """The request conflicts with the current state of an entity."""

    code = "conflict"
    title = "Conflict with current state"


@dataclass
class AlreadyExists(Conflict):
    """Creating an entity whose id is taken: a create never replaces; updates are explicit.

    ``subject`` names what exists (e.g. ``collection 'phr'``) so that each front end
    can say how to update it in its own terms.
    """

    subject: str = ""

    code = "already-exists"
    title = "Already exists"


class IllegalTransition(Conflict):
    """A state machine refused a transition."""

    code = "illegal-transition"
    title = "Illegal state transition"


class IdempotencyConflict(Conflict):
    """An idempotency key was reused with a different request body."""

    code = "idempotency-key-reused"
    title = "Idempotency key reused with a different request"


class AuthenticationFailed(DomainError):
    """Credentials are missing, wrong, forged or expired."""

    code = "unauthenticated"
    title = "Authentication required"


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""

    code = "forbidden"
    title = "Forbidden"


class FeatureUnavailable(DomainError):
    """The request asks for a capability this deployment does not offer."""

    code = "unavailable"
    title = "Feature not available"


class SignedLinkRefused(DomainError):
    """A signed download link is incomplete, was tampered with, or has expired."""

    code = "signed-link-refused"
    title = "Download link refused"


class RangeNotSatisfiable(DomainError):
    """A requested byte range lies beyond the end of the file."""

    code = "range-not-satisfiable"
    title = "Range not satisfiable"


@dataclass
class TooManyAttempts(DomainError):
    """Too many failed attempts in a row: the caller must wait ``retry_after`` seconds."""

    retry_after: int = 60

    code = "too-many-attempts"
    title = "Too many attempts"
