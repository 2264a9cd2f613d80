from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from skyorder.core.catalog import (
    format_datetime,
    parse_rfc3339,
    validate_collection,
    validate_item,
    validate_items,
)
from skyorder.core.errors import ValidationFailed

ITEM: dict[str, Any] = {
    "type": "Feature",
    "stac_version": "1.0.0",
    "id": "scene-1",
    "collection": "phr",
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[1.0, 43.0], [1.1, 43.0], [1.1, 43.1], [1.0, 43.1], [1.0, 43.0]]],
    },
    "properties": {
        "datetime": "2024-05-01T10:30:00Z",
        "eo:cloud_cover": 12.5,
        "view:off_nadir": 7,
        "platform": "PHR1A",
    },
    "assets": {"visual": {"href": "https://example.com/a.tif"}},
}


def changed(**top: Any) -> dict[str, Any]:
    data = copy.deepcopy(ITEM)
    data.update(top)
    return data


def with_props(**props: Any) -> dict[str, Any]:
    data = copy.deepcopy(ITEM)
    data["properties"].update(props)
    return data


def field_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> str:
    return exc.value.errors[0].field


def test_a_valid_item_is_read_with_its_queryables() -> None:
    item = validate_item(ITEM, "phr")
    assert item.datetime == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert item.bbox.as_list() == [1.0, 43.0, 1.1, 43.1]
    assert item.extracted()["cloud_cover"] == 12.5
    assert item.extracted()["platform"] == "PHR1A"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (changed(type="Feature!"), "type"),
        (changed(id=""), "id"),
        (changed(id="a/b"), "id"),
        (changed(collection="vhr30"), "collection"),
        (
            changed(geometry={"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
            "geometry.type",
        ),
        (changed(stac_version="0.9.0"), "stac_version"),
        (changed(properties=[]), "properties"),
        (with_props(datetime="2024-05-01"), "properties.datetime"),
        (with_props(datetime=None), "properties.datetime"),
        (with_props(**{"eo:cloud_cover": 101}), "properties.eo:cloud_cover"),
        (with_props(**{"view:off_nadir": "steep"}), "properties.view:off_nadir"),
        (with_props(platform=5), "properties.platform"),
        (with_props(instruments="msi"), "properties.instruments"),
        (changed(assets={"a": {"title": "no href"}}), "assets.a.href"),
    ],
)
def test_invalid_items_name_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_item(data, "phr")
    assert field_of(exc) == field


def test_a_range_item_uses_its_start_time() -> None:
    data = with_props(
        datetime=None,
        start_datetime="2024-01-01T00:00:00Z",
        end_datetime="2024-01-02T00:00:00Z",
    )
    assert validate_item(data, None).datetime == datetime(2024, 1, 1, tzinfo=UTC)


def test_bulk_errors_are_listed_with_their_position() -> None:
    features = [copy.deepcopy(ITEM), with_props(datetime="soon"), changed(geometry=None)]
    with pytest.raises(ValidationFailed) as exc:
        validate_items({"type": "FeatureCollection", "features": features}, "phr")
    assert [e.field for e in exc.value.errors] == [
        "features[1].properties.datetime",
        "features[2].geometry",
    ]


def test_bulk_refuses_duplicate_ids() -> None:
    features = [copy.deepcopy(ITEM), copy.deepcopy(ITEM)]
    with pytest.raises(ValidationFailed) as exc:
        validate_items({"type": "FeatureCollection", "features": features}, "phr")
    assert field_of(exc) == "features[1].id"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-04-12T23:20:50.52Z", datetime(1985, 4, 12, 23, 20, 50, 520000, tzinfo=UTC)),
        ("1996-12-19T16:39:57-08:00", datetime(1996, 12, 20, 0, 39, 57, tzinfo=UTC)),
        ("1985-04-12t23:20:50.000z", datetime(1985, 4, 12, 23, 20, 50, tzinfo=UTC)),
        ("2020-07-23T00:00:00.012345678Z", datetime(2020, 7, 23, 0, 0, 0, 12345, tzinfo=UTC)),
    ],
)
def test_rfc3339_times_are_read_in_utc(text: str, expected: datetime) -> None:
    assert parse_rfc3339(text, "t") == expected


@pytest.mark.parametrize(
    "text",
    [
        "1985-04-12",
        "1937-01-01T12:00:27.87+0100",
        "37-01-01T12:00:27.87Z",
        "1985-12-12T23:20:50.52",
        "1985-13-12T23:20:50.52Z",
        "1985-12-01T25:20:50.52Z",
        "1985-12-01T00:06:61.52Z",
        "1985-04-12T23:20:50.Z",
        "1985-04-12T23:20:50,52Z",
    ],
)
def test_non_rfc3339_times_are_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_rfc3339(text, "t")


def test_times_are_written_with_z_and_only_the_fraction_there_is() -> None:
    assert format_datetime(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    assert (
        format_datetime(datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=UTC))
        == "2024-01-02T03:04:05.5Z"
    )


def test_a_collection_needs_an_id_and_a_description() -> None:
    collection = validate_collection({"id": "mine", "description": "d", "keywords": ["x"]})
    assert collection.license == "proprietary" and collection.fields == {"keywords": ["x"]}
    with pytest.raises(ValidationFailed) as exc:
        validate_collection({"id": "mine"})
    assert field_of(exc) == "description"
