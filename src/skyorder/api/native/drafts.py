"""Draft orders: edit (``PUT /v1/orders/{ref}``) and submit (``POST .../submit``)."""

from __future__ import annotations

from fastapi import APIRouter

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.schemas.orders import DraftSubmit, OrderCreate, OrderOut

router = APIRouter(prefix="/v1/orders", tags=["orders"])


@router.put("/{order_ref}", response_model=OrderOut)
def edit_draft(
    order_ref: str, body: OrderCreate, facade: FacadeDep, principal: PrincipalDep
) -> OrderOut:
    """Replace a draft order's content with the body (an order that is not a draft: 409).

    The draft is kept whatever its validation says; each item lists its `validation_errors`.
    """
    return OrderOut.of(facade.drafts.edit(principal, order_ref, body.to_request()))


@router.post("/{order_ref}/submit", response_model=OrderOut)
def submit_draft(
    order_ref: str, facade: FacadeDep, principal: PrincipalDep, body: DraftSubmit | None = None
) -> OrderOut:
    """Place a draft: validated, priced and paid for as a new order (422 lists what stops it).

    It keeps its number and its items their ids. The licences accepted when it was saved
    count; send any still missing as `{"licences": [...]}` (no body is needed otherwise).
    """
    licences = tuple(lic.to_core() for lic in body.licences) if body else ()
    placed = facade.drafts.submit(principal, order_ref, licences)
    return OrderOut.of(placed.order, placed.checkout_url)
