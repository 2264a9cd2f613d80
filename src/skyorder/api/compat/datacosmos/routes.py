"""DataCosmos ordering: price a catalogue scene, order it, pay for it, follow the order."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from skyorder.api.compat.datacosmos.wire import OrderIn, breakdown, order_json
from skyorder.api.deps import Callers, FacadeDep
from skyorder.core.order_requests import ArchiveItemRequest
from skyorder.core.tenants import AccountRef, Principal

CALLERS = Callers(authorization_headers=("authorization",), key_headers=("x-api-key",))
Caller = Annotated[Principal, Depends(CALLERS.dependency())]

router = APIRouter(prefix="/order", tags=["DataCosmos"])

Data = dict[str, Any]


@router.get("/price")
def price(
    facade: FacadeDep,
    principal: Caller,
    collection: Annotated[str, Query(min_length=1, max_length=200)],
    item: Annotated[str, Query(min_length=1, max_length=200)],
    level: Annotated[str, Query(min_length=1, max_length=200)],
    contract_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Data:
    """Price one catalogue scene (a STAC item) at a processing level.

    ``final`` is what ordering it charges, in ``currency``: your contract's (the one
    ``contract_id`` names, else your organisation's only or first contract). The
    breakdown gives the area, the billable area (the product's minimum when the scene
    is smaller), the rate per km², the base amount and each uplift or discount. The
    STAC item's ``opencosmos:price`` shows the same amount for its first level.
    """
    priced = facade.quotes.price_item(
        principal,
        ArchiveItemRequest(collection, item, level),
        AccountRef(contract_number=contract_id),
    )
    return {
        "data": {
            "collection": collection,
            "item": item,
            "level": level,
            "product": priced.sku,
            "contract_id": priced.contract.number,
            "currency": priced.currency,
            "final": priced.line.total,
            "breakdown": breakdown(priced.line),
        }
    }


@router.post("/orders", status_code=201)
def place_order(
    body: OrderIn, request: Request, response: Response, facade: FacadeDep, principal: Caller
) -> Data:
    """Order catalogue scenes under one of your contracts, accepting their licences.

    ``organisation`` and ``contract_id`` are your organisation's and contract's numbers
    (403 for any other). Every licence the scenes' products require must be in
    ``licenses`` with ``accepted: true`` (422 naming the missing one; nothing is
    charged). A credit or balance contract pays at once: ``status`` is ``PAID``. A
    pay-per-order contract answers ``AWAITING_PAYMENT`` and ``checkout_redirect_url``,
    where the order is paid or cancelled.
    """
    placed = facade.orders.place(
        principal, body.to_request(), body.items_json(), account=body.account()
    )
    response.headers["Location"] = f"{request.url.path}/{placed.order.id}"
    return {
        "data": order_json(placed.order, placed.checkout_url, body.organisation, body.contract_id)
    }


@router.get("/orders/{order_id}")
def get_order(order_id: str, facade: FacadeDep, principal: Caller) -> Data:
    """One of your orders: its status, line items, price, licences and checkout address."""
    view = facade.orders.get(principal, order_id)
    return {
        "data": order_json(
            view.order, view.checkout_url, view.organisation_number, view.contract_number
        )
    }


@router.get("/orders/{order_id}/checkout")
def checkout(order_id: str, facade: FacadeDep, principal: Caller) -> Data:
    """Where to pay for an order: ``checkout_url``, or null when nothing is left to pay."""
    view = facade.orders.get(principal, order_id)
    return {"data": {"order_id": view.order.id, "checkout_url": view.checkout_url}}
