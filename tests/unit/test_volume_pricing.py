"""Volume-priced products: priced on an estimate, made final by the delivered size."""

from __future__ import annotations

from decimal import Decimal

from skyorder.core.pricing import (
    Areas,
    PriceRule,
    PricingOptions,
    VolumeRule,
    line_from_json,
    line_to_json,
    price_line,
)
from skyorder.schemas.prices import PriceOut, price_json

RULE = PriceRule(
    price_per_km2={},
    volume=VolumeRule(price_per_kb=Decimal(1), estimated_kb_per_km2=Decimal(70)),
)
TOULOUSE = Areas(31.74, 31.74, 31.74)


def test_a_volume_price_is_an_estimate_from_the_billable_area() -> None:
    line = price_line(RULE, TOULOUSE, PricingOptions("SENSOR"), "items[0]")
    assert line.volume_kb == 2222  # 31.74 km² x 70 kB, rounded up
    assert line.total == line.charged == 2222
    assert line.estimated


def test_delivery_makes_the_amount_final_for_the_size_delivered() -> None:
    line = price_line(RULE, TOULOUSE, PricingOptions("SENSOR"), "items[0]")
    final = line.delivered(1_500_001)  # bytes
    assert (final.delivered_kb, final.final_amount, final.charged) == (1501, 1501, 1501)
    assert final.total == 2222 and not final.estimated  # the estimate is kept


def test_a_discount_applies_to_the_final_amount_too() -> None:
    opts = PricingOptions("SENSOR", discount_percentage=Decimal(10))
    line = price_line(RULE, TOULOUSE, opts, "items[0]")
    assert line.total == 2222 - 222
    assert line.delivered(1_000_000).final_amount == 1000 - 100


def test_a_volume_line_keeps_its_estimate_and_final_amount_when_stored() -> None:
    line = price_line(RULE, TOULOUSE, PricingOptions("SENSOR"), "items[0]").delivered(5000)
    assert line_from_json(line_to_json(line)) == line


def test_a_per_km2_line_is_never_an_estimate() -> None:
    rule = PriceRule(price_per_km2={"SENSOR": Decimal(7)})
    line = price_line(rule, TOULOUSE, PricingOptions("SENSOR"), "items[0]")
    assert line.volume_kb is None and not line.estimated and line.charged == line.total == 222


def test_a_volume_rule_is_read_and_written_with_the_catalogue() -> None:
    assert PriceRule.from_json(RULE.to_json()) == RULE


def test_the_fast_listing_form_of_a_price_is_the_wire_models() -> None:
    volume = price_line(RULE, TOULOUSE, PricingOptions("SENSOR"), "items[0]").delivered(5000)
    per_km2 = price_line(PriceRule({"SENSOR": Decimal(7)}), TOULOUSE, PricingOptions("SENSOR"), "x")
    for line in (volume, per_km2):
        assert price_json(line) == PriceOut.of(line).model_dump(mode="json")
