"""The OneAtlas guide's product rules, as the core enforces them for every API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from shapely.geometry import box

from skyorder.core.errors import ValidationFailed
from skyorder.core.imagery import canonical_options, crs_epsg
from skyorder.core.order_requests import OrderingContext, build_order
from skyorder.core.pricing import PriceRule, geodesic_area_km2, item_areas
from tests.unit.builders import archive, order_request

TOULOUSE = box(1.4089965820312502, 43.59829500262717, 1.5078735351562496, 43.63408731864001)
LEUVEN = box(4.705066680908203, 50.86576445831801, 4.714937210083009, 50.869271906986995)
DENVER = box(-104.776331, 39.790956, -104.775823, 39.791346)
COLLECTIONS = {"ARC-PHR-KM2": "phr", "ARC-PNEO-KM2": "pneo", "ARC-SPOT-KM2": "spot"}


def order(ctx: OrderingContext, sku: str, **options: Any) -> list[str]:
    """The fields an order of one scene of ``sku`` with ``options`` is refused on ([] if none)."""
    item = archive(collection=COLLECTIONS[sku], product=sku, options=options)
    try:
        build_order(order_request(item), ctx, sequence=1)
    except ValidationFailed as exc:
        return [f"{e.field}: {e.message}" for e in exc.errors]
    return []


@pytest.mark.parametrize("product_type", ["bundle-fs", "pansharpened-fs"])
def test_full_spectrum_types_are_for_pleiades_neo_only(
    ctx: OrderingContext, product_type: str
) -> None:
    assert order(ctx, "ARC-PNEO-KM2", product_type=product_type) == []
    for sku in ("ARC-PHR-KM2", "ARC-SPOT-KM2"):
        (refusal,) = order(ctx, sku, product_type=product_type)
        assert refusal.startswith("items[0].options.product_type:")
        assert "full-spectrum" in refusal and "Pléiades Neo only" in refusal


def test_pleiades_neo_offers_no_other_product_type(ctx: OrderingContext) -> None:
    (refusal,) = order(ctx, "ARC-PNEO-KM2", product_type="pansharpened")
    assert "Pléiades Neo offers bundle-fs, pansharpened-fs" in refusal


def test_basic16_is_for_spot_and_pleiades_only(ctx: OrderingContext) -> None:
    assert order(ctx, "ARC-PHR-KM2", radiometric_processing="BASIC16") == []
    assert order(ctx, "ARC-SPOT-KM2", radiometric_processing="BASIC16") == []
    (refusal,) = order(
        ctx, "ARC-PNEO-KM2", product_type="bundle-fs", radiometric_processing="BASIC16"
    )
    assert refusal.startswith("items[0].options.radiometric_processing: BASIC16 is offered")
    assert "Pléiades and SPOT only" in refusal


def test_display_is_delivered_in_8_bits_only(ctx: OrderingContext) -> None:
    assert order(ctx, "ARC-PHR-KM2", radiometric_processing="DISPLAY", bit_depth=8) == []
    assert order(ctx, "ARC-PHR-KM2", radiometric_processing="REFLECTANCE", bit_depth=16) == []
    (refusal,) = order(ctx, "ARC-PHR-KM2", radiometric_processing="DISPLAY", bit_depth=16)
    assert refusal.startswith("items[0].options.bit_depth: DISPLAY is delivered in 8-bit")


@pytest.mark.parametrize("code", ["EPSG:32631", "urn:ogc:def:crs:EPSG::32631", "EPSG:4326"])
def test_the_guides_crs_codes_are_accepted_in_both_forms(ctx: OrderingContext, code: str) -> None:
    assert order(ctx, "ARC-PHR-KM2", crs_code=code) == []


@pytest.mark.parametrize("code", ["EPSG:3857", "urn:ogc:def:crs:EPSG::32661", "32631"])
def test_other_crs_codes_are_refused_with_the_offered_ones(ctx: OrderingContext, code: str) -> None:
    (refusal,) = order(ctx, "ARC-PHR-KM2", crs_code=code)
    assert refusal.startswith("items[0].options.crs_code:")
    assert "EPSG:4326 or a WGS 84 UTM zone" in refusal


def test_product_types_are_read_and_kept_in_the_documented_spelling(ctx: OrderingContext) -> None:
    item = archive(product="ARC-PHR-KM2", options={"product_type": "multispectral"})
    built = build_order(order_request(item), ctx, sequence=1)
    assert built.items[0].options["product_type"] == "multiSpectral"
    assert canonical_options({"radiometric_processing": "display"}) == {
        "radiometric_processing": "DISPLAY"
    }


def test_crs_codes_name_their_epsg_code() -> None:
    assert crs_epsg("urn:ogc:def:crs:EPSG::32631") == crs_epsg("EPSG:32631") == 32631
    assert crs_epsg("EPSG:32761") is None


def test_geodesic_areas_are_the_guides() -> None:
    assert round(geodesic_area_km2(TOULOUSE), 2) == 31.74
    assert round(geodesic_area_km2(LEUVEN), 2) == 0.27


def test_the_denver_aoi_is_under_the_minimum_and_refused_with_both_figures() -> None:
    rule = PriceRule(price_per_km2={"ORTHO": Decimal(1)}, min_order_km2=0.1)
    with pytest.raises(ValidationFailed) as exc:
        item_areas(rule, DENVER, DENVER, "items[0].aoi")
    assert "covers 0.0019 km²" in exc.value.detail
    assert "minimum orderable area is 0.1 km²" in exc.value.detail
