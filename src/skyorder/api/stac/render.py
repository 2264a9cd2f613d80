"""STAC documents: the landing page, collections, items and item collections, with links.

Links are absolute, built from the server's public URL (or the request's) and
the mount point of the STAC API (``/stac``, or ``/api/data/v0/stac`` where
DataCosmos documents it). Asset hrefs stored as server paths (``/stac/...``)
are made absolute the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from skyorder.api.frontend import mount_of
from skyorder.core.catalog import (
    QUERYABLES,
    STAC_VERSION,
    CatalogItem,
    Collection,
    QueryableType,
    format_datetime,
)
from skyorder.core.catalog_search import FieldsSpec
from skyorder.facade import Facade

GEOJSON = "application/geo+json"
JSON = "application/json"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
DEFAULT_FIELDS = (
    "type",
    "stac_version",
    "stac_extensions",
    "id",
    "collection",
    "geometry",
    "bbox",
    "links",
    "assets",
    "properties.datetime",
)
ALWAYS_FIELDS = ("type", "stac_version", "id", "collection")
STAC_API = "https://api.stacspec.org/v1.0.0"
FILTER_EXT = "https://api.stacspec.org/v1.0.0-rc.2"
CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf"
OGC_FEATURES = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf"
CONFORMANCE = (
    f"{STAC_API}/core",
    f"{STAC_API}/collections",
    f"{STAC_API}/ogcapi-features",
    f"{STAC_API}/item-search",
    f"{STAC_API}/item-search#fields",
    f"{STAC_API}/item-search#sort",
    f"{STAC_API}/item-search#query",
    f"{STAC_API}/ogcapi-features#fields",
    f"{STAC_API}/ogcapi-features#sort",
    f"{STAC_API}/ogcapi-features#query",
    f"{STAC_API}/ogcapi-features/extensions/transaction",
    f"{FILTER_EXT}/item-search#filter",
    f"{FILTER_EXT}/ogcapi-features#filter",
    f"{OGC_FEATURES}/core",
    f"{OGC_FEATURES}/oas30",
    f"{OGC_FEATURES}/geojson",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    f"{CQL2}/cql2-text",
    f"{CQL2}/cql2-json",
    f"{CQL2}/basic-cql2",
    f"{CQL2}/advanced-comparison-operators",
    f"{CQL2}/basic-spatial-functions",
    f"{CQL2}/basic-spatial-functions-plus",
    f"{CQL2}/spatial-functions",
    f"{CQL2}/temporal-functions",
    f"{CQL2}/property-property",
    # the names the 1.0.0 drafts used, which clients and validators still look for
    f"{CQL2}/basic-spatial-operators",
    f"{CQL2}/spatial-operators",
    f"{CQL2}/temporal-operators",
)


@dataclass(frozen=True)
class Site:
    """Where the STAC API answers: the server's base URL and the API's mount point."""

    base: str
    mount: str

    @property
    def root(self) -> str:
        """The landing page URL."""
        return self.base + self.mount

    def href(self, path: str) -> str:
        """An absolute URL for a path under the STAC root."""
        return f"{self.root}{path}"

    def asset_href(self, href: str) -> str:
        """Stored server paths become absolute URLs under this mount; others stay as they are."""
        if href.startswith("/stac/"):
            return self.root + href[len("/stac") :]
        if href.startswith("/"):
            return self.base + href
        return href


def site(request: Request, facade: Facade) -> Site:
    """The site of a request (``SKYORDER_PUBLIC_URL`` wins over the request's host)."""
    base = facade.settings.public_url or str(request.base_url)
    return Site(base.rstrip("/"), mount_of(request, "/stac"))


def link(rel: str, href: str, kind: str = JSON, **extra: Any) -> dict[str, Any]:
    """A STAC link object."""
    return {"rel": rel, "type": kind, "href": href, **extra}


def landing(s: Site, collections: Sequence[Collection]) -> dict[str, Any]:
    """The landing page: what the API conforms to and where everything is."""
    links = [
        link("self", s.root, title="This landing page"),
        link("root", s.root, title="skyorder archive"),
        link("conformance", s.href("/conformance"), title="Conformance classes"),
        link("data", s.href("/collections"), title="Collections"),
        link("search", s.href("/search"), GEOJSON, method="GET", title="Search (GET)"),
        link("search", s.href("/search"), GEOJSON, method="POST", title="Search (POST)"),
        link(QUERYABLES_REL, s.href("/queryables"), "application/schema+json", title="Queryables"),
        link("service-desc", f"{s.base}/openapi.json", title="OpenAPI definition"),
        link("service-doc", f"{s.base}/docs", "text/html", title="API documentation"),
    ]
    links += [link("child", s.href(f"/collections/{c.id}"), title=c.title) for c in collections]
    return {
        "type": "Catalog",
        "stac_version": STAC_VERSION,
        "id": "skyorder",
        "title": "skyorder archive",
        "description": "Archive scenes on offer: search them here, price and order them "
        "through the ordering APIs.",
        "conformsTo": list(CONFORMANCE),
        "links": links,
    }


def collection_json(s: Site, collection: Collection) -> dict[str, Any]:
    """A collection document with its links."""
    fields = dict(collection.fields)
    extent = fields.pop("extent", None) or {
        "spatial": {"bbox": [[-180.0, -90.0, 180.0, 90.0]]},
        "temporal": {"interval": [[None, None]]},
    }
    href = s.href(f"/collections/{collection.id}")
    return {
        "type": "Collection",
        "stac_version": STAC_VERSION,
        "stac_extensions": fields.pop("stac_extensions", []),
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "license": collection.license,
        "extent": extent,
        **fields,
        "links": [
            link("self", href, title=collection.title),
            link("root", s.root, title="skyorder archive"),
            link("parent", s.root, title="skyorder archive"),
            link("items", f"{href}/items", GEOJSON, title="Items"),
            link(
                QUERYABLES_REL, f"{href}/queryables", "application/schema+json", title="Queryables"
            ),
        ],
    }


def item_json(s: Site, item: CatalogItem) -> dict[str, Any]:
    """A STAC item with its links and absolute asset hrefs."""
    collection_href = s.href(f"/collections/{item.collection}")
    return {
        "type": "Feature",
        "stac_version": STAC_VERSION,
        "stac_extensions": list(item.stac_extensions),
        "id": item.id,
        "collection": item.collection,
        "geometry": item.geometry,
        "bbox": item.bbox.as_list(),
        "properties": item.properties
        if "datetime" in item.properties
        else {"datetime": format_datetime(item.datetime), **item.properties},
        "links": [
            link("self", f"{collection_href}/items/{item.id}", GEOJSON),
            link("parent", collection_href),
            link("collection", collection_href),
            link("root", s.root),
        ],
        "assets": {
            key: {**asset, "href": s.asset_href(str(asset.get("href", "")))}
            for key, asset in item.assets.items()
        },
    }


def feature_collection(
    s: Site, items: Sequence[Any], links: list[dict[str, Any]]
) -> dict[str, Any]:
    """An item collection page."""
    return {
        "type": "FeatureCollection",
        "features": list(items),
        "links": links,
        "numberReturned": len(items),
    }


def get_link(s: Site, request: Request, token: str) -> dict[str, Any]:
    """The ``next`` link of a GET page: the same query with the next token."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    params.append(("token", token))
    return link("next", f"{s.base}{request.url.path}?{urlencode(params)}", GEOJSON, method="GET")


def post_link(s: Site, request: Request, body: Mapping[str, Any], token: str) -> dict[str, Any]:
    """The ``next`` link of a POST search: the same body with the next token."""
    return link(
        "next",
        f"{s.base}{request.url.path}",
        GEOJSON,
        method="POST",
        body={**body, "token": token},
        merge=False,
    )


def self_url(s: Site, request: Request) -> str:
    """The URL of this request (its query string included)."""
    query = request.url.query
    return f"{s.base}{request.url.path}" + (f"?{query}" if query else "")


def queryables(url: str, title: str) -> dict[str, Any]:
    """The queryables as JSON Schema (other properties are queryable too, as JSON)."""
    props: dict[str, Any] = {}
    for q in QUERYABLES.values():
        schema: dict[str, Any] = {"title": q.title}
        if q.type is QueryableType.GEOMETRY:
            schema["$ref"] = "https://geojson.org/schema/Geometry.json"
        elif q.type is QueryableType.DATETIME:
            schema.update(type="string", format="date-time")
        elif q.type is QueryableType.ARRAY:
            schema.update(type="array", items={"type": "string"})
        else:
            schema["type"] = q.type.value
        if q.minimum is not None:
            schema["minimum"] = q.minimum
        if q.maximum is not None:
            schema["maximum"] = q.maximum
        props[q.name] = schema
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": url,
        "type": "object",
        "title": title,
        "properties": props,
        "additionalProperties": True,
    }


def _split(path: str, item: Mapping[str, Any]) -> list[str]:
    if path.startswith("properties."):
        return ["properties", path[len("properties.") :]]
    if path not in item and "." not in path and path in item.get("properties", {}):
        return ["properties", path]
    return path.split(".", 1)


def _pick(item: Mapping[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in paths:
        parts = _split(path, item)
        if parts[0] not in item:
            continue
        if len(parts) == 1 or not isinstance(item[parts[0]], dict):
            out[parts[0]] = item[parts[0]]
            continue
        inner = item[parts[0]]
        if parts[1] in inner:
            target = out.setdefault(parts[0], {})
            if isinstance(target, dict):
                target[parts[1]] = inner[parts[1]]
    return out


def _drop(item: dict[str, Any], path: str, keep: Sequence[str]) -> None:
    parts = _split(path, item)
    if parts[0] not in item:
        return
    if len(parts) == 1:
        if any(k.startswith(f"{parts[0]}.") for k in keep):
            return  # a more specific include wins: keep only those nested fields
        del item[parts[0]]
    elif isinstance(item[parts[0]], dict):
        inner = dict(item[parts[0]])
        inner.pop(parts[1], None)
        item[parts[0]] = inner


def select_fields(item: dict[str, Any], spec: FieldsSpec | None) -> dict[str, Any]:
    """Apply the Fields extension (include wins over exclude; the specific path wins)."""
    if spec is None:
        return item
    exclude = [e for e in spec.exclude if spec.include is None or e not in spec.include]
    if spec.include is None:
        out = dict(item)
        keep: tuple[str, ...] = ()
    else:
        keep = spec.include or DEFAULT_FIELDS
        chosen = list(keep) + (list(ALWAYS_FIELDS) if spec.include else [])
        out = _pick(item, chosen)
    for path in exclude:
        _drop(out, path, keep)
    return out
