"""Satellogic Aleph Orders API v2 (``/v2``): orders, captures and deliverables.

Clients written against Satellogic's documents work with only the base URL, the
token and the contract id changed: ``authorizationToken: Bearer <token>`` (or
``Authorization``), ``X-Satellogic-Contract-Id: cont.<uuid>``. A contract that is
not the caller's is refused with 403. Errors are problem+json (the documents show
none), naming fields as Aleph does; bad filters and dates are 400.
"""

from __future__ import annotations

from fastapi import Response

from skyorder.api.compat.aleph.routes import CALLERS, router
from skyorder.api.compat.aleph.wire import field_name, render_id
from skyorder.api.errors import Words, domain_problem, problem, status_of
from skyorder.api.frontend import FrontEnd
from skyorder.core.errors import DomainError, Hint, UnknownContract, ValidationFailed

WORDS = Words(
    hints={
        Hint.LIST_CONTRACTS: "your contract ids are listed as contract_id on GET /v2/orders/",
        Hint.FRESH_DOWNLOAD_LINK: "list the deliverable again (GET /v2/deliverables/) for a "
        "fresh link",
    },
    field_name=field_name,
)


def render_error(exc: DomainError, words: Words) -> Response:
    """problem+json; a foreign contract is 403 and invalid parameters are 400."""
    if isinstance(exc, UnknownContract):
        contract = render_id("contract", exc.contract_id)
        return problem(
            403,
            "forbidden-contract",
            "Contract not yours",
            f"contract {contract} is not a contract of your organisation; send one of yours "
            "in X-Satellogic-Contract-Id (cont.<uuid>), or leave the header out",
            [{"field": "X-Satellogic-Contract-Id", "message": "not a contract of yours"}],
        )
    if isinstance(exc, ValidationFailed) and status_of(exc) == 422:
        fields = [{"field": f.field, "message": f.message} for f in words.field_errors(exc)]
        return problem(400, exc.code, exc.title, words.detail(exc), fields)
    return domain_problem(exc, words)


FRONT_END = FrontEnd(
    name="aleph",
    routers=(router,),
    owns=("/v2",),
    callers=CALLERS,
    words=WORDS,
    render_error=render_error,
    render_id=render_id,
    tag="Aleph Orders API v2",
    description="Satellogic-compatible Orders API (read): orders, captures, deliverables.",
)
