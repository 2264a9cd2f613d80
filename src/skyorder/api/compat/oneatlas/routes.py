"""OneAtlas Data ordering (``/api/v1``): prices, orders, deliveries, contracts, downloads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from skyorder.api.compat.oneatlas.render import (
    STATUS_FILTER,
    amount_unit,
    delivery_json,
    entry_json,
    order_json,
    payment_json,
    prices_json,
)
from skyorder.api.compat.oneatlas.wire import GB, KINDS, OrderBody
from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.frontend import mount_of
from skyorder.core.errors import ValidationFailed
from skyorder.core.listing import MAX_LIMIT, Condition, ListQuery, Op

MOUNT = "/api/v1"
TAG = "OneAtlas Data"
router = APIRouter(tags=[TAG])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + mount_of(request, MOUNT)


COUNT_LIMIT = 500
"""The listing counts matches up to this many (the guide's listing: ``"totalResults": 500,
"countLimitReached": true``); past it, every page is still served."""
OTHER_KINDS = ("order.analytics-toolbox.archive", "order.subscription.streaming")
"""Kinds the guide filters by that are no data orders: such a filter lists none."""
LIST_PARAMETERS = ("status", "kind", "page", "itemsPerPage")


def _page(
    items: list[dict[str, Any]], total: int, start: int, per_page: int, limited: bool = False
) -> dict[str, Any]:
    return {
        "startIndex": start,
        "totalResults": total,
        "countLimitReached": limited,
        "itemsPerPage": per_page,
        "items": items,
    }


@router.post("/prices")
def prices(body: OrderBody, facade: FacadeDep, principal: PrincipalDep) -> dict[str, Any]:
    """Calculate the price of products (the same body as an order); nothing is ordered.

    Each product is a catalogue scene (``id``: its catalogue UUID) clipped to ``aoi``
    (at least 0.1 km²). The answer gives each product's area and amount and the total.
    """
    return prices_json(body, facade.order_views.price(principal, body.to_request()))


@router.post("/orders", status_code=201)
def place_order(
    body: OrderBody, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Order products: each a catalogue scene clipped to an AOI and processed as asked.

    The order starts ``ordered`` and becomes ``delivered`` once every product is made;
    an order the balance cannot cover is kept with status ``rejected``.
    """
    items = [p.model_dump(mode="json") for p in body.products]
    detail = facade.order_views.place(principal, body.to_request(), items)
    return order_json(detail, _base(request))


def _list_query(status: str | None, kind: str | None, page: int, per_page: int) -> ListQuery:
    conditions: list[Condition] = []
    if status is not None:
        words = [w.strip() for w in status.split(",") if w.strip()]
        unknown = [w for w in words if w not in STATUS_FILTER]
        if unknown or not words:
            raise ValidationFailed.on(
                "status", f"{status!r} is not a status; use one of " + ", ".join(STATUS_FILTER)
            )
        values = tuple(v for w in words for v in STATUS_FILTER[w])
        conditions.append(Condition("status", Op.IN, values))
    if kind is not None and kind not in KINDS + OTHER_KINDS:
        raise ValidationFailed.on(
            "kind", f"{kind!r} is not an order kind; use one of " + ", ".join(KINDS + OTHER_KINDS)
        )
    if kind == GB:
        conditions.append(Condition("name", Op.EQ, GB))
    elif kind is not None:  # the km² kind: archive orders not placed as volume-priced ones
        conditions.append(Condition("kind", Op.EQ, "archive"))
        conditions.append(Condition("name", Op.NE, GB))
    offset = (page - 1) * per_page
    return ListQuery(tuple(conditions), limit=per_page, offset=offset, count_limit=COUNT_LIMIT)


GUIDE_SPELLED = ("status", "kind")
"""Parameters also read under the guide's spelling ``/orders??status=…`` (its listing example
doubles the ``?``, which makes the first parameter's name ``?status``)."""


def _guide_spelling(request: Request, name: str) -> str | None:
    """The value of ``name`` when the query string spells it as the guide does (``??name=``)."""
    return request.query_params.get(f"?{name}")


def _refuse_unknown_parameters(request: Request) -> None:
    """Refuse a parameter the listing does not take (it would silently list everything)."""
    known = LIST_PARAMETERS + tuple(f"?{n}" for n in GUIDE_SPELLED)
    for name in request.query_params:
        if name not in known:
            raise ValidationFailed.on(
                name,
                f"unknown parameter {name!r}; the listing takes {', '.join(LIST_PARAMETERS)}",
            )


@router.get("/orders")
def list_orders(
    request: Request,
    facade: FacadeDep,
    principal: PrincipalDep,
    status: Annotated[str | None, Query(max_length=100)] = None,
    kind: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    itemsPerPage: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,  # noqa: N803 (the guide's)
) -> dict[str, Any]:
    """List your orders, newest first: filter by ``status`` (ordered, delivered, error,
    rejected) and ``kind``; page with ``page`` (from 1) and ``itemsPerPage``.

    ``totalResults`` counts the matches up to 500; past that it is 500 and
    ``countLimitReached`` is true (every page can still be read)."""
    _refuse_unknown_parameters(request)
    status = status if status is not None else _guide_spelling(request, "status")
    kind = kind if kind is not None else _guide_spelling(request, "kind")
    query = _list_query(status, kind, page, itemsPerPage)
    start = query.offset
    if kind in OTHER_KINDS:  # analytics or streaming: none are data orders
        return _page([], 0, start, itemsPerPage)
    result = facade.order_views.list(principal, query)
    base = _base(request)
    items = [order_json(d, base) for d in result.items]
    return _page(items, result.count, start, itemsPerPage, result.count_limit_reached)


@router.get("/orders/{order_id}")
def get_order(
    order_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """One of your orders, with its products (``deliveries``) and their status."""
    return order_json(facade.order_views.get(principal, order_id), _base(request))


@router.post("/orders/{order_id}/cancel")
def cancel_order(
    order_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Cancel an order whose products are not all made; what it holds is given back."""
    return order_json(facade.order_views.cancel(principal, order_id), _base(request))


@router.get("/orders/{order_id}/deliveries")
def order_deliveries(
    order_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """The products (deliveries) of one order."""
    detail = facade.order_views.get(principal, order_id)
    base = _base(request)
    items = [delivery_json(detail, i, base) for i in detail.order.items if i.archive is not None]
    return _page(items, len(items), 0, len(items))


@router.get("/orders/{order_id}/payments")
def order_payments(
    order_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """What the order moved on its contract: holds, charges, releases and refunds (one item
    per ledger entry; ``_links.payment`` is the transaction it belongs to)."""
    entries = facade.order_views.payments(principal, order_id)
    items = [entry_json(e, _base(request)) for e in entries]
    return _page(items, len(items), 0, len(items))


@router.get("/contracts/{contract_id}/payments/{transaction_id}")
def get_payment(
    contract_id: str,
    transaction_id: str,
    request: Request,
    facade: FacadeDep,
    principal: PrincipalDep,
) -> dict[str, Any]:
    """One payment of a contract (a delivery's ``payment`` link): the ledger transaction,
    its kind (hold, charge, release, refund), the amount it moved and what it paid for."""
    contract, found = facade.contracts.transaction(principal, contract_id, transaction_id)
    return payment_json(found, contract.currency, _base(request))


@router.get("/deliveries/{delivery_id}")
def get_delivery(
    delivery_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """One product of an order: its scene, processing, area, price and status."""
    detail, item = facade.order_views.item(principal, delivery_id)
    return delivery_json(detail, item, _base(request))


@router.get("/contracts/{contract_id}")
def get_contract(
    contract_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """One of your contracts and its balance."""
    contract, balances = facade.contracts.balance(principal, contract_id)
    base = _base(request)
    return {
        "_links": {
            "self": {"href": f"{base}/contracts/{contract.id}"},
            "subscription": {"href": f"{base}/subscriptions/{contract.id}"},
        },
        "id": contract.id,
        "name": contract.name,
        "status": "active",
        "amountUnit": amount_unit(contract.currency),
        "balance": balances.available,
        "held": balances.held,
        "consumed": balances.spent,
        "validFrom": contract.valid_from.isoformat() if contract.valid_from else None,
        "validUntil": contract.valid_until.isoformat() if contract.valid_until else None,
    }


@router.get("/subscriptions/{subscription_id}")
def get_subscription(
    subscription_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """What orders draw from: a km² subscription's quota this period, or (for orders paid
    from it) the contract's balance."""
    drawing = facade.order_views.drawing(principal, subscription_id)
    contract = drawing.contract
    base = _base(request)
    out: dict[str, Any] = {
        "_links": {"contract": {"href": f"{base}/contracts/{contract.id}"}},
        "id": subscription_id,
        "contractId": contract.id,
    }
    used = drawing.consumption
    if used is None:
        balance = drawing.balances
        unit = amount_unit(contract.currency)
        return {**out, "kind": "balance", "unit": unit, "balance": balance.available,
                "consumed": balance.spent}  # fmt: skip
    return {
        **out,
        "kind": "subscription.data.km2",
        "unit": "km2",
        "quota": used.subscription.quota_km2,
        "consumed": used.consumed_km2,
        "balance": used.remaining_km2,
        "periodStart": used.period_start.isoformat(),
        "periodEnd": used.period_end.isoformat(),
    }


@router.get("/items/{item_id}")
def get_item(
    item_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """A delivered product: its files and where to download it."""
    made = facade.deliverables.get(principal, item_id)
    base = _base(request)
    return {
        "_links": {
            "download": {"href": f"{base}/items/{made.id}/download"},
            "delivery": {"href": f"{base}/deliveries/{made.item_id}"},
        },
        "id": made.id,
        "status": made.status.value,
        "orderId": made.order_id,
        "deliveredAt": made.delivered_at.isoformat() if made.delivered_at else None,
        "files": [
            {"name": a.title or a.key, "type": a.media_type, "size": a.size, "sha256": a.sha256}
            for a in made.assets.values()
        ],
    }


@router.get(
    "/items/{item_id}/download",
    status_code=307,
    response_class=RedirectResponse,
    responses={307: {"description": "Redirect to a signed link of the product file"}},
)
def download(item_id: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """Download a delivered product (its image in the ordered format and CRS)."""
    link = facade.order_views.download(principal, item_id)
    return RedirectResponse(link.path, status_code=307, headers={"Cache-Control": "no-store"})
