from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import box, shape

from tests.integration.stac.conftest import Stac, ids

TOULOUSE_BOX = [1.3, 43.5, 1.6, 43.7]


def text(stac: Stac, expression: str, **params: Any) -> list[dict[str, Any]]:
    page = stac.search_get(filter=expression, limit="200", **params)
    features: list[dict[str, Any]] = page["features"]
    return features


def cql_json(stac: Stac, expression: Any, **body: Any) -> list[dict[str, Any]]:
    page = stac.search(filter=expression, **{"filter-lang": "cql2-json", "limit": 200, **body})
    features: list[dict[str, Any]] = page["features"]
    return features


def test_comparisons_on_indexed_columns(stac: Stac) -> None:
    found = text(stac, "eo:cloud_cover >= 5 AND eo:cloud_cover < 10 AND collection = 'phr'")
    assert found and all(5 <= f["properties"]["eo:cloud_cover"] < 10 for f in found)
    assert {f["collection"] for f in found} == {"phr"}


def test_text_and_json_forms_agree(stac: Stac) -> None:
    as_text = text(stac, "platform = 'PHR1B' OR view:off_nadir > 25")
    as_json = cql_json(
        stac,
        {
            "op": "or",
            "args": [
                {"op": "=", "args": [{"property": "platform"}, "PHR1B"]},
                {"op": ">", "args": [{"property": "view:off_nadir"}, 25]},
            ],
        },
    )
    assert ids({"features": as_text}) == ids({"features": as_json}) != []


def test_not_between_in_and_is_null(stac: Stac) -> None:
    outside = text(stac, "eo:cloud_cover NOT BETWEEN 10 AND 90")
    assert outside and all(not 10 <= f["properties"]["eo:cloud_cover"] <= 90 for f in outside)
    inside = cql_json(stac, {"op": "between", "args": [{"property": "gsd"}, [0.4, 1.5]]})
    assert {f["properties"]["gsd"] for f in inside} == {0.5, 1.0, 1.5}  # phr, micro, spot
    platforms = text(stac, "platform IN ('VHR30-1', 'HYP-2')")
    assert {f["properties"]["platform"] for f in platforms} == {"VHR30-1", "HYP-2"}
    assert text(stac, "eo:cloud_cover IS NULL") == []


def test_json_properties_filter_by_the_literal_type(stac: Stac) -> None:
    steep = text(stac, "view:incidence_angle > 30")
    assert steep and all(f["properties"]["view:incidence_angle"] > 30 for f in steep)
    sensor = text(stac, "\"skyorder:sensor\" = 'PHR'")
    assert sensor and {f["collection"] for f in sensor} == {"phr"}
    assert text(stac, "mission LIKE 'sentinel%'") == []


def test_like_is_case_sensitive_on_both_databases(stac: Stac) -> None:
    assert text(stac, "platform LIKE 'PHR1_'")
    assert text(stac, "platform LIKE 'phr1_'") == []
    found = text(stac, "id LIKE 'DS\\_PHR1A%'")
    assert found and all(f["id"].startswith("DS_PHR1A") for f in found)


def test_in_matches_inside_array_properties(stac: Stac) -> None:
    found = text(stac, "instruments IN ('msi')")
    assert found and {f["collection"] for f in found} == {"sentinel-2-l2a"}


def test_spatial_functions(stac: Stac) -> None:
    area = box(*TOULOUSE_BOX)
    touching = text(stac, "S_INTERSECTS(geometry, BBOX(1.3, 43.5, 1.6, 43.7))")
    assert touching and all(shape(f["geometry"]).intersects(area) for f in touching)
    big = "POLYGON((1 43, 2 43, 2 44, 1 44, 1 43))"
    within = text(stac, f"S_WITHIN(geometry, {big})")
    assert within and all(shape(f["geometry"]).within(box(1, 43, 2, 44)) for f in within)
    assert len(within) < len(touching) + 1
    point = "POINT(1.45 43.61)"
    containing = text(stac, f"S_CONTAINS(geometry, {point}) AND collection = 'phr'")
    assert "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724" in ids({"features": containing})
    disjoint = text(stac, f"NOT S_INTERSECTS(geometry, {big}) AND collection = 'phr'")
    assert all(not shape(f["geometry"]).intersects(box(1, 43, 2, 44)) for f in disjoint)


def test_temporal_functions(stac: Stac) -> None:
    found = text(
        stac, "T_INTERSECTS(datetime, INTERVAL('2022-01-01T00:00:00Z', '2022-02-01T00:00:00Z'))"
    )
    assert found and all(f["properties"]["datetime"].startswith("2022-01") for f in found)
    before = text(stac, "T_BEFORE(datetime, TIMESTAMP('2020-01-01T00:00:00Z'))")
    assert all(f["properties"]["datetime"] < "2020-01-01" for f in before)
    opened = cql_json(
        stac,
        {
            "op": "t_intersects",
            "args": [{"property": "datetime"}, {"interval": ["2025-06-01T00:00:00Z", ".."]}],
        },
    )
    assert opened and all(f["properties"]["datetime"] >= "2025-06-01" for f in opened)


@pytest.mark.parametrize(
    "expression",
    [
        "eo:cloud_cover <",  # syntax
        "eo:cloud_cover = 'cloudy'",  # a number compared with text
        "geometry = 'x'",
        "CASEI(platform) = 'phr1a'",  # not supported
        "gsd + 1 > 2",
    ],
)
def test_filters_it_cannot_run_are_400_naming_filter(stac: Stac, expression: str) -> None:
    response = stac.get("/search", filter=expression)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "filter"


def test_a_filter_and_a_query_combine(stac: Stac) -> None:
    found = stac.search(
        filter={"op": "=", "args": [{"property": "collection"}, "phr"]},
        query={"eo:cloud_cover": {"lt": 10}},
        limit=100,
    )["features"]
    assert found and all(
        f["collection"] == "phr" and f["properties"]["eo:cloud_cover"] < 10 for f in found
    )
