"""The rules an opportunity search must follow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.opportunities import OpportunityRequest, validate_search
from skyorder.core.products import Product

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
FLEET = {"MICRO-01": "micro", "MICRO-02": "micro", "VHR-01": "vhr30"}
REQUEST = OpportunityRequest(
    aoi={"type": "Point", "coordinates": [1.44, 43.6]},
    start=NOW,
    end=NOW + timedelta(days=7),
)


def fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.message for e in exc.value.errors}


def test_a_plain_search_is_valid(products: Mapping[str, Product]) -> None:
    search = validate_search(REQUEST, FLEET, products, NOW)
    assert search.aoi.geom_type == "Point"
    assert search.satellites is None and search.sensors is None


def test_unknown_satellites_are_named(products: Mapping[str, Product]) -> None:
    req = replace(REQUEST, satellites=("MICRO-01", "SKY-9", "ZED-1"))
    with pytest.raises(ValidationFailed) as exc:
        validate_search(req, FLEET, products, NOW)
    assert "SKY-9, ZED-1" in fields(exc)["satellites"]


def test_unknown_sensors_are_named(products: Mapping[str, Product]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_search(replace(REQUEST, sensors=("radar",)), FLEET, products, NOW)
    assert "radar" in fields(exc)["sensors"]


def test_the_window_must_end_after_it_starts(products: Mapping[str, Product]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_search(replace(REQUEST, end=REQUEST.start), FLEET, products, NOW)
    assert fields(exc) == {"end": "must be after start"}


def test_the_window_is_capped_at_sixty_days(products: Mapping[str, Product]) -> None:
    req = replace(REQUEST, end=REQUEST.start + timedelta(days=61))
    with pytest.raises(ValidationFailed) as exc:
        validate_search(req, FLEET, products, NOW)
    assert "at most 60 days" in fields(exc)["end"]


def test_angles_out_of_range_are_refused(products: Mapping[str, Product]) -> None:
    req = replace(REQUEST, max_off_nadir=95.0, min_sun_elevation=-100.0)
    with pytest.raises(ValidationFailed) as exc:
        validate_search(req, FLEET, products, NOW)
    assert set(fields(exc)) == {"max_off_nadir", "min_sun_elevation"}


def test_a_bad_aoi_is_named(products: Mapping[str, Product]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_search(replace(REQUEST, aoi={"type": "Line"}), FLEET, products, NOW)
    assert "aoi.type" in fields(exc)


def test_a_product_brings_its_sensor_and_off_nadir_limit(
    products: Mapping[str, Product],
) -> None:
    search = validate_search(replace(REQUEST, product="TSKSTD-M.NN.NN"), FLEET, products, NOW)
    assert search.sensors == frozenset({"micro"})
    assert search.max_off_nadir == 30.0


def test_asking_more_off_nadir_than_the_product_allows_is_refused(
    products: Mapping[str, Product],
) -> None:
    req = replace(REQUEST, product="TSKSTD-M.NN.NN", max_off_nadir=35.0)
    with pytest.raises(ValidationFailed) as exc:
        validate_search(req, FLEET, products, NOW)
    assert fields(exc)["max_off_nadir"] == "TSKSTD-M.NN.NN allows at most 30°, not 35°"


def test_an_archive_product_is_refused(products: Mapping[str, Product]) -> None:
    archive = next(p.sku for p in products.values() if p.kind.value == "archive")
    with pytest.raises(ValidationFailed) as exc:
        validate_search(replace(REQUEST, product=archive), FLEET, products, NOW)
    assert "not a tasking product" in fields(exc)["product"]


def test_satellites_without_the_products_sensor_are_refused(
    products: Mapping[str, Product],
) -> None:
    req = replace(REQUEST, product="TSKSTD-M.NN.NN", satellites=("VHR-01",))
    with pytest.raises(ValidationFailed) as exc:
        validate_search(req, FLEET, products, NOW)
    assert fields(exc)["satellites"] == "none of them carries sensor micro"
