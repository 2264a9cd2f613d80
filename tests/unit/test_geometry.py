"""AOI validation rules and bounding boxes."""

from __future__ import annotations

from typing import Any

import pytest

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.geometry import (
    BBox,
    bbox_of,
    intersects,
    parse_aoi,
    parse_bbox,
    right_handed,
    to_geojson,
)
from tests.unit.builders import point, square


def refusal(value: Any, **kwargs: Any) -> FieldError:
    """The single field error ``parse_aoi`` raises for ``value``."""
    with pytest.raises(ValidationFailed) as exc:
        parse_aoi(value, **kwargs)
    assert len(exc.value.errors) == 1
    return exc.value.errors[0]


def polygon(*rings: list[list[Any]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def ring(*positions: list[Any]) -> list[list[Any]]:
    return list(positions)


# --- accepted shapes ---------------------------------------------------------------------------


def test_a_point_is_a_valid_aoi() -> None:
    geom = parse_aoi(point())
    assert geom.geom_type == "Point"


def test_a_point_with_altitude_is_a_valid_aoi() -> None:
    geom = parse_aoi({"type": "Point", "coordinates": [2.35, 48.85, 35.0]})
    assert geom.geom_type == "Point"


def test_a_closed_polygon_is_a_valid_aoi() -> None:
    geom = parse_aoi(square())
    assert geom.geom_type == "Polygon"
    assert geom.area > 0


def test_a_polygon_with_a_hole_is_a_valid_aoi() -> None:
    outer = ring([0, 0], [10, 0], [10, 10], [0, 10], [0, 0])
    hole = ring([2, 2], [2, 4], [4, 4], [4, 2], [2, 2])
    geom = parse_aoi(polygon(outer, hole))
    assert geom.area == pytest.approx(96.0)


def test_a_multipolygon_is_a_valid_aoi() -> None:
    value = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
            [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]],
        ],
    }
    geom = parse_aoi(value)
    assert geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(2.0)


def test_coordinates_on_the_wgs84_limits_are_accepted() -> None:
    value = polygon(ring([-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]))
    assert parse_aoi(value).area == pytest.approx(360 * 180)


def test_integer_coordinates_are_accepted() -> None:
    assert parse_aoi({"type": "Point", "coordinates": [1, 2]}).x == 1.0


# --- refused shapes ----------------------------------------------------------------------------


def test_a_non_object_aoi_is_refused_naming_the_field() -> None:
    error = refusal([1, 2])
    assert error.field == "aoi"
    assert "GeoJSON geometry object" in error.message


def test_an_unsupported_geometry_type_is_refused_naming_the_type() -> None:
    error = refusal({"type": "LineString", "coordinates": [[0, 0], [1, 1]]})
    assert error.field == "aoi.type"
    assert "Point, Polygon, MultiPolygon" in error.message
    assert "'LineString'" in error.message


def test_missing_coordinates_are_refused() -> None:
    error = refusal({"type": "Polygon"})
    assert error.field == "aoi.coordinates"
    assert "required" in error.message


def test_an_unclosed_ring_is_refused_naming_the_ring() -> None:
    error = refusal(polygon(ring([0, 0], [1, 0], [1, 1], [0, 1])))
    assert error.field == "aoi.coordinates[0]"
    assert "not closed" in error.message


def test_an_unclosed_hole_is_refused_naming_the_hole() -> None:
    outer = ring([0, 0], [10, 0], [10, 10], [0, 10], [0, 0])
    hole = ring([2, 2], [2, 4], [4, 4], [4, 2], [3, 2])
    error = refusal(polygon(outer, hole))
    assert error.field == "aoi.coordinates[1]"
    assert "not closed" in error.message


def test_a_ring_with_fewer_than_four_positions_is_refused() -> None:
    error = refusal(polygon(ring([0, 0], [1, 0], [0, 0])))
    assert error.field == "aoi.coordinates[0]"
    assert "at least 4 positions" in error.message


def test_an_empty_polygon_is_refused() -> None:
    error = refusal(polygon())
    assert error.field == "aoi.coordinates"
    assert "non-empty array of linear rings" in error.message


def test_an_empty_multipolygon_is_refused() -> None:
    error = refusal({"type": "MultiPolygon", "coordinates": []})
    assert error.field == "aoi.coordinates"
    assert "at least one polygon" in error.message


def test_a_self_intersecting_polygon_is_refused() -> None:
    bowtie = polygon(ring([0, 0], [1, 1], [1, 0], [0, 1], [0, 0]))
    error = refusal(bowtie)
    assert error.field == "aoi"
    assert "self-intersection" in error.message.lower()


def test_overlapping_multipolygon_parts_are_refused() -> None:
    value = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
            [[[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]],
        ],
    }
    assert refusal(value).field == "aoi"


def test_a_longitude_above_180_is_refused_naming_the_coordinate() -> None:
    error = refusal(polygon(ring([0, 0], [180.5, 0], [1, 1], [0, 1], [0, 0])))
    assert error.field == "aoi.coordinates[0][1][0]"
    assert "longitude 180.5 is outside -180..180" in error.message


def test_a_latitude_below_minus_90_is_refused_naming_the_coordinate() -> None:
    error = refusal({"type": "Point", "coordinates": [10, -90.5]})
    assert error.field == "aoi.coordinates[1]"
    assert "latitude -90.5 is outside -90..90" in error.message


def test_a_string_coordinate_is_refused_naming_the_coordinate() -> None:
    error = refusal(polygon(ring([0, 0], [1, "0"], [1, 1], [0, 0])))
    assert error.field == "aoi.coordinates[0][1][1]"
    assert "finite numbers" in error.message


def test_a_boolean_coordinate_is_refused() -> None:
    error = refusal({"type": "Point", "coordinates": [True, 1]})
    assert error.field == "aoi.coordinates[0]"
    assert "finite numbers" in error.message


def test_a_non_finite_coordinate_is_refused() -> None:
    error = refusal({"type": "Point", "coordinates": [1.0, float("nan")]})
    assert error.field == "aoi.coordinates[1]"


def test_a_position_with_one_number_is_refused() -> None:
    error = refusal({"type": "Point", "coordinates": [1.0]})
    assert error.field == "aoi.coordinates"
    assert "[longitude, latitude]" in error.message


def test_a_non_numeric_altitude_is_refused() -> None:
    error = refusal({"type": "Point", "coordinates": [1.0, 2.0, "high"]})
    assert error.field == "aoi.coordinates[2]"


def test_an_aoi_with_too_many_vertices_is_refused_with_the_limit() -> None:
    error = refusal(square(), max_vertices=4)
    assert error.field == "aoi.coordinates"
    assert "has 5 vertices; at most 4 are allowed" in error.message


def test_an_aoi_with_exactly_the_maximum_vertices_is_accepted() -> None:
    assert parse_aoi(square(), max_vertices=5).area > 0


def test_vertices_are_counted_across_multipolygon_parts() -> None:
    part = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    shifted = [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]
    error = refusal({"type": "MultiPolygon", "coordinates": [part, shifted]}, max_vertices=9)
    assert "has 10 vertices" in error.message


def test_a_zero_area_polygon_is_refused() -> None:
    flat = polygon(ring([0, 0], [1, 1], [2, 2], [0, 0]))
    assert refusal(flat).field == "aoi"


def test_a_polygon_collapsed_to_one_point_is_refused() -> None:
    collapsed = polygon(ring([3, 3], [3, 3], [3, 3], [3, 3]))
    assert refusal(collapsed).field == "aoi"


def test_the_error_path_starts_with_the_given_field_name() -> None:
    error = refusal(polygon(ring([0, 0], [1, 0], [0, 0])), field="items[2].aoi")
    assert error.field == "items[2].aoi.coordinates[0]"


def test_the_error_detail_repeats_the_path_and_message() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_aoi({"type": "Point", "coordinates": [200, 0]})
    assert exc.value.detail.startswith("aoi.coordinates[0]: longitude 200.0")


# --- helpers -----------------------------------------------------------------------------------


def test_to_geojson_round_trips_a_polygon_as_lists() -> None:
    mapping = to_geojson(parse_aoi(square()))
    assert mapping["type"] == "Polygon"
    assert isinstance(mapping["coordinates"], list)
    assert isinstance(mapping["coordinates"][0][0], list)
    assert parse_aoi(mapping).equals(parse_aoi(square()))


def test_bbox_of_a_polygon_is_its_extent() -> None:
    assert bbox_of(square()) == BBox(1.40, 43.59, 1.50, 43.63)


def test_intersects_is_true_for_an_overlapping_box() -> None:
    assert intersects(square(), BBox(1.45, 43.60, 2.0, 44.0))


def test_intersects_is_false_for_a_distant_box() -> None:
    assert not intersects(square(), BBox(10.0, 10.0, 11.0, 11.0))


# --- bbox parsing ------------------------------------------------------------------------------


def test_a_bbox_parses_into_west_south_east_north() -> None:
    box = parse_bbox("1.4,43.5,1.6,43.7")
    assert box == BBox(1.4, 43.5, 1.6, 43.7)
    assert box.as_list() == [1.4, 43.5, 1.6, 43.7]


def test_a_bbox_tolerates_spaces_around_numbers() -> None:
    assert parse_bbox(" -10 , -5 , 10 , 5 ") == BBox(-10, -5, 10, 5)


def test_a_bbox_covering_the_world_is_accepted() -> None:
    assert parse_bbox("-180,-90,180,90") == BBox(-180, -90, 180, 90)


@pytest.mark.parametrize("value", ["1,2,3", "1,2,3,4,5", ""])
def test_a_bbox_without_four_parts_is_refused(value: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_bbox(value)
    assert exc.value.errors == [FieldError("bbox", "must be four numbers: west,south,east,north")]


def test_a_bbox_with_a_non_number_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_bbox("1,2,east,4")
    assert exc.value.errors[0].field == "bbox"
    assert "four numbers" in exc.value.errors[0].message


@pytest.mark.parametrize("value", ["nan,0,1,1", "0,0,inf,1"])
def test_a_bbox_with_a_non_finite_number_is_refused(value: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_bbox(value)
    assert exc.value.errors == [FieldError("bbox", "must be finite numbers")]


@pytest.mark.parametrize("value", ["-181,0,1,1", "0,0,181,1", "0,-91,1,1", "0,0,1,91"])
def test_a_bbox_outside_wgs84_is_refused(value: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_bbox(value)
    assert "outside WGS84" in exc.value.errors[0].message


def test_a_bbox_with_south_above_north_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_bbox("0,10,1,5")
    assert "south above north" in exc.value.errors[0].message


def test_a_bbox_crossing_the_antimeridian_is_refused_with_advice_to_split() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_bbox("170,0,-170,10")
    assert "antimeridian boxes: split" in exc.value.errors[0].message


def test_a_bbox_error_names_the_given_field() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_bbox("1,2", field="area")
    assert exc.value.errors[0].field == "area"


def test_a_ring_along_a_parallel_is_refused_showing_how_to_draw_a_polar_cap() -> None:
    around = ring([-180, 80], [-90, 80], [0, 80], [90, 80], [180, 80], [-180, 80])
    error = refusal(polygon(around))
    assert error.field == "aoi"
    assert "runs along latitude 80" in error.message
    assert "[[-180,80],[180,80],[180,90],[-180,90],[-180,80]]" in error.message


def test_a_collinear_polygon_elsewhere_keeps_the_plain_zero_area_message() -> None:
    error = refusal(polygon(ring([0, 0], [1, 0], [2, 0], [0, 0])))
    assert error.message == "has zero area: its vertices are collinear or repeated"


TOULOUSE_CLOCKWISE = [
    [1.4089965820312502, 43.59829500262717],
    [1.4089965820312502, 43.63408731864001],
    [1.5078735351562496, 43.63408731864001],
    [1.5078735351562496, 43.59829500262717],
    [1.4089965820312502, 43.59829500262717],
]


def test_a_clockwise_exterior_ring_is_reversed_from_its_first_position() -> None:
    polygon = {"type": "Polygon", "coordinates": [TOULOUSE_CLOCKWISE]}
    (ring,) = right_handed(polygon)["coordinates"]
    assert ring == TOULOUSE_CLOCKWISE[::-1]  # as the OneAtlas guide's price answer shows it
    assert ring[0] == TOULOUSE_CLOCKWISE[0]


def test_a_right_handed_polygon_is_kept_and_a_hole_turns_clockwise() -> None:
    outer = TOULOUSE_CLOCKWISE[::-1]
    hole = [[1.45, 43.61], [1.46, 43.61], [1.46, 43.62], [1.45, 43.62], [1.45, 43.61]]
    polygon = {"type": "MultiPolygon", "coordinates": [[outer, hole]]}
    ((kept, wound),) = right_handed(polygon)["coordinates"]
    assert kept == outer and wound == hole[::-1]


def test_a_point_is_not_wound() -> None:
    point = {"type": "Point", "coordinates": [1.0, 2.0]}
    assert right_handed(point) == point
