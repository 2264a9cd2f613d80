from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from skyorder.api.stac.render import select_fields
from skyorder.core.catalog_search import (
    FieldsSpec,
    PageToken,
    SortKey,
    parse_datetime_interval,
    parse_fields,
    search_from_json,
    search_from_params,
)
from skyorder.core.errors import ValidationFailed


def field(exc: pytest.ExceptionInfo[ValidationFailed]) -> str:
    return exc.value.errors[0].field


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("../1985-04-12T23:20:50Z", None, datetime(1985, 4, 12, 23, 20, 50, tzinfo=UTC)),
        ("1985-04-12T23:20:50Z/", datetime(1985, 4, 12, 23, 20, 50, tzinfo=UTC), None),
        ("/1985-04-12T23:20:50Z", None, datetime(1985, 4, 12, 23, 20, 50, tzinfo=UTC)),
    ],
)
def test_open_ended_intervals(text: str, start: datetime | None, end: datetime | None) -> None:
    assert parse_datetime_interval(text) == (start, end)


@pytest.mark.parametrize(
    "text",
    ["/", "../..", "/..", "../", "2020-01-01T00:00:00Z/2019-01-01T00:00:00Z", "a/b/c"],
)
def test_intervals_without_a_closed_end_or_backwards_are_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_datetime_interval(text)


def test_the_datacosmos_body_parses_with_the_cloudcover_alias() -> None:
    request = search_from_json(
        {
            "collections": ["sentinel-2-l2a"],
            "bbox": [-71.72, -27.68, -71.02, -27.06],
            "limit": 5,
            "query": {"eo:cloudcover": {"lte": 20}},
        }
    )
    assert request.collections == ("sentinel-2-l2a",)
    assert request.bbox is not None and request.bbox.west == -71.72
    assert request.filter == {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]}


def test_query_values_given_as_text_compare_as_numbers() -> None:
    request = search_from_params({"query": json.dumps({"eo:cloud_cover": {"gt": "5"}})})
    assert request.filter == {"op": ">", "args": [{"property": "eo:cloud_cover"}, 5.0]}


def test_query_text_operators_become_escaped_like_patterns() -> None:
    request = search_from_json({"query": {"platform": {"contains": "50%_"}}})
    assert request.filter == {"op": "like", "args": [{"property": "platform"}, "%50\\%\\_%"]}


def test_a_filter_and_a_query_are_anded() -> None:
    request = search_from_params(
        {"filter": "platform = 'PHR1A'", "query": json.dumps({"gsd": {"eq": 0.5}})}
    )
    assert request.filter["op"] == "and" and len(request.filter["args"]) == 2


def test_six_number_boxes_drop_heights_and_limits_clamp() -> None:
    request = search_from_params({"bbox": "100,0,0,105,1,1", "limit": "1000000"})
    assert request.bbox is not None and request.bbox.as_list() == [100, 0, 105, 1]
    assert request.limit == 10_000


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"bbox": [0, 0, 0]}, "bbox"),
        ({"bbox": [0, 10, 1, 5]}, "bbox"),
        (
            {"bbox": [0, 0, 1, 1], "intersects": {"type": "Point", "coordinates": [0, 0]}},
            "intersects",
        ),
        ({"intersects": {"type": "Circle"}}, "intersects"),
        ({"intersects": {"type": "Point", "coordinates": [200, 0]}}, "intersects"),
        ({"limit": 0}, "limit"),
        ({"limit": True}, "limit"),
        ({"collections": [1]}, "collections"),
        ({"filter": "eo:cloud_cover <"}, "filter"),
        ({"filter": "x = 1", "filter-lang": "sql"}, "filter-lang"),
        ({"filter-crs": "EPSG:3857", "filter": "x = 1"}, "filter-crs"),
        ({"sortby": [{"field": "gsd", "direction": "up"}]}, "sortby[0].direction"),
        ({"fields": None}, "fields"),
        ({"fields": {"include": "id"}}, "fields.include"),
        ({"token": 5}, "token"),
        ({"query": {"gsd": {"like": 1}}}, "query.gsd.like"),
    ],
)
def test_bad_bodies_name_the_parameter(body: dict[str, object], name: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        search_from_json(body)
    assert field(exc) == name


def test_sortby_reads_both_spellings() -> None:
    assert search_from_params({"sortby": "-properties.eo:cloud_cover, id"}).sortby == (
        SortKey("eo:cloud_cover", True),
        SortKey("id", False),
    )
    body = {"sortby": [{"field": "properties.datetime", "direction": "asc"}]}
    assert search_from_json(body).sortby == (SortKey("datetime", False),)


def test_fields_tell_missing_from_empty_include() -> None:
    assert parse_fields({"exclude": ["geometry"]}) == FieldsSpec(None, ("geometry",))
    assert parse_fields({"include": None, "exclude": ["geometry"]}) == FieldsSpec((), ("geometry",))
    assert parse_fields("id,+bbox,-geometry") == FieldsSpec(("id", "bbox"), ("geometry",))


ITEM = {
    "type": "Feature",
    "stac_version": "1.0.0",
    "id": "a",
    "collection": "c",
    "geometry": {"type": "Point", "coordinates": [0, 0]},
    "bbox": [0, 0, 0, 0],
    "properties": {"datetime": "2020-01-01T00:00:00Z", "gsd": 1, "platform": "p"},
    "links": [],
    "assets": {"a": {"href": "x"}},
}


def test_field_selection_follows_the_fields_extension() -> None:
    default = select_fields(ITEM, FieldsSpec((), ()))
    assert default["properties"] == {"datetime": "2020-01-01T00:00:00Z"}
    everything_but = select_fields(ITEM, FieldsSpec(None, ("geometry", "properties.gsd")))
    assert "geometry" not in everything_but and everything_but["properties"] == {
        "datetime": "2020-01-01T00:00:00Z",
        "platform": "p",
    }
    nested = select_fields(ITEM, FieldsSpec(("properties.gsd",), ("properties",)))
    assert nested["properties"] == {"gsd": 1} and "geometry" not in nested
    both = select_fields(ITEM, FieldsSpec(("geometry",), ("geometry",)))
    assert "geometry" in both
    assert ITEM["properties"]["gsd"] == 1  # the item itself is left alone


def test_page_tokens_round_trip_and_garbage_is_refused() -> None:
    token = PageToken(("2024-01-01T00:00:00+00:00", 3.5), 42, 20)
    assert PageToken.decode(token.encode()) == token
    for garbage in ("!!", "bm90IGpzb24", PageToken((), -1).encode()[:-3]):
        with pytest.raises(ValidationFailed):
            PageToken.decode(garbage)
