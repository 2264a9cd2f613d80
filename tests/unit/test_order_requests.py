"""build_order: the rules that turn an order request into an accepted Order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from skyorder.core.errors import FieldError, PermissionDenied, ValidationFailed
from skyorder.core.order_requests import (
    MAX_ITEMS,
    MAX_NAME,
    MAX_OCCURRENCES,
    OrderingContext,
    OrderRequest,
    build_order,
    parse_duration,
)
from skyorder.core.orders import (
    FeasibilityStatus,
    ItemStatus,
    Order,
    OrderStatus,
    Priority,
    Recurrence,
    RecurrenceKind,
)
from skyorder.core.products import ItemKind, Product
from skyorder.core.users import Actor
from tests.unit.builders import T0, archive, make_contract, order_request, square, tasking


def refusal(request: OrderRequest, ctx: OrderingContext) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as exc:
        build_order(request, ctx, sequence=1)
    return exc.value


def fields(request: OrderRequest, ctx: OrderingContext) -> list[str]:
    return [e.field for e in refusal(request, ctx).errors]


def only_error(request: OrderRequest, ctx: OrderingContext) -> FieldError:
    errors = refusal(request, ctx).errors
    assert len(errors) == 1, errors
    return errors[0]


# --- a valid order -----------------------------------------------------------------------------


@pytest.fixture
def mixed(ctx: OrderingContext) -> Order:
    return build_order(order_request(tasking(), archive(), name="  Mixed  "), ctx, sequence=7)


def test_a_valid_mixed_order_awaits_payment(mixed: Order) -> None:
    assert mixed.status is OrderStatus.PENDING_PAYMENT
    assert mixed.kind == "mixed"


def test_a_valid_order_has_every_item_pending(mixed: Order) -> None:
    assert [i.status for i in mixed.items] == [ItemStatus.PENDING, ItemStatus.PENDING]
    assert [i.kind for i in mixed.items] == [ItemKind.TASKING, ItemKind.ARCHIVE]


def test_a_valid_order_records_its_creation(mixed: Order) -> None:
    assert [e.type for e in mixed.pending_events] == ["OrderCreated"]
    assert mixed.latest_event is not None
    assert mixed.latest_event.type == "OrderCreated"


def test_accepting_a_valid_order_activates_each_item_with_an_event(mixed: Order) -> None:
    mixed.accept(T0)
    assert mixed.status is OrderStatus.ACCEPTED
    for item in mixed.items:
        assert [e.type for e in item.pending_events] == ["OrderItemActivated"]


def test_a_valid_order_events_follow_the_message_convention(mixed: Order) -> None:
    mixed.accept(T0)
    messages = [e.message for e in mixed.pending_events + mixed.items[0].pending_events]
    assert messages == [
        "OrderCreated event occurred for order 000007",
        "OrderAccepted event occurred for order 000007",
        "OrderItemActivated event occurred for order 000007",
    ]


def test_a_valid_order_is_numbered_from_its_sequence(mixed: Order) -> None:
    assert mixed.number == "000007"


def test_a_valid_order_belongs_to_the_contract_and_its_creator(
    mixed: Order, ctx: OrderingContext
) -> None:
    assert mixed.organisation_id == ctx.contract.organisation_id
    assert mixed.contract_id == ctx.contract.id
    assert mixed.created_by == mixed.updated_by == Actor("cli_test")
    assert {item.created_by for item in mixed.items} == {Actor("cli_test")}
    assert mixed.created_at == mixed.updated_at == T0


def test_the_order_name_is_trimmed(mixed: Order) -> None:
    assert mixed.name == "Mixed"


def test_a_tasking_item_keeps_what_was_asked(mixed: Order) -> None:
    item = mixed.items[0]
    assert item.product == "TSKRSH-M.NN.NN"
    assert item.tasking is not None
    assert item.tasking.window_start == T0 + timedelta(days=1)
    assert item.tasking.max_off_nadir == 30.0
    assert item.tasking.priority is Priority.RUSH
    assert item.tasking.revisit_period == "P1D"
    assert item.tasking.processing_levels == ("L1B", "L1D_SR")
    assert item.tasking.feasibility_status is FeasibilityStatus.UNSPECIFIED
    assert item.archive is None


def test_an_archive_item_without_a_product_is_sold_by_its_collection(mixed: Order) -> None:
    item = mixed.items[1]
    assert item.product == "ARC-PHR-KM2"
    assert item.archive is not None
    assert item.archive.collection == "phr"
    assert item.archive.processing_level == "ORTHO"
    assert item.options == {"product_type": "pansharpened", "radiometric_processing": "DISPLAY"}


def test_a_tasking_item_without_levels_gets_the_product_first_level(ctx: OrderingContext) -> None:
    order = build_order(order_request(tasking(processing_levels=())), ctx, sequence=1)
    assert order.items[0].tasking is not None
    assert order.items[0].tasking.processing_levels == ("L1B",)


def test_a_polygon_aoi_is_kept_on_the_item(ctx: OrderingContext) -> None:
    order = build_order(order_request(tasking(aoi=square())), ctx, sequence=1)
    assert order.items[0].aoi == square()


def test_a_window_of_exactly_366_days_is_accepted(ctx: OrderingContext) -> None:
    start = T0 + timedelta(days=1)
    item = tasking(window_start=start, window_end=start + timedelta(days=366))
    assert build_order(order_request(item), ctx, sequence=1).status is OrderStatus.PENDING_PAYMENT


def test_a_window_that_started_but_has_not_ended_is_accepted(ctx: OrderingContext) -> None:
    item = tasking(window_start=T0 - timedelta(days=1), window_end=T0 + timedelta(days=1))
    assert build_order(order_request(item), ctx, sequence=1).status is OrderStatus.PENDING_PAYMENT


def test_a_once_recurrence_with_one_occurrence_is_accepted(ctx: OrderingContext) -> None:
    item = tasking(recurrence=Recurrence(RecurrenceKind.ONCE, 1))
    assert build_order(order_request(item), ctx, sequence=1).status is OrderStatus.PENDING_PAYMENT


def test_a_weekly_recurrence_with_the_maximum_occurrences_is_accepted(
    ctx: OrderingContext,
) -> None:
    item = tasking(
        recurrence=Recurrence(RecurrenceKind.WEEKLY, MAX_OCCURRENCES),
        window_end=T0 + timedelta(days=8),
    )
    assert build_order(order_request(item), ctx, sequence=1).status is OrderStatus.PENDING_PAYMENT


def test_off_nadir_equal_to_the_product_maximum_is_accepted(ctx: OrderingContext) -> None:
    item = tasking(product="TSKRSH-M.NN.NN", max_off_nadir=40.0)
    assert build_order(order_request(item), ctx, sequence=1).status is OrderStatus.PENDING_PAYMENT


def test_a_product_allowed_by_the_contract_is_accepted(ctx: OrderingContext) -> None:
    contract = make_contract(allowed_products=["TSKRSH-M.NN.NN"])
    order = build_order(order_request(tasking()), replace(ctx, contract=contract), sequence=1)
    assert order.status is OrderStatus.PENDING_PAYMENT


# --- products and contracts --------------------------------------------------------------------


def test_an_unknown_product_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(product="NOPE")), ctx)
    assert error.field == "items[0].product"
    assert "unknown product 'NOPE'" in error.message


def test_an_archive_product_on_a_tasking_item_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(product="ARC-PHR-KM2")), ctx)
    assert error.field == "items[0].product"
    assert error.message.startswith("ARC-PHR-KM2 is a")
    assert error.message.endswith("archive product, not tasking")


def test_a_tasking_product_on_an_archive_item_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(archive(product="TSK-VHR-30")), ctx)
    assert error.field == "items[0].product"
    assert "is a tasking product, not archive" in error.message


def test_an_archive_collection_no_product_sells_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(archive(collection="landsat")), ctx)
    assert error.field == "items[0].collection"
    assert "no archive product sells collection 'landsat'" in error.message


def test_an_archive_collection_other_than_the_product_collection_is_refused(
    ctx: OrderingContext,
) -> None:
    error = only_error(order_request(archive(product="ARC-VHR-30")), ctx)
    assert error.field == "items[0].collection"
    assert "ARC-VHR-30 sells collection vhr30, not 'phr'" in error.message


def test_an_empty_archive_item_id_is_refused(ctx: OrderingContext) -> None:
    assert only_error(order_request(archive(item_id="  ")), ctx).field == "items[0].item_id"


def test_a_product_the_contract_does_not_allow_is_refused(ctx: OrderingContext) -> None:
    contract = make_contract(allowed_products=["TSKSTD-M.NN.NN", "ARC-S2-L2A"])
    error = only_error(order_request(tasking()), replace(ctx, contract=contract))
    assert error.field == "items[0].product"
    assert error.message == (
        "product TSKRSH-M.NN.NN is not allowed by contract Acme contract; "
        "allowed: TSKSTD-M.NN.NN, ARC-S2-L2A"
    )


def test_a_contract_not_yet_in_force_denies_permission(ctx: OrderingContext) -> None:
    contract = make_contract(valid_from=T0 + timedelta(days=1))
    with pytest.raises(PermissionDenied) as exc:
        build_order(order_request(tasking()), replace(ctx, contract=contract), sequence=1)
    assert "is not in force" in exc.value.detail


def test_an_expired_contract_denies_permission(ctx: OrderingContext) -> None:
    contract = make_contract(valid_until=T0)
    with pytest.raises(PermissionDenied):
        build_order(order_request(tasking()), replace(ctx, contract=contract), sequence=1)


# --- tasking windows ---------------------------------------------------------------------------


def test_a_window_ending_before_it_starts_is_refused(ctx: OrderingContext) -> None:
    item = tasking(window_start=T0 + timedelta(days=5), window_end=T0 + timedelta(days=4))
    assert only_error(order_request(item), ctx) == FieldError(
        "items[0].window.end", "must be after window.start"
    )


def test_a_window_ending_when_it_starts_is_refused(ctx: OrderingContext) -> None:
    moment = T0 + timedelta(days=5)
    error = only_error(order_request(tasking(window_start=moment, window_end=moment)), ctx)
    assert error.message == "must be after window.start"


def test_a_window_in_the_past_is_refused(ctx: OrderingContext) -> None:
    item = tasking(window_start=T0 - timedelta(days=5), window_end=T0 - timedelta(days=1))
    error = only_error(order_request(item), ctx)
    assert error.field == "items[0].window.end"
    assert error.message == f"is in the past (now is {T0.isoformat()})"


def test_a_window_longer_than_366_days_is_refused(ctx: OrderingContext) -> None:
    start = T0 + timedelta(days=1)
    item = tasking(window_start=start, window_end=start + timedelta(days=366, seconds=1))
    assert only_error(order_request(item), ctx) == FieldError(
        "items[0].window.end", "the window may last at most 366 days"
    )


def test_a_naive_window_start_is_refused(ctx: OrderingContext) -> None:
    item = tasking(window_start=datetime(2026, 1, 6))
    error = only_error(order_request(item), ctx)
    assert error.field == "items[0].window.start"
    assert "must carry a time zone" in error.message


def test_a_naive_window_end_is_refused(ctx: OrderingContext) -> None:
    item = tasking(window_end=datetime(2026, 1, 20))
    assert only_error(order_request(item), ctx).field == "items[0].window.end"


# --- tasking constraints -----------------------------------------------------------------------


def test_off_nadir_above_the_product_maximum_is_refused(ctx: OrderingContext) -> None:
    item = tasking(product="TSKSTD-M.NN.NN", max_off_nadir=35.0)
    assert only_error(order_request(item), ctx) == FieldError(
        "items[0].max_off_nadir", "must be between 0 and 30.0 degrees"
    )


def test_a_negative_off_nadir_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(max_off_nadir=-1.0)), ctx)
    assert error.field == "items[0].max_off_nadir"


def test_cloud_cover_above_100_is_refused(ctx: OrderingContext) -> None:
    assert only_error(order_request(tasking(max_cloud_cover=100.5)), ctx) == FieldError(
        "items[0].max_cloud_cover", "must be a percentage between 0 and 100"
    )


def test_a_negative_cloud_cover_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(max_cloud_cover=-0.1)), ctx)
    assert error.field == "items[0].max_cloud_cover"


def test_a_revisit_period_that_is_not_iso_8601_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(revisit_period="daily")), ctx)
    assert error.field == "items[0].revisit_period"
    assert "'daily' is not an ISO 8601 duration" in error.message


def test_a_zero_revisit_period_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(revisit_period="PT0S")), ctx)
    assert error == FieldError("items[0].revisit_period", "must be a positive duration")


def test_a_once_recurrence_with_several_occurrences_is_refused(ctx: OrderingContext) -> None:
    item = tasking(recurrence=Recurrence(RecurrenceKind.ONCE, 2))
    assert only_error(order_request(item), ctx) == FieldError(
        "items[0].recurrence.occurrences", "must be 1 for ONCE"
    )


def test_a_window_longer_than_its_recurrence_period_is_refused(ctx: OrderingContext) -> None:
    item = tasking(recurrence=Recurrence(RecurrenceKind.WEEKLY, 3))
    error = only_error(order_request(item), ctx)
    assert error.field == "items[0].recurrence.kind"
    assert "occurrences would overlap" in error.message


def test_a_revisit_period_shorter_than_an_hour_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(revisit_period="PT10M")), ctx)
    assert error == FieldError(
        "items[0].revisit_period", "is shorter than the shortest revisit period, PT1H"
    )


@pytest.mark.parametrize("occurrences", [0, MAX_OCCURRENCES + 1])
def test_a_recurrence_with_occurrences_out_of_range_is_refused(
    ctx: OrderingContext, occurrences: int
) -> None:
    item = tasking(recurrence=Recurrence(RecurrenceKind.MONTHLY, occurrences))
    assert only_error(order_request(item), ctx) == FieldError(
        "items[0].recurrence.occurrences", f"must be between 1 and {MAX_OCCURRENCES}"
    )


def test_a_processing_level_the_product_does_not_offer_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(processing_levels=("L1B", "L3"))), ctx)
    assert error.field == "items[0].processing_levels[1]"
    assert error.message == (
        "processing level 'L3' is not offered by TSKRSH-M.NN.NN; choose one of L1B, L1D, L1D_SR"
    )


def test_a_processing_level_listed_twice_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(processing_levels=("L1B", "L1B"))), ctx)
    assert error == FieldError("items[0].processing_levels", "lists a level twice")


def test_an_archive_processing_level_the_product_does_not_offer_is_refused(
    ctx: OrderingContext,
) -> None:
    error = only_error(order_request(archive(processing_level="L1B")), ctx)
    assert error.field == "items[0].processing_level"


# --- options, AOI, name and items --------------------------------------------------------------


def test_an_option_outside_its_enum_is_refused_naming_the_option(ctx: OrderingContext) -> None:
    item = archive(options={"product_type": "infrared"})
    error = only_error(order_request(item), ctx)
    assert error.field == "items[0].options.product_type"
    assert "'infrared' is not one of" in error.message


def test_an_option_the_product_does_not_know_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(options={"resolution": 0.5})), ctx)
    assert error.field == "items[0].options"
    assert "'resolution' was unexpected" in error.message


def test_a_nested_option_error_names_its_path(ctx: OrderingContext) -> None:
    item = archive(
        collection="sentinel-2-l2a",
        processing_level="L2A",
        options={"licenses": [{"license_name": "CC-BY", "accepted": False}]},
    )
    assert only_error(order_request(item), ctx).field == "items[0].options.licenses.0.accepted"


def test_every_failing_option_is_reported(ctx: OrderingContext) -> None:
    item = tasking(options={"image_format": "image/png", "crs_code": "EPSG:3857"})
    assert fields(order_request(item), ctx) == [
        "items[0].options.crs_code",
        "items[0].options.image_format",
    ]


def test_an_invalid_aoi_is_refused_naming_the_item(ctx: OrderingContext) -> None:
    aoi = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    error = only_error(order_request(tasking(aoi=aoi)), ctx)
    assert error.field == "items[0].aoi.coordinates[0]"


def test_the_context_vertex_limit_applies_to_item_aois(ctx: OrderingContext) -> None:
    request = order_request(tasking(aoi=square()))
    error = only_error(request, replace(ctx, max_vertices=4))
    assert error.field == "items[0].aoi.coordinates"
    assert "at most 4 are allowed" in error.message


def test_an_empty_name_is_refused(ctx: OrderingContext) -> None:
    assert only_error(order_request(tasking(), name="   "), ctx) == FieldError(
        "name", "must not be empty"
    )


def test_a_name_longer_than_the_maximum_is_refused(ctx: OrderingContext) -> None:
    error = only_error(order_request(tasking(), name="x" * (MAX_NAME + 1)), ctx)
    assert error == FieldError("name", f"must be at most {MAX_NAME} characters")


def test_an_order_without_items_is_refused(ctx: OrderingContext) -> None:
    assert only_error(OrderRequest(name="Empty", items=()), ctx) == FieldError(
        "items", "an order needs at least one item"
    )


def test_an_order_with_too_many_items_is_refused(ctx: OrderingContext) -> None:
    request = OrderRequest(name="Huge", items=tuple(archive() for _ in range(MAX_ITEMS + 1)))
    assert only_error(request, ctx) == FieldError(
        "items", f"an order may have at most {MAX_ITEMS} items"
    )


# --- several errors at once --------------------------------------------------------------------


def test_every_invalid_field_of_a_request_is_reported_together(ctx: OrderingContext) -> None:
    request = order_request(
        tasking(product="NOPE"),
        tasking(
            window_start=T0 + timedelta(days=3),
            window_end=T0 + timedelta(days=2),
            max_off_nadir=60.0,
            max_cloud_cover=150.0,
            revisit_period="weekly",
            processing_levels=("L9",),
            options={"image_format": "image/png"},
        ),
        archive(processing_level="L1B", aoi={"type": "Point", "coordinates": [0, 95]}),
        name="",
    )
    assert fields(request, ctx) == [
        "name",
        "items[0].product",
        "items[1].options.image_format",
        "items[1].window.end",
        "items[1].max_off_nadir",
        "items[1].max_cloud_cover",
        "items[1].revisit_period",
        "items[1].processing_levels[0]",
        "items[2].aoi.coordinates[1]",
        "items[2].processing_level",
    ]


def test_the_detail_of_many_errors_summarises_the_first_five(ctx: OrderingContext) -> None:
    request = order_request(*(tasking(max_cloud_cover=101.0) for _ in range(7)))
    exc = refusal(request, ctx)
    assert len(exc.errors) == 7
    assert exc.detail.count("must be a percentage") == 5
    assert exc.detail.endswith(" (and 2 more)")


def test_a_naive_window_does_not_hide_the_item_other_errors(ctx: OrderingContext) -> None:
    item = tasking(
        window_start=datetime(2026, 1, 6),
        window_end=datetime(2026, 1, 20),
        max_cloud_cover=150.0,
        processing_levels=("L9",),
    )
    assert fields(order_request(item), ctx) == [
        "items[0].window.start",
        "items[0].window.end",
        "items[0].max_cloud_cover",
        "items[0].processing_levels[0]",
    ]


@pytest.mark.parametrize("period", ["P99999Y", "P9999999999D"])
def test_an_out_of_range_revisit_period_is_refused(ctx: OrderingContext, period: str) -> None:
    error = only_error(order_request(tasking(revisit_period=period)), ctx)
    assert error.field == "items[0].revisit_period"


# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P1D", timedelta(days=1)),
        ("PT12H", timedelta(hours=12)),
        ("P1W", timedelta(weeks=1)),
        ("P1DT6H", timedelta(days=1, hours=6)),
    ],
)
def test_an_iso_8601_duration_is_parsed(text: str, expected: timedelta) -> None:
    assert parse_duration(text, "period") == expected


@pytest.mark.parametrize("text", ["", "P", "1D", "every day", "p1d"])
def test_a_malformed_duration_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_duration(text, "period")
    assert exc.value.errors[0].field == "period"
    assert "is not an ISO 8601 duration such as P1D or PT12H" in exc.value.errors[0].message


def test_a_negative_duration_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_duration("-P1D", "period")
    assert exc.value.errors == [FieldError("period", "must be a positive duration")]


def test_a_month_counts_as_30_days() -> None:
    assert parse_duration("P1M", "period") == timedelta(days=30)


# --- the catalogue -----------------------------------------------------------------------------


def test_every_builtin_product_has_levels_and_a_valid_schema(
    products: Mapping[str, Product],
) -> None:
    assert len(products) == 13
    for product in products.values():
        assert product.processing_levels
        product.check_schema()
