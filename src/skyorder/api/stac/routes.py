"""The STAC API: landing page, conformance, collections, items, search, queryables, transactions.

Handlers translate: they parse the request into a core ``SearchRequest`` (or a
STAC document for ingest), call the catalog façade, and render STAC JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from skyorder.api.bodies import json_body
from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.paging import query_params
from skyorder.api.stac import render
from skyorder.api.stac.responses import GeoJSON, SchemaJSON, StacJSON
from skyorder.core.catalog_search import SearchRequest, search_from_json, search_from_params
from skyorder.core.resolutions import Resolution
from skyorder.core.tenants import Principal
from skyorder.facade import Facade

router = APIRouter(tags=["STAC API"])

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
    facade: Facade,
    principal: Principal,
    search: SearchRequest,
    collection_id: str | None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    site = render.site(request, facade)
    page = facade.catalog.search(search, collection_id, principal)
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
def landing_page(request: Request, facade: FacadeDep, _: PrincipalDep) -> StacJSON:
    """The STAC API landing page: conformance classes and links to everything else."""
    collections = facade.catalog.collections()
    return StacJSON(render.landing(render.site(request, facade), collections))


@router.get("/conformance", response_class=StacJSON)
def conformance(_: PrincipalDep) -> StacJSON:
    """The conformance classes this API implements."""
    return StacJSON({"conformsTo": list(render.CONFORMANCE)})


@router.get("/collections", response_class=StacJSON)
def list_collections(request: Request, facade: FacadeDep, _: PrincipalDep) -> StacJSON:
    """Every collection of the archive."""
    site = render.site(request, facade)
    collections = facade.catalog.collections()
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
    request: Request, facade: FacadeDep, principal: PrincipalDep
) -> StacJSON:
    """Create a collection (STAC Transactions; API clients with the provider role).

    The collection belongs to the caller's organisation: only its provider
    clients write it and its items. An id that exists answers 409; change a
    collection with PUT or PATCH.
    """
    data = await json_body(request)
    created = await run_in_threadpool(facade.catalog.create_collection, principal, data)
    body = render.collection_json(render.site(request, facade), created)
    return StacJSON(body, status_code=201)


@router.put("/collections/{collection_id}", response_class=StacJSON)
async def replace_collection(
    collection_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> StacJSON:
    """Replace a collection's description (its owner's provider clients only).

    The extent follows the collection's items and is kept.
    """
    data = await json_body(request)
    updated = await run_in_threadpool(
        facade.catalog.replace_collection, principal, collection_id, data
    )
    return StacJSON(render.collection_json(render.site(request, facade), updated))


@router.patch("/collections/{collection_id}", response_class=StacJSON)
async def patch_collection(
    collection_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> StacJSON:
    """Change part of a collection with a JSON merge patch (its owner's provider clients only).

    Members in the body replace the collection's; ``null`` removes one.
    """
    patch = await json_body(request)
    updated = await run_in_threadpool(
        facade.catalog.patch_collection, principal, collection_id, patch
    )
    return StacJSON(render.collection_json(render.site(request, facade), updated))


@router.delete("/collections/{collection_id}", status_code=204, response_class=Response)
def delete_collection(collection_id: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """Delete an empty collection (its owner's provider clients only).

    A collection that still holds items answers 409: delete its items first.
    """
    facade.catalog.delete_collection(principal, collection_id)
    return Response(status_code=204)


@router.get("/collections/{collection_id}", response_class=StacJSON)
def get_collection(
    collection_id: str, request: Request, facade: FacadeDep, _: PrincipalDep
) -> StacJSON:
    """One collection."""
    collection = facade.catalog.collection(collection_id)
    return StacJSON(render.collection_json(render.site(request, facade), collection))


@router.get(
    "/collections/{collection_id}/items", response_class=GeoJSON, openapi_extra=_SEARCH_PARAMS
)
def collection_items(
    collection_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> GeoJSON:
    """The items of a collection, newest first; ``bbox``, ``datetime``, ``limit`` and paging.

    The search parameters of ``/search`` (query, filter, sortby, fields) work here too.
    """
    search = search_from_params(query_params(request))
    return GeoJSON(_page(request, facade, principal, search, collection_id))


@router.post("/collections/{collection_id}/items", response_class=GeoJSON, status_code=201)
async def add_items(
    collection_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> Response:
    """Add an item, or a FeatureCollection of items at once (STAC Transactions).

    Every item is validated first; one invalid item refuses the whole request
    with the fields named. An id that exists in the collection answers 409 and
    nothing is written: change an item with PUT or PATCH. Needs an API client
    with the provider role, of the organisation that owns the collection.
    """
    data = await json_body(request)
    added = await run_in_threadpool(facade.catalog.create_items, principal, data, collection_id)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return StacJSON({"added": len(added), "ids": [i.id for i in added]}, status_code=201)
    item = render.item_json(render.site(request, facade), added[0])
    location = item["links"][0]["href"]
    return GeoJSON(item, status_code=201, headers={"Location": location})


@router.put("/collections/{collection_id}/items/{item_id}", response_class=GeoJSON)
async def replace_item(
    collection_id: str,
    item_id: str,
    request: Request,
    facade: FacadeDep,
    principal: PrincipalDep,
) -> GeoJSON:
    """Replace an item with a new STAC document (the collection owner's provider clients only)."""
    data = await json_body(request)
    updated = await run_in_threadpool(
        facade.catalog.replace_item, principal, collection_id, item_id, data
    )
    return GeoJSON(render.item_json(render.site(request, facade), updated))


@router.patch("/collections/{collection_id}/items/{item_id}", response_class=GeoJSON)
async def patch_item(
    collection_id: str,
    item_id: str,
    request: Request,
    facade: FacadeDep,
    principal: PrincipalDep,
) -> GeoJSON:
    """Change part of an item with a JSON merge patch (the collection owner's provider clients).

    Members in the body replace the item's (``properties`` merge member by
    member); ``null`` removes one. A new geometry gets its price worked out again.
    """
    patch = await json_body(request)
    updated = await run_in_threadpool(
        facade.catalog.patch_item, principal, collection_id, item_id, patch
    )
    return GeoJSON(render.item_json(render.site(request, facade), updated))


@router.delete(
    "/collections/{collection_id}/items/{item_id}", status_code=204, response_class=Response
)
def delete_item(
    collection_id: str, item_id: str, facade: FacadeDep, principal: PrincipalDep
) -> Response:
    """Delete an item (the collection owner's provider clients only).

    A scene that any order buys stays, since its deliverables are made from it:
    deleting it answers 409.
    """
    facade.catalog.delete_item(principal, collection_id, item_id)
    return Response(status_code=204)


@router.get("/collections/{collection_id}/items/{item_id}", response_class=GeoJSON)
def get_item(
    collection_id: str, item_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> GeoJSON:
    """One item, with its assets and its price under your contract."""
    item = facade.catalog.item(collection_id, item_id, principal)
    return GeoJSON(render.item_json(render.site(request, facade), item))


@router.get("/collections/{collection_id}/items/{item_id}/assets/{key}")
def get_item_asset(
    collection_id: str,
    item_id: str,
    key: str,
    facade: FacadeDep,
    principal: PrincipalDep,
    resolution: str | None = Query(
        None,
        description="`sandbox` (default): a coarse scene, made in well under a second; "
        "`full`: the server's full resolution (slower to make the first time).",
    ),
) -> FileResponse:
    """Download one asset of an archive item (made, that asset only, on first request).

    Range requests are honoured. Without the provider's own files the scene is
    synthesized deterministically from the item's id, footprint, date and cloud cover,
    at a sandbox resolution unless ``resolution=full`` is asked for; either way the
    files are real (COGs, PNG, JSON) in the scene's UTM zone, covering its footprint.
    Where the server is set so (`archive_assets`: `ordered`, the default on the real
    clock), the data (`pan`, `ms`, `analytic`, `visual`) is only for the collection's
    owner and for organisations with an accepted order of the whole scene (403 otherwise);
    `thumbnail` and `metadata` are open to every signed-in caller.
    """
    found = facade.catalog.asset_file(
        principal, collection_id, item_id, key, Resolution.parse(resolution)
    )
    return FileResponse(found.path, media_type=found.media_type, filename=found.name)


@router.get("/search", response_class=GeoJSON, openapi_extra=_SEARCH_PARAMS)
def search_get(request: Request, facade: FacadeDep, principal: PrincipalDep) -> GeoJSON:
    """Search items across collections (query parameters)."""
    search = search_from_params(query_params(request))
    return GeoJSON(_page(request, facade, principal, search, None))


@router.post("/search", response_class=GeoJSON, openapi_extra=_SEARCH_BODY)
async def search_post(request: Request, facade: FacadeDep, principal: PrincipalDep) -> GeoJSON:
    """Search items across collections (JSON body): bbox or intersects, datetime, ids,
    collections, limit, token, query, filter (CQL2 JSON or text), sortby and fields.
    """
    body = await json_body(request)
    search = search_from_json(body)
    page = await run_in_threadpool(_page, request, facade, principal, search, None, body)
    return GeoJSON(page)


@router.get("/queryables", response_class=SchemaJSON)
def all_queryables(request: Request, facade: FacadeDep, _: PrincipalDep) -> SchemaJSON:
    """The properties filters may use, as JSON Schema."""
    url = render.site(request, facade).href("/queryables")
    return SchemaJSON(render.queryables(url, "Queryables of the skyorder archive"))


@router.get("/collections/{collection_id}/queryables", response_class=SchemaJSON)
def collection_queryables(
    collection_id: str, request: Request, facade: FacadeDep, _: PrincipalDep
) -> SchemaJSON:
    """The properties filters on one collection may use, as JSON Schema."""
    collection = facade.catalog.collection(collection_id)
    url = render.site(request, facade).href(f"/collections/{collection_id}/queryables")
    return SchemaJSON(render.queryables(url, f"Queryables of {collection.title}"))
