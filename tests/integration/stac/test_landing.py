from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.integration.stac.conftest import Stac

CORE = "https://api.stacspec.org/v1.0.0/core"


def rels(doc: dict[str, Any]) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in doc["links"]}


def test_the_landing_page_links_conformance_collections_search_and_queryables(
    stac: Stac,
) -> None:
    landing = stac.get().json()
    links = rels(landing)
    assert landing["type"] == "Catalog" and CORE in landing["conformsTo"]
    assert links["self"] == "http://testserver/stac"
    assert links["data"] == "http://testserver/stac/collections"
    assert links["search"] == "http://testserver/stac/search"
    assert links["http://www.opengis.net/def/rel/ogc/1.0/queryables"].endswith("/stac/queryables")
    children = [lk["href"].rsplit("/", 1)[1] for lk in landing["links"] if lk["rel"] == "child"]
    assert sorted(children) == [
        "hyperspectral",
        "micro-fleet-l1",
        "phr",
        "pneo",
        "sentinel-2-l2a",
        "spot",
        "vhr30",
    ]


def test_the_datacosmos_mount_serves_the_same_api_with_its_own_links(
    client: TestClient, stac: Stac
) -> None:
    datacosmos = Stac(client, stac.headers, "/api/data/v0/stac")
    landing = datacosmos.get().json()
    assert rels(landing)["search"] == "http://testserver/api/data/v0/stac/search"
    item = datacosmos.search(collections=["phr"], limit=1)["features"][0]
    assert item["links"][0]["href"].startswith("http://testserver/api/data/v0/stac/collections/")
    assert item["assets"]["pan"]["href"].startswith("http://testserver/api/data/v0/stac/")


def test_conformance_lists_the_extensions(stac: Stac) -> None:
    classes = stac.get("/conformance").json()["conformsTo"]
    for suffix in ("item-search#sort", "item-search#fields", "item-search#query"):
        assert f"https://api.stacspec.org/v1.0.0/{suffix}" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in classes


def test_every_catalog_route_requires_credentials(client: TestClient, stac: Stac) -> None:
    for path in ("/stac", "/stac/collections", "/stac/search", "/stac/queryables"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_a_collection_carries_its_extent_and_links(stac: Stac) -> None:
    phr = stac.get("/collections/phr").json()
    west, south, east, north = phr["extent"]["spatial"]["bbox"][0]
    assert west <= -104.8 and east >= 4.7 and south <= 39.7 and north >= 50.8
    start, end = phr["extent"]["temporal"]["interval"][0]
    assert start <= "2022-01-23T10:49:18Z" <= end
    assert {lk["rel"] for lk in phr["links"]} >= {"self", "root", "parent", "items"}
    listed = stac.get("/collections").json()
    assert {c["id"] for c in listed["collections"]} >= {"phr", "sentinel-2-l2a"}


def test_an_unknown_collection_is_404_in_stac_error_shape(stac: Stac) -> None:
    response = stac.get("/collections/nope")
    assert response.status_code == 404
    assert response.json()["code"] == "not-found"
    assert "nope" in response.json()["description"]
    assert stac.get("/collections/phr/items/nope").status_code == 404


def test_queryables_are_json_schema_with_their_own_url(stac: Stac) -> None:
    response = stac.get("/queryables")
    assert response.headers["content-type"] == "application/schema+json"
    schema = response.json()
    assert schema["$id"] == "http://testserver/stac/queryables"
    assert schema["properties"]["eo:cloud_cover"]["maximum"] == 100
    scoped = stac.get("/collections/phr/queryables").json()
    assert scoped["$id"] == "http://testserver/stac/collections/phr/queryables"
