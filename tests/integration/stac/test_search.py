from __future__ import annotations

import json

import pytest
from shapely.geometry import box, shape

from tests.factories import TOULOUSE
from tests.integration.stac.conftest import Stac, ids, next_link

CHILE = [-71.72, -27.68, -71.02, -27.06]
DOC_SCENE = "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"


def test_the_datacosmos_example_finds_low_cloud_sentinel_2_scenes_with_prices(
    stac: Stac,
) -> None:
    page = stac.search(
        collections=["sentinel-2-l2a"],
        bbox=CHILE,
        limit=5,
        query={"eo:cloudcover": {"lte": 20}},
    )
    assert len(page["features"]) == 5
    for feature in page["features"]:
        props = feature["properties"]
        assert feature["collection"] == "sentinel-2-l2a"
        assert props["eo:cloud_cover"] <= 20
        assert isinstance(props["opencosmos:price"], int)
        assert props["opencosmos:price_currency"] == "CREDITS"
        assert props["skyorder:processing_levels"] == ["L2A"]
        assert shape(feature["geometry"]).intersects(box(*CHILE))


def test_the_oneatlas_scene_covers_the_toulouse_aoi(stac: Stac) -> None:
    page = stac.search(collections=["phr"], intersects=TOULOUSE, limit=50)
    assert DOC_SCENE in ids(page)
    scene = next(f for f in page["features"] if f["id"] == DOC_SCENE)
    assert shape(scene["geometry"]).contains(shape(TOULOUSE))
    assert scene["properties"]["platform"] == "PHR1A"
    assert scene["properties"]["datetime"] == "2022-01-23T10:49:18Z"


@pytest.mark.parametrize(
    "where",
    [
        [-104.776331, 39.790956, -104.775823, 39.791346],  # OneAtlas Denver
        [4.705066, 50.865764, 4.714937, 50.869271],  # OneAtlas Leuven
    ],
)
def test_the_oneatlas_places_have_pleiades_scenes(stac: Stac, where: list[float]) -> None:
    assert stac.search(collections=["phr"], bbox=where)["features"]


def test_mar_del_plata_has_micro_fleet_scenes(stac: Stac) -> None:
    point = {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}
    page = stac.search(collections=["micro-fleet-l1"], intersects=point)
    assert len(page["features"]) >= 5


def test_bbox_search_is_exact_not_just_bounding_boxes(stac: Stac) -> None:
    scene = stac.get(f"/collections/phr/items/{DOC_SCENE}").json()
    footprint = shape(scene["geometry"])
    west, south, east, north = footprint.bounds
    # a tiny box in the corner of the footprint's bounding box, outside the tilted strip
    corner = box(west, north - 0.001, west + 0.001, north)
    assert not footprint.intersects(corner)
    page = stac.search(ids=[DOC_SCENE], bbox=list(corner.bounds))
    assert page["features"] == []
    assert ids(stac.search(ids=[DOC_SCENE], bbox=[west, south, east, north])) == [DOC_SCENE]


def test_get_and_post_search_agree(stac: Stac) -> None:
    body = stac.search(collections=["phr"], bbox=[1.3, 43.5, 1.6, 43.7], limit=20)
    query = stac.search_get(collections="phr", bbox="1.3,43.5,1.6,43.7", limit="20")
    assert ids(body) == ids(query) and ids(body)


@pytest.mark.parametrize(
    ("interval", "check"),
    [
        ("2024-01-01T00:00:00Z/..", lambda d: d >= "2024-01-01T00:00:00Z"),
        ("../2021-01-01T00:00:00Z", lambda d: d <= "2021-01-01T00:00:00Z"),
        ("2022-01-01T00:00:00Z/2022-12-31T23:59:59Z", lambda d: d.startswith("2022")),
        ("2022-01-23T10:49:18Z", lambda d: d == "2022-01-23T10:49:18Z"),
    ],
)
def test_datetime_instants_and_open_intervals(stac: Stac, interval: str, check) -> None:  # type: ignore[no-untyped-def]
    page = stac.search_get(datetime=interval, limit="100")
    dates = [f["properties"]["datetime"] for f in page["features"]]
    assert dates and all(check(d) for d in dates)


def test_results_come_newest_first_and_respect_the_limit(stac: Stac) -> None:
    page = stac.search(limit=7)
    dates = [f["properties"]["datetime"] for f in page["features"]]
    assert len(dates) == 7 and dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_paging_visits_every_match_exactly_once(stac: Stac, method: str) -> None:
    request = {"collections": ["micro-fleet-l1"], "limit": 17}
    expected = ids(stac.search(collections=["micro-fleet-l1"], limit=10_000))
    seen: list[str] = []
    if method == "POST":
        page = stac.search(**request)
    else:
        page = stac.search_get(collections="micro-fleet-l1", limit="17")
    while True:
        seen += ids(page)
        link = next_link(page)
        if link is None:
            break
        assert link["method"] == method
        if method == "POST":
            response = stac.client.post(link["href"], json=link["body"], headers=stac.headers)
        else:
            response = stac.client.get(link["href"], headers=stac.headers)
        assert response.status_code == 200
        page = response.json()
    assert seen == expected and len(seen) > 17


def test_paging_a_sort_on_a_sometimes_missing_property_stays_complete(stac: Stac) -> None:
    expected = set(ids(stac.search(collections=["phr"], limit=10_000)))
    seen: list[str] = []
    body = {"collections": ["phr"], "limit": 9, "sortby": [{"field": "view:incidence_angle"}]}
    page = stac.search(**body)
    while True:
        seen += ids(page)
        link = next_link(page)
        if link is None:
            break
        page = stac.search(**link["body"])
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_sortby_ascending_and_descending(stac: Stac) -> None:
    page = stac.search_get(sortby="+properties.eo:cloud_cover", limit="50")
    clouds = [f["properties"]["eo:cloud_cover"] for f in page["features"]]
    assert clouds == sorted(clouds)
    page = stac.search(sortby=[{"field": "properties.view:off_nadir", "direction": "desc"}])
    angles = [f["properties"]["view:off_nadir"] for f in page["features"]]
    assert angles == sorted(angles, reverse=True)


def test_ids_and_collections_combine_with_other_filters(stac: Stac) -> None:
    assert ids(stac.search(ids=[DOC_SCENE])) == [DOC_SCENE]
    assert stac.search(ids=[DOC_SCENE], collections=["vhr30"])["features"] == []
    assert stac.search(ids=[DOC_SCENE], bbox=[20, 20, 21, 21])["features"] == []


def test_query_extension_operators(stac: Stac) -> None:
    page = stac.search(collections=["phr"], query={"platform": {"in": ["PHR1B"]}}, limit=30)
    assert {f["properties"]["platform"] for f in page["features"]} == {"PHR1B"}
    page = stac.search(query={"eo:cloud_cover": {"gt": "50", "lte": 80}}, limit=30)
    assert all(50 < f["properties"]["eo:cloud_cover"] <= 80 for f in page["features"])
    page = stac.search(query={"platform": {"startsWith": "SKY-0"}}, limit=30)
    assert page["features"] and all(
        f["properties"]["platform"].startswith("SKY-0") for f in page["features"]
    )
    page = stac.search_get(query=json.dumps({"constellation": {"neq": "pleiades"}}))
    assert all(f["properties"]["constellation"] != "pleiades" for f in page["features"])


def test_fields_include_exclude(stac: Stac) -> None:
    item = stac.search(limit=1, fields={"include": ["properties.eo:cloud_cover"]})["features"][0]
    assert set(item) == {"type", "stac_version", "id", "collection", "properties"}
    assert set(item["properties"]) == {"eo:cloud_cover"}
    item = stac.search_get(limit="1", fields="-geometry,-assets")["features"][0]
    assert "geometry" not in item and "assets" not in item and "bbox" in item
    item = stac.search(limit=1, fields={"exclude": ["properties.gsd"]})["features"][0]
    assert "gsd" not in item["properties"] and "platform" in item["properties"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "0,10,1,5"}, "bbox"),
        ({"datetime": "2020-13-01T00:00:00Z"}, "datetime"),
        ({"datetime": "../.."}, "datetime"),
        ({"datetime": "2021-01-01T00:00:00Z/2020-01-01T00:00:00Z"}, "datetime"),
        ({"intersects": "{not json"}, "intersects"),
        ({"bbox": "0,0,1,1", "intersects": json.dumps(TOULOUSE)}, "intersects"),
        ({"query": json.dumps({"eo:cloud_cover": {"near": 1}})}, "query.eo:cloud_cover.near"),
        ({"query": json.dumps({"eo:cloud_cover": {"lt": "low"}})}, "query.eo:cloud_cover.lt"),
        ({"token": "garbage"}, "token"),
        ({"sortby": "geometry"}, "sortby"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    stac: Stac, params: dict[str, str], field: str
) -> None:
    response = stac.get("/search", **params)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == field


def test_limits_above_the_maximum_are_served_as_the_maximum(stac: Stac) -> None:
    assert stac.get("/search", limit="1000000").status_code == 200


def test_bad_post_bodies_are_400(stac: Stac) -> None:
    bad = stac.client.post(
        "/stac/search",
        content=b"{nope",
        headers={**stac.headers, "Content-Type": "application/json"},
    )
    assert bad.status_code == 400
    assert stac.post("/search", {"fields": None}).status_code == 400
    assert stac.post("/search", {"bbox": "1,2,3,4"}).status_code == 400
    assert stac.post("/search", [1, 2]).status_code == 400


def test_collection_items_page_through_bbox_and_datetime(stac: Stac) -> None:
    page = stac.get(
        "/collections/phr/items",
        bbox="1.3,43.5,1.6,43.7",
        datetime="2022-01-01T00:00:00Z/..",
        limit="2",
    ).json()
    assert page["type"] == "FeatureCollection" and len(page["features"]) == 2
    assert {f["collection"] for f in page["features"]} == {"phr"}
    link = next_link(page)
    assert link is not None
    rest = stac.client.get(link["href"], headers=stac.headers).json()
    assert set(ids(rest)).isdisjoint(ids(page))


BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
UNCLOSED = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [(BOWTIE, "Self-intersection"), (UNCLOSED, "not closed")],
    ids=["self-intersecting", "unclosed"],
)
def test_an_invalid_intersects_polygon_is_400_naming_intersects_and_the_problem(
    stac: Stac, geometry: dict[str, object], problem: str
) -> None:
    for response in (
        stac.post("/search", {"intersects": geometry}),
        stac.get("/search", intersects=json.dumps(geometry)),
    ):
        assert response.status_code == 400, response.text
        error = response.json()["errors"][0]
        assert error["field"].startswith("intersects")
        assert problem in response.text


def test_a_ring_along_a_parallel_is_400_showing_how_to_draw_a_polar_cap(stac: Stac) -> None:
    ring = [[-180, 80], [-90, 80], [0, 80], [90, 80], [180, 80], [-180, 80]]
    response = stac.post("/search", {"intersects": {"type": "Polygon", "coordinates": [ring]}})
    assert response.status_code == 400, response.text
    assert "[[-180,80],[180,80],[180,90],[-180,90],[-180,80]]" in response.text


def test_a_polar_cap_drawn_as_the_message_says_is_searchable(stac: Stac) -> None:
    cap = [[-180, 80], [180, 80], [180, 90], [-180, 90], [-180, 80]]
    response = stac.post("/search", {"intersects": {"type": "Polygon", "coordinates": [cap]}})
    assert response.status_code == 200, response.text
