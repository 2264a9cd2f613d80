"""STAPI at ``/stapi``: tasking products, opportunities, orders and their statuses.

A STAPI order is a native order with one tasking item: it is placed by the same service,
listed by ``GET /v1/orders`` and played out by the same engine.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from skyorder.api.bodies import json_body as read_json
from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.stapi import translate as tr
from skyorder.core.catalog import format_datetime
from skyorder.core.errors import FieldError, NotFound, ValidationFailed
from skyorder.core.listing import Condition, ListQuery, Op, parse_list_query
from skyorder.core.opportunities import OpportunityRequest
from skyorder.core.order_requests import OrderRequest
from skyorder.core.orders import Order
from skyorder.core.products import ItemKind, Product
from skyorder.core.tenants import Principal
from skyorder.facade import Facade
from skyorder.facade.tasking import SearchRecord
from skyorder.schemas.orders import TaskingItemIn
from skyorder.schemas.tasking import OpportunityOut

router = APIRouter(prefix="/stapi", tags=["STAPI"])
JSON = "application/json"
GEOJSON = "application/geo+json"


def _product(facade: Facade, product_id: str) -> Product:
    product = facade.products.by_sku().get(product_id)
    if product is None or product.kind is not ItemKind.TASKING:
        raise NotFound(f"product {product_id} not found; GET /stapi/products lists them")
    return product


def _doc(
    body: Any, status_code: int = 200, media: str = JSON, headers: dict[str, str] | None = None
) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type=media, headers=headers)


@router.get("")
def landing(facade: FacadeDep, _: PrincipalDep) -> Response:
    """The STAPI landing page."""
    base = facade.base_url
    return _doc(
        {
            "id": "skyorder-stapi",
            "title": "skyorder STAPI",
            "description": "Satellite tasking: products, opportunities and orders.",
            "conformsTo": tr.CONFORMANCE,
            "links": [
                {"href": f"{base}/stapi", "rel": "self", "type": JSON},
                {"href": f"{base}/stapi/conformance", "rel": "conformance", "type": JSON},
                {"href": f"{base}/stapi/products", "rel": "products", "type": JSON},
                {"href": f"{base}/stapi/orders", "rel": "orders", "type": GEOJSON},
                {
                    "href": f"{base}/stapi/searches/opportunities",
                    "rel": "opportunity-search-records",
                    "type": JSON,
                },
            ],  # fmt: skip
        }
    )


@router.get("/conformance")
def conformance(_: PrincipalDep) -> Response:
    """The conformance classes this STAPI implements."""
    return _doc({"conformsTo": tr.CONFORMANCE})


@router.get("/products")
def products(facade: FacadeDep, _: PrincipalDep) -> Response:
    """Every tasking product."""
    found = [p for p in facade.products.list() if p.kind is ItemKind.TASKING]
    base = facade.base_url
    return _doc(
        {
            "type": "ProductCollection",
            "products": [tr.product_json(p, base) for p in found],
            "links": [{"href": f"{base}/stapi/products", "rel": "self", "type": JSON}],
        }
    )


@router.get("/products/{product_id}")
def product(product_id: str, facade: FacadeDep, _: PrincipalDep) -> Response:
    """One tasking product."""
    return _doc(tr.product_json(_product(facade, product_id), facade.base_url))


@router.get("/products/{product_id}/queryables")
def queryables(product_id: str, facade: FacadeDep, _: PrincipalDep) -> Response:
    """What an opportunity search or an order may constrain (JSON Schema)."""
    return _doc(tr.queryables(_product(facade, product_id)))


@router.get("/products/{product_id}/order-parameters")
def order_parameters(product_id: str, facade: FacadeDep, _: PrincipalDep) -> Response:
    """The parameters an order of this product takes (JSON Schema)."""
    return _doc(tr.order_parameters(_product(facade, product_id)))


def _search(
    facade: Facade, principal: Principal, product_id: str, body: Any
) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        raise ValidationFailed.on("body", "must be a JSON object")
    _product(facade, product_id)
    start, end = tr.interval(body.get("datetime"), "datetime")
    limits = tr.constraints(body.get("filter"))
    request = OpportunityRequest(
        aoi=body.get("geometry"),  # type: ignore[arg-type]  # validated by the service
        start=start,
        end=end,
        max_off_nadir=limits.get("max_off_nadir"),
        product=product_id,
    )
    found = facade.tasking.opportunities(principal, request)
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 1000:
        raise ValidationFailed.on("limit", "must be a whole number from 1 to 1000")
    cloud_max = limits.get("max_cloud_cover")
    features = []
    for opp in found:
        out = OpportunityOut.of(opp).model_dump(mode="json")
        if cloud_max is not None and out["expected_cloud_cover"] > cloud_max:
            continue
        w = opp.window
        features.append(
            {
                "type": "Feature",
                "geometry": out["footprint"],
                "properties": {
                    "datetime": f"{format_datetime(w.start)}/{format_datetime(w.end)}",
                    "product_id": product_id,
                    "constellation": facade.tasking.constellation.name,
                    "platform": w.satellite.name,
                    "view:off_nadir": round(w.off_nadir_max_deg, 3),
                    "view:incidence_angle": round(w.incidence_deg, 3),
                    "view:sun_elevation": round(w.sun_elevation_deg, 3),
                    "sat:orbit_state": w.direction.value,
                    "eo:cloud_cover": out["expected_cloud_cover"],
                },
                "links": [],
            }
        )
    return features[:limit]


@router.post("/products/{product_id}/opportunities")
async def opportunities(
    product_id: str,
    request: Request,
    facade: FacadeDep,
    principal: PrincipalDep,
    prefer: Annotated[str | None, Header()] = None,
) -> Response:
    """Search the times this product can image an area.

    Answered at once, or, with ``Prefer: respond-async``, as a search record (201, with its
    ``Location``) whose results are read from ``/stapi/searches/opportunities/{id}``.
    """
    body = await read_json(request)
    features = await run_in_threadpool(_search, facade, principal, product_id, body)
    base = facade.base_url
    if prefer and "respond-async" in prefer:
        record = await run_in_threadpool(
            facade.tasking.keep_search, principal, product_id, body, features
        )
        doc = _record_json(record, base)
        headers = {"Location": doc["links"][0]["href"], "Preference-Applied": "respond-async"}
        return _doc(doc, 201, JSON, headers)
    return _doc({"type": "FeatureCollection", "features": features, "links": []}, media=GEOJSON)


def _record_json(record: SearchRecord, base: str) -> dict[str, Any]:
    href = f"{base}/stapi/searches/opportunities/{record.id}"
    return {
        "id": record.id,
        "product_id": record.product_id,
        "opportunity_request": record.request,
        "status": {
            "timestamp": format_datetime(record.updated_at),
            "status_code": record.status,
            "links": [],
        },  # fmt: skip
        "links": [
            {"href": href, "rel": "self", "type": JSON},
            {"href": f"{href}/opportunities", "rel": "opportunities", "type": GEOJSON},
        ],
    }


@router.get("/searches/opportunities")
def search_records(facade: FacadeDep, principal: PrincipalDep) -> Response:
    """Your latest asynchronous opportunity searches."""
    records = facade.tasking.searches(principal)
    base = facade.base_url
    return _doc({"search_records": [_record_json(r, base) for r in records], "links": []})


@router.get("/searches/opportunities/{search_id}")
def search_record(search_id: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """One asynchronous opportunity search and its status."""
    return _doc(_record_json(facade.tasking.search(principal, search_id), facade.base_url))


@router.get("/searches/opportunities/{search_id}/opportunities")
def search_results(search_id: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """What an asynchronous opportunity search found."""
    record = facade.tasking.search(principal, search_id)
    return _doc(
        {
            "type": "FeatureCollection",
            "id": record.id,
            "features": record.result or [],
            "links": [],
        },  # fmt: skip
        media=GEOJSON,
    )


@router.post("/products/{product_id}/orders")
async def create_order(
    product_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> Response:
    """Order new captures of this product (the same order the native API shows)."""
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ValidationFailed.on("body", "must be a JSON object")
    _product(facade, product_id)
    item = tr.tasking_item(product_id, body)
    name = (body.get("order_parameters") or {}).get("name") or f"STAPI {product_id}"
    try:
        parsed = TaskingItemIn.model_validate(item)
    except ValidationError as exc:
        raise ValidationFailed(
            detail="the order does not fit the product",
            errors=[FieldError(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()],
        ) from None
    request_ = OrderRequest(name=str(name), items=(parsed.to_request(),))
    placed = await run_in_threadpool(
        facade.orders.place, principal, request_, [parsed.model_dump(mode="json")]
    )
    order = placed.order
    doc = tr.order_json(order, facade.base_url)
    return _doc(doc, 201, GEOJSON, {"Location": doc["links"][0]["href"]})


def _stapi_order(facade: Facade, principal: Any, order_id: str) -> Order:
    order = facade.orders.get(principal, order_id).order
    if not tr.is_stapi_order(order):
        raise NotFound(f"order {order_id} has no tasking item; see /v1/orders/{order_id}")
    return order


TASKING_ORDERS = Condition("kind", Op.IN, ("tasking", "mixed"))
"""The orders STAPI shows: those with a tasking item."""


@router.get("/orders")
def list_orders(request: Request, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """Your tasking orders, newest first: ``limit`` (1-1000, default 25) and ``offset``.

    A ``next`` link follows while more orders remain.
    """
    query = parse_list_query(dict(request.query_params), {})
    page = facade.orders.list(principal, replace(query, conditions=(TASKING_ORDERS,)))
    base = facade.base_url
    features = [tr.order_json(o, base) for o in page.items]
    links = []
    if page.has_next:
        href = f"{base}/stapi/orders?limit={page.limit}&offset={page.offset + page.limit}"
        links.append({"href": href, "rel": "next", "type": GEOJSON})
    return _doc({"type": "FeatureCollection", "features": features, "links": links}, media=GEOJSON)


@router.get("/orders/{order_id}")
def get_order(order_id: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """One tasking order."""
    order = _stapi_order(facade, principal, order_id)
    return _doc(tr.order_json(order, facade.base_url), media=GEOJSON)


@router.get("/orders/{order_id}/statuses")
def order_statuses(order_id: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """The order's status history, newest first."""
    order = _stapi_order(facade, principal, order_id)
    events = facade.orders.events(principal, ListQuery(limit=1000), order.id).items
    return _doc({"statuses": tr.statuses_json(list(events)), "links": []})
