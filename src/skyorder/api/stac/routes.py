"""The STAC API: landing page, conformance, collections, items, search, queryables, transactions.

Handlers translate: they parse the request into a core ``SearchRequest`` (or a
STAC document for ingest), call the catalog services, and render STAC JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.api.paging import query_params
from skyorder.api.stac import render
from skyorder.api.stac.responses import GeoJSON, SchemaJSON, StacJSON, StacRoute, json_body
from skyorder.core.catalog_search import SearchRequest, search_from_json, search_from_params
from skyorder.core.tenants import Role
from skyorder.runtime import Runtime
from skyorder.services import catalog
from skyorder.services.scene_assets import scene_asset

router = APIRouter(route_class=StacRoute, tags=["STAC API"])

_SEARCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "collections": {"type": "array", "items": {"type": "string"}},
                        "ids": {"type": "array", "items": {"type": "string"}},
                        "bbox": {"type": "array", "items": {"type": "number"}},
                        "intersects": {"type": "object"},
                        "datetime": {"type": "string"},
                        "limit": {"type": "integer", "minimum": 1, "default": 10},
                        "token": {"type": "string"},
                        "query": {"type": "object"},
                        "filter": {},
                        "filter-lang": {"enum": ["cql2-json", "cql2-text"]},
                        "sortby": {"type": "array", "items": {"type": "object"}},
                        "fields": {"type": "object"},
                    },
                },
                "example": {
                    "collections": ["sentinel-2-l2a"],
                    "bbox": [-71.72, -27.68, -71.02, -27.06],
                    "limit": 5,
                    "query": {"eo:cloudcover": {"lte": 20}},
                },
            }
        },
    }
}
_SEARCH_PARAMS = {
    "parameters": [
        {"name": name, "in": "query", "schema": {"type": kind}, "description": text}
        for name, kind, text in (
            ("collections", "string", "comma list of collection ids"),
            ("ids", "string", "comma list of item ids"),
            ("bbox", "string", "west,south,east,north"),
            ("intersects", "string", "a GeoJSON geometry"),
            ("datetime", "string", "RFC 3339 instant or interval, e.g. 2024-01-01T00:00:00Z/.."),
            (
                "limit",
                "integer",
                "page size (default 10); above 10000 the page holds 10000, as STAC API requires",
            ),
            ("token", "string", "paging token from a next link"),
            ("query", "string", 'Query extension JSON, e.g. {"eo:cloud_cover":{"lte":20}}'),
            ("filter", "string", "CQL2 filter"),
            ("filter-lang", "string", "cql2-text (default) or cql2-json"),
            ("sortby", "string", "e.g. -properties.datetime,+id"),
            ("fields", "string", "e.g. id,-geometry,+properties.eo:cloud_cover"),
        )
    ]
}


def _page(
    request: Request,
    runtime: Runtime,
    search: SearchRequest,
    collection_id: str | None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    site = render.site(request, runtime)
    with runtime.uow(readonly=True, autocommit=True) as uow:
        if collection_id is None:
            page = catalog.search(uow, search)
        else:
            page = catalog.collection_items(uow, collection_id, search)
    features = [render.select_fields(render.item_json(site, i), search.fields) for i in page.items]
    links = [render.link("root", site.root)]
    if collection_id is None:
        links.insert(0, render.link("self", render.self_url(site, request), render.GEOJSON))
    else:
        collection_href = site.href(f"/collections/{collection_id}")
        links = [
            render.link("self", render.self_url(site, request), render.GEOJSON),
            render.link("root", site.root),
            render.link("parent", collection_href),
            render.link("collection", collection_href),
        ]
    if page.next_token is not None:
        links.append(
            render.post_link(site, request, body, page.next_token)
            if body is not None
            else render.get_link(site, request, page.next_token)
        )
    return render.feature_collection(site, features, links)


@router.get("", response_class=StacJSON, summary="Landing page")
@router.get("/", response_class=StacJSON, include_in_schema=False)
def landing_page(request: Request, runtime: RuntimeDep, _: PrincipalDep) -> StacJSON:
    """The STAC API landing page: conformance classes and links to everything else."""
    with runtime.uow(readonly=True) as uow:
        collections = uow.catalog.collections()
    return StacJSON(render.landing(render.site(request, runtime), collections))


@router.get("/conformance", response_class=StacJSON)
def conformance(_: PrincipalDep) -> StacJSON:
    """The conformance classes this API implements."""
    return StacJSON({"conformsTo": list(render.CONFORMANCE)})


@router.get("/collections", response_class=StacJSON)
def list_collections(request: Request, runtime: RuntimeDep, _: PrincipalDep) -> StacJSON:
    """Every collection of the archive."""
    site = render.site(request, runtime)
    with runtime.uow(readonly=True) as uow:
        collections = uow.catalog.collections()
    return StacJSON(
        {
            "collections": [render.collection_json(site, c) for c in collections],
            "links": [
                render.link("self", site.href("/collections")),
                render.link("root", site.root),
                render.link("parent", site.root),
            ],
        }
    )


@router.post("/collections", response_class=StacJSON, status_code=201)
async def create_collection(
    request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> StacJSON:
    """Create or replace a collection (STAC Transactions; API clients with the provider role)."""
    principal.require(Role.PROVIDER, "writing the catalog")
    data = await json_body(request)

    def work() -> StacJSON:
        with runtime.uow() as uow:
            created = catalog.ingest_collection(uow, runtime.clock, data)
            uow.commit()
        body = render.collection_json(render.site(request, runtime), created)
        return StacJSON(body, status_code=201)

    return await run_in_threadpool(work)


@router.get("/collections/{collection_id}", response_class=StacJSON)
def get_collection(
    collection_id: str, request: Request, runtime: RuntimeDep, _: PrincipalDep
) -> StacJSON:
    """One collection."""
    with runtime.uow(readonly=True) as uow:
        collection = catalog.get_collection(uow, collection_id)
    return StacJSON(render.collection_json(render.site(request, runtime), collection))


@router.get(
    "/collections/{collection_id}/items", response_class=GeoJSON, openapi_extra=_SEARCH_PARAMS
)
def collection_items(
    collection_id: str, request: Request, runtime: RuntimeDep, _: PrincipalDep
) -> GeoJSON:
    """The items of a collection, newest first; ``bbox``, ``datetime``, ``limit`` and paging.

    The search parameters of ``/search`` (query, filter, sortby, fields) work here too.
    """
    search = search_from_params(query_params(request))
    return GeoJSON(_page(request, runtime, search, collection_id))


@router.post("/collections/{collection_id}/items", response_class=GeoJSON, status_code=201)
async def add_items(
    collection_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """Add an item, or a FeatureCollection of items at once (STAC Transactions).

    Items with the id of an existing item replace it. Every item is validated
    first; one invalid item refuses the whole request with the fields named.
    Needs an API client with the provider role.
    """
    principal.require(Role.PROVIDER, "writing the catalog")
    data = await json_body(request)

    def work() -> Response:
        with runtime.uow() as uow:
            added = catalog.ingest_items(uow, runtime.clock, data, collection_id)
            uow.commit()
        site = render.site(request, runtime)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            return StacJSON({"added": len(added), "ids": [i.id for i in added]}, status_code=201)
        item = render.item_json(site, added[0])
        location = item["links"][0]["href"]
        return GeoJSON(item, status_code=201, headers={"Location": location})

    return await run_in_threadpool(work)


@router.get("/collections/{collection_id}/items/{item_id}", response_class=GeoJSON)
def get_item(
    collection_id: str, item_id: str, request: Request, runtime: RuntimeDep, _: PrincipalDep
) -> GeoJSON:
    """One item, with its assets."""
    with runtime.uow(readonly=True) as uow:
        item = catalog.get_item(uow, collection_id, item_id)
    return GeoJSON(render.item_json(render.site(request, runtime), item))


@router.get("/collections/{collection_id}/items/{item_id}/assets/{key}")
def get_item_asset(
    collection_id: str, item_id: str, key: str, runtime: RuntimeDep, _: PrincipalDep
) -> FileResponse:
    """Download one asset of an archive item (its scene is made on first request).

    Range requests are honoured. Without the provider's own files the scene is
    synthesized deterministically from the item's id, footprint, date and cloud cover.
    """
    with runtime.uow(readonly=True) as uow:
        found = scene_asset(uow, runtime.imagery, collection_id, item_id, key)
    return FileResponse(found.path, media_type=found.media_type, filename=found.name)


@router.get("/search", response_class=GeoJSON, openapi_extra=_SEARCH_PARAMS)
def search_get(request: Request, runtime: RuntimeDep, _: PrincipalDep) -> GeoJSON:
    """Search items across collections (query parameters)."""
    search = search_from_params(query_params(request))
    return GeoJSON(_page(request, runtime, search, None))


@router.post("/search", response_class=GeoJSON, openapi_extra=_SEARCH_BODY)
async def search_post(request: Request, runtime: RuntimeDep, _: PrincipalDep) -> GeoJSON:
    """Search items across collections (JSON body): bbox or intersects, datetime, ids,
    collections, limit, token, query, filter (CQL2 JSON or text), sortby and fields.
    """
    body = await json_body(request)
    search = search_from_json(body)
    page = await run_in_threadpool(_page, request, runtime, search, None, body)
    return GeoJSON(page)


@router.get("/queryables", response_class=SchemaJSON)
def all_queryables(request: Request, runtime: RuntimeDep, _: PrincipalDep) -> SchemaJSON:
    """The properties filters may use, as JSON Schema."""
    url = render.site(request, runtime).href("/queryables")
    return SchemaJSON(render.queryables(url, "Queryables of the skyorder archive"))


@router.get("/collections/{collection_id}/queryables", response_class=SchemaJSON)
def collection_queryables(
    collection_id: str, request: Request, runtime: RuntimeDep, _: PrincipalDep
) -> SchemaJSON:
    """The properties filters on one collection may use, as JSON Schema."""
    with runtime.uow(readonly=True) as uow:
        collection = catalog.get_collection(uow, collection_id)
    url = render.site(request, runtime).href(f"/collections/{collection_id}/queryables")
    return SchemaJSON(render.queryables(url, f"Queryables of {collection.title}"))
