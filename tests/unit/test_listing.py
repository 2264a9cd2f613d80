"""List-query parsing: filters, operators, values and paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.geometry import BBox
from skyorder.core.listing import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    TEXT_FILTER,
    TIME_FILTER,
    Condition,
    ListQuery,
    Op,
    PageResult,
    choice_filter,
    parse_list_query,
    parse_time,
)

FIELDS = {
    "status": choice_filter(["accepted", "in_progress", "completed"]),
    "name": TEXT_FILTER,
    "updated_at": TIME_FILTER,
}


def parse(params: dict[str, str], spatial: bool = False) -> ListQuery:
    return parse_list_query(params, FIELDS, spatial=spatial)


def refusal(params: dict[str, str], spatial: bool = False) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as exc:
        parse(params, spatial=spatial)
    return exc.value


# --- defaults and paging -----------------------------------------------------------------------


def test_no_parameters_mean_no_conditions_and_the_default_page() -> None:
    assert parse({}) == ListQuery((), None, DEFAULT_LIMIT, 0)


def test_limit_and_offset_are_parsed() -> None:
    query = parse({"limit": "50", "offset": "100"})
    assert (query.limit, query.offset) == (50, 100)


@pytest.mark.parametrize("value", ["1", str(MAX_LIMIT)])
def test_limit_accepts_its_bounds(value: str) -> None:
    assert parse({"limit": value}).limit == int(value)


@pytest.mark.parametrize("value", ["0", str(MAX_LIMIT + 1), "-5"])
def test_limit_outside_its_bounds_is_refused(value: str) -> None:
    error = refusal({"limit": value}).errors[0]
    assert error.field == "limit"
    assert error.message == f"must be between 1 and {MAX_LIMIT}"


def test_a_negative_offset_is_refused() -> None:
    error = refusal({"offset": "-1"}).errors[0]
    assert error.field == "offset"
    assert error.message.startswith("must be between 0 and")


def test_an_offset_of_zero_is_accepted() -> None:
    assert parse({"offset": "0"}).offset == 0


def test_a_limit_that_is_not_a_whole_number_is_refused() -> None:
    error = refusal({"limit": "ten"}).errors[0]
    assert error.field == "limit"
    assert "'ten' is not a whole number" in error.message


# --- equality, lists and choices ---------------------------------------------------------------


def test_a_single_text_value_is_an_equality_condition() -> None:
    assert parse({"name": "Airport"}).conditions == (Condition("name", Op.EQ, "Airport"),)


def test_a_comma_list_becomes_an_in_condition() -> None:
    query = parse({"name": "a, b ,c"})
    assert query.conditions == (Condition("name", Op.IN, ("a", "b", "c")),)


def test_an_explicit_in_operator_with_one_value_gives_a_tuple() -> None:
    assert parse({"name__in": "a"}).conditions == (Condition("name", Op.IN, ("a",)),)


def test_choice_values_are_matched_case_insensitively_and_canonicalised() -> None:
    query = parse({"status": "ACCEPTED"})
    assert query.conditions == (Condition("status", Op.EQ, "accepted"),)


def test_a_comma_list_of_choices_becomes_in_with_canonical_values() -> None:
    query = parse({"status": "Accepted,IN_PROGRESS"})
    assert query.conditions == (Condition("status", Op.IN, ("accepted", "in_progress")),)


def test_an_unknown_choice_value_is_refused_with_the_choices() -> None:
    error = refusal({"status": "accepted,lost"}).errors[0]
    assert error.field == "status"
    assert error.message == "unknown value 'lost'; use one of accepted, in_progress, completed"


def test_an_empty_value_is_refused() -> None:
    error = refusal({"name": " , "}).errors[0]
    assert error.field == "name"
    assert error.message == "must not be empty"


def test_a_trailing_comma_does_not_become_part_of_a_text_value() -> None:
    assert parse({"name": "a,"}).conditions == (Condition("name", Op.EQ, "a"),)


def test_where_returns_the_conditions_on_one_field() -> None:
    query = parse({"name": "x", "updated_at__gte": "2025-01-01", "updated_at__lt": "2025-02-01"})
    assert [c.op for c in query.where("updated_at")] == [Op.GTE, Op.LT]
    assert query.where("status") == []


# --- operators ---------------------------------------------------------------------------------


@pytest.mark.parametrize("op", [Op.GT, Op.GTE, Op.LT, Op.LTE])
def test_range_operators_parse_on_a_time_field(op: Op) -> None:
    query = parse({f"updated_at__{op.value}": "2025-08-26T17:29:05Z"})
    moment = datetime(2025, 8, 26, 17, 29, 5, tzinfo=UTC)
    assert query.conditions == (Condition("updated_at", op, moment),)


def test_a_time_field_accepts_exact_match() -> None:
    query = parse({"updated_at": "2025-08-26T17:29:05Z"})
    assert query.conditions[0].op is Op.EQ


def test_an_unknown_filter_is_refused_listing_the_allowed_filters() -> None:
    error = refusal({"colour": "red"}).errors[0]
    assert error.field == "colour"
    assert error.message == (
        "unknown filter; this list filters by limit, name, offset, status, updated_at"
    )


def test_a_spatial_list_names_bbox_among_the_allowed_filters() -> None:
    error = refusal({"colour": "red"}, spatial=True).errors[0]
    assert "bbox" in error.message.split("filters by ")[1].split(", ")


def test_bbox_on_a_non_spatial_list_is_an_unknown_filter() -> None:
    error = refusal({"bbox": "0,0,1,1"}).errors[0]
    assert error.field == "bbox"
    assert error.message.startswith("unknown filter")


def test_bbox_on_a_spatial_list_is_parsed() -> None:
    assert parse({"bbox": "0,0,1,1"}, spatial=True).bbox == BBox(0, 0, 1, 1)


def test_an_invalid_bbox_on_a_spatial_list_is_refused() -> None:
    assert refusal({"bbox": "0,0,1"}, spatial=True).errors[0].field == "bbox"


def test_an_unknown_operator_is_refused_listing_the_allowed_operators() -> None:
    error = refusal({"updated_at__after": "2025-01-01"}).errors[0]
    assert error.field == "updated_at__after"
    assert error.message == (
        "unknown operator 'after'; use updated_at (exact), updated_at__gt, updated_at__gte, "
        "updated_at__lt, updated_at__lte"
    )


def test_an_operator_the_field_does_not_support_is_refused() -> None:
    error = refusal({"status__gt": "accepted"}).errors[0]
    assert error.field == "status__gt"
    assert error.message == "unknown operator 'gt'; use status (exact), status__in"


# --- time values -------------------------------------------------------------------------------


def test_a_date_only_value_means_midnight_utc() -> None:
    condition = parse({"updated_at__gt": "2025-11-09"}).conditions[0]
    assert condition.value == datetime(2025, 11, 9, 0, 0, tzinfo=UTC)


def test_a_naive_time_means_utc() -> None:
    assert parse_time("2025-11-09T17:35:32", "t") == datetime(2025, 11, 9, 17, 35, 32, tzinfo=UTC)


def test_a_time_with_an_offset_is_normalised_to_utc() -> None:
    parsed = parse_time("2025-11-09T18:35:32+01:00", "t")
    assert parsed == datetime(2025, 11, 9, 17, 35, 32, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(0)


def test_a_quoted_time_is_accepted() -> None:
    assert parse_time('"2025-11-09"', "t") == datetime(2025, 11, 9, tzinfo=UTC)


def test_a_lowercase_z_suffix_means_utc() -> None:
    assert parse_time("2025-11-09T17:35:32z", "t") == datetime(2025, 11, 9, 17, 35, 32, tzinfo=UTC)


def test_an_unparseable_time_is_refused_with_an_example() -> None:
    error = refusal({"updated_at__gte": "yesterday"}).errors[0]
    assert error.field == "updated_at__gte"
    assert "'yesterday' is not a date or time such as 2025-11-09T17:35:32Z" in error.message


def test_an_impossible_date_is_refused() -> None:
    assert refusal({"updated_at": "2025-02-30"}).errors[0].field == "updated_at"


# --- several errors ----------------------------------------------------------------------------


def test_every_invalid_parameter_is_reported_together() -> None:
    exc = refusal({"limit": "0", "colour": "red", "status": "lost", "updated_at": "x"})
    assert [e.field for e in exc.errors] == ["limit", "colour", "status", "updated_at"]


# --- pages -------------------------------------------------------------------------------------


def test_a_page_has_a_next_page_when_matches_remain() -> None:
    assert PageResult(count=30, items=[1] * 25, limit=25, offset=0).has_next


def test_the_last_page_has_no_next_page() -> None:
    assert not PageResult(count=30, items=[1] * 5, limit=25, offset=25).has_next


def test_a_count_past_its_limit_stops_at_the_limit_and_says_so() -> None:
    page = PageResult(count=501, items=[1] * 25, limit=25, offset=0, count_limit=500)
    assert (page.count, page.count_limit_reached) == (500, True)


def test_a_count_up_to_its_limit_is_exact() -> None:
    page = PageResult(count=500, items=[1] * 25, limit=25, offset=0, count_limit=500)
    assert (page.count, page.count_limit_reached) == (500, False)


def test_past_a_count_limit_a_full_page_has_a_next_one_and_a_short_one_none() -> None:
    assert PageResult(501, [1] * 25, limit=25, offset=600, count_limit=500).has_next
    assert not PageResult(501, [1] * 5, limit=25, offset=600, count_limit=500).has_next


def test_a_page_with_other_items_keeps_its_count_and_limit() -> None:
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return 7

    page = PageResult(count, ["a"], limit=1, offset=0, count_limit=5).with_items([1])
    assert (page.items, page.count, page.count_limit_reached, page.limit) == ([1], 5, True, 1)
    assert calls == [1]  # counted once, when first read
