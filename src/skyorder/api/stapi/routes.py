"""STAPI at ``/stapi``: tasking products, opportunities, orders and their statuses.

A STAPI order is a native order with one tasking item: it is placed by the same service,
listed by ``GET /v1/orders`` and played out by the same engine.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.api.native.orders import item_json
from skyorder.api.stac.responses import json_body as read_json
from skyorder.api.stapi import translate as tr
from skyorder.core.catalog import format_datetime
from skyorder.core.errors import FieldError, NotFound, ValidationFailed
from skyorder.core.ids import new_id
from skyorder.core.listing import ListQuery
from skyorder.core.opportunities import OpportunityRequest
from skyorder.core.orders import Order
from skyorder.core.products import ItemKind, Product
from skyorder.runtime import Runtime
from skyorder.schemas.orders import OrderCreate
from skyorder.schemas.tasking import OpportunityOut
from skyorder.services import orders as orders_service
from skyorder.services import tasking
from skyorder.store.repositories.opportunity_searches import SearchRecord

router = APIRouter(prefix="/stapi", tags=["STAPI"])
JSON = "application/json"
GEOJSON = "application/geo+json"


def _base(runtime: Runtime) -> str:
    return runtime.settings.base_url()


def _product(runtime: Runtime, product_id: str) -> Product:
    with runtime.uow(readonly=True) as uow:
        product = uow.products.all().get(product_id)
    if product is None or product.kind is not ItemKind.TASKING:
        raise NotFound(f"product {product_id} not found; GET /stapi/products lists them")
    return product


def _doc(
    body: Any, status_code: int = 200, media: str = JSON, headers: dict[str, str] | None = None
) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type=media, headers=headers)


@router.get("")
def landing(runtime: RuntimeDep, _: PrincipalDep) -> Response:
    """The STAPI landing page."""
    base = _base(runtime)
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
def products(runtime: RuntimeDep, _: PrincipalDep) -> Response:
    """Every tasking product."""
    with runtime.uow(readonly=True) as uow:
        found = [p for p in uow.products.all().values() if p.kind is ItemKind.TASKING]
    base = _base(runtime)
    return _doc(
        {
            "type": "ProductCollection",
            "products": [tr.product_json(p, base) for p in found],
            "links": [{"href": f"{base}/stapi/products", "rel": "self", "type": JSON}],
        }
    )


@router.get("/products/{product_id}")
def product(product_id: str, runtime: RuntimeDep, _: PrincipalDep) -> Response:
    """One tasking product."""
    return _doc(tr.product_json(_product(runtime, product_id), _base(runtime)))


@router.get("/products/{product_id}/queryables")
def queryables(product_id: str, runtime: RuntimeDep, _: PrincipalDep) -> Response:
    """What an opportunity search or an order may constrain (JSON Schema)."""
    return _doc(tr.queryables(_product(runtime, product_id)))


@router.get("/products/{product_id}/order-parameters")
def order_parameters(product_id: str, runtime: RuntimeDep, _: PrincipalDep) -> Response:
    """The parameters an order of this product takes (JSON Schema)."""
    return _doc(tr.order_parameters(_product(runtime, product_id)))


def _search(runtime: Runtime, product_id: str, body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        raise ValidationFailed.on("body", "must be a JSON object")
    _product(runtime, product_id)
    start, end = tr.interval(body.get("datetime"), "datetime")
    limits = tr.constraints(body.get("filter"))
    request = OpportunityRequest(
        aoi=body.get("geometry"),  # type: ignore[arg-type]  # validated by the service
        start=start,
        end=end,
        max_off_nadir=limits.get("max_off_nadir"),
        product=product_id,
    )
    orbits = tasking.Orbits(runtime.constellation, runtime.ephemeris, runtime.cloud)
    with runtime.uow(readonly=True) as uow:
        products_by_sku = uow.products.all()
    found = tasking.find_opportunities(
        orbits, products_by_sku, request, runtime.clock.now(), runtime.settings.max_aoi_vertices
    )
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
                    "constellation": runtime.constellation.name,
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
    runtime: RuntimeDep,
    principal: PrincipalDep,
    prefer: Annotated[str | None, Header()] = None,
) -> Response:
    """Search the times this product can image an area.

    Answered at once, or, with ``Prefer: respond-async``, as a search record (201, with its
    ``Location``) whose results are read from ``/stapi/searches/opportunities/{id}``.
    """
    body = await read_json(request)
    features = await run_in_threadpool(_search, runtime, product_id, body)
    base = _base(runtime)
    if prefer and "respond-async" in prefer:
        now = runtime.clock.now()
        record = SearchRecord(new_id(), principal.organisation_id, product_id, body,
                              "completed", None, features, now, now)  # fmt: skip
        with runtime.uow() as uow:
            uow.opportunity_searches.add(record)
            uow.commit()
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


def _record(runtime: Runtime, principal: Any, search_id: str) -> SearchRecord:
    with runtime.uow(readonly=True) as uow:
        record = uow.opportunity_searches.get(principal, search_id)
    if record is None:
        raise NotFound(f"opportunity search {search_id} not found")
    return record


@router.get("/searches/opportunities")
def search_records(runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Your latest asynchronous opportunity searches."""
    with runtime.uow(readonly=True) as uow:
        records = uow.opportunity_searches.list(principal, 100)
    base = _base(runtime)
    return _doc({"search_records": [_record_json(r, base) for r in records], "links": []})


@router.get("/searches/opportunities/{search_id}")
def search_record(search_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """One asynchronous opportunity search and its status."""
    return _doc(_record_json(_record(runtime, principal, search_id), _base(runtime)))


@router.get("/searches/opportunities/{search_id}/opportunities")
def search_results(search_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """What an asynchronous opportunity search found."""
    record = _record(runtime, principal, search_id)
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
    product_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """Order new captures of this product (the same order the native API shows)."""
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ValidationFailed.on("body", "must be a JSON object")
    _product(runtime, product_id)
    item = tr.tasking_item(product_id, body)
    name = (body.get("order_parameters") or {}).get("name") or f"STAPI {product_id}"
    try:
        create = OrderCreate.model_validate({"name": name, "items": [item]})
    except ValidationError as exc:
        raise ValidationFailed(
            detail="the order does not fit the product",
            errors=[FieldError(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()],
        ) from None

    def place() -> Order:
        placed = orders_service.place_order(
            runtime.uow, runtime.clock, runtime.archive, principal, create.to_request(),
            orders_service.Placement(
                items_json=item_json(create), quote_id=None, idempotency=None, dry_run=False,
                base_url=_base(runtime), max_vertices=runtime.settings.max_aoi_vertices,
            ),
        )  # fmt: skip
        return placed.order

    order = await run_in_threadpool(place)
    doc = tr.order_json(order, _base(runtime))
    return _doc(doc, 201, GEOJSON, {"Location": doc["links"][0]["href"]})


def _stapi_order(runtime: Runtime, principal: Any, order_id: str) -> Order:
    with runtime.uow(readonly=True) as uow:
        order = orders_service.get_order(uow, principal, order_id)
    if not tr.is_stapi_order(order):
        raise NotFound(f"order {order_id} has no tasking item; see /v1/orders/{order_id}")
    return order


ORDERS_LIMIT = 100


@router.get("/orders")
def list_orders(
    runtime: RuntimeDep,
    principal: PrincipalDep,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=ORDERS_LIMIT,
            description=f"How many orders to return, 1 to {ORDERS_LIMIT}",
        ),
    ] = ORDERS_LIMIT,
) -> Response:
    """Your tasking orders, newest first (at most ``limit``, among your latest 100 orders)."""
    with runtime.uow(readonly=True) as uow:
        page = uow.orders.list(principal, ListQuery(conditions=(), limit=ORDERS_LIMIT, offset=0))
    base = _base(runtime)
    stapi_orders = [o for o in page.items if tr.is_stapi_order(o)][:limit]
    features = [tr.order_json(o, base) for o in stapi_orders]
    return _doc({"type": "FeatureCollection", "features": features, "links": []}, media=GEOJSON)


@router.get("/orders/{order_id}")
def get_order(order_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """One tasking order."""
    order = _stapi_order(runtime, principal, order_id)
    return _doc(tr.order_json(order, _base(runtime)), media=GEOJSON)


@router.get("/orders/{order_id}/statuses")
def order_statuses(order_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """The order's status history, newest first."""
    order = _stapi_order(runtime, principal, order_id)
    with runtime.uow(readonly=True) as uow:
        events = uow.events.list(
            principal, ListQuery(conditions=(), limit=1000, offset=0), order_id=order.id
        ).items
    return _doc({"statuses": tr.statuses_json(list(events)), "links": []})
