from __future__ import annotations

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.nesting import (
    check_cql2_text,
    check_json_nesting,
    cql2_text_shape,
    json_nesting,
)


def test_json_nesting_counts_arrays_and_objects() -> None:
    assert json_nesting(b'{"a": [1, {"b": [[2]]}]}' + b" " * 200, limit=10) == 5


def test_json_nesting_ignores_brackets_inside_strings() -> None:
    text = '{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}'
    assert json_nesting(text, limit=3) <= 1


def test_json_nesting_of_unclosed_brackets_counts_them_open() -> None:
    assert json_nesting(b"[" * 5000, limit=100) > 100


def test_a_geojson_multipolygon_is_well_within_the_limit() -> None:
    ring = "[" + ",".join(f"[{i}.5,{i}.25]" for i in range(500)) + "]"
    check_json_nesting('{"type":"MultiPolygon","coordinates":[[' + ring + "]]}", "aoi")


def test_a_document_deeper_than_the_limit_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_json_nesting("[" * 101 + "]" * 101, "intersects")
    assert caught.value.errors[0].field == "intersects"
    assert "100 levels" in caught.value.detail


def test_cql2_nots_count_as_levels_and_quoted_text_does_not() -> None:
    assert cql2_text_shape("NOT NOT (a = '((((((') ") == (3, 0)


def test_cql2_operators_are_counted_outside_quotes() -> None:
    assert cql2_text_shape("a = 1 AND b = 2 + 3 OR \"x-y\" = 'p-q'") == (0, 3)


def test_a_cql2_chain_longer_than_the_operator_limit_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="at most 1000"):
        check_cql2_text(" AND ".join(["a = 1"] * 1002), "filter")


def test_an_ordinary_cql2_filter_passes() -> None:
    check_cql2_text("eo:cloud_cover <= 20 AND (gsd < 1 OR NOT platform = 'x')", "filter")
