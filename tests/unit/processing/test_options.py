"""Parsing the ordered processing options."""

from __future__ import annotations

import pytest

from skyorder.processing import (
    ImageFormat,
    InvalidProcessingOption,
    ProductOptions,
    ProductType,
    Radiometry,
    parse_crs_code,
)


@pytest.mark.parametrize(
    ("code", "epsg"),
    [
        ("EPSG:4326", 4326),
        ("EPSG:32631", 32631),
        ("EPSG::32721", 32721),
        ("urn:ogc:def:crs:EPSG::32631", 32631),
        ("urn:ogc:def:crs:EPSG:9.9.1:4326", 4326),
        ("epsg:32660", 32660),
    ],
)
def test_crs_codes_are_read_in_every_documented_spelling(code: str, epsg: int) -> None:
    assert parse_crs_code(code) == epsg


@pytest.mark.parametrize("code", ["EPSG:3857", "EPSG:32661", "EPSG:32700", "EPSG:2154"])
def test_a_crs_outside_wgs84_and_utm_is_refused_naming_crs_code(code: str) -> None:
    with pytest.raises(InvalidProcessingOption) as exc:
        parse_crs_code(code)
    assert exc.value.option == "crs_code"
    assert "not offered" in str(exc.value)


def test_a_malformed_crs_code_is_a_value_error_naming_crs_code() -> None:
    with pytest.raises(ValueError, match="crs_code"):
        ProductOptions.parse(crs_code="WGS84 please")


def test_wire_strings_become_typed_options() -> None:
    options = ProductOptions.parse(
        product_type="bundle-fs",
        radiometric_processing="REFLECTANCE",
        image_format="image/jp2",
        crs_code="urn:ogc:def:crs:EPSG::4326",
    )
    assert options == ProductOptions(
        ProductType.BUNDLE_FS, Radiometry.REFLECTANCE, ImageFormat.JP2, 4326
    )


def test_oneatlas_spelling_multispectral_is_accepted() -> None:
    assert ProductOptions.parse(product_type="multiSpectral").product_type is (
        ProductType.MULTISPECTRAL
    )


def test_an_unknown_product_type_names_the_option() -> None:
    with pytest.raises(InvalidProcessingOption) as exc:
        ProductOptions.parse(product_type="hyperspectral")
    assert exc.value.option == "product_type"


def test_an_unknown_radiometric_processing_names_the_option() -> None:
    with pytest.raises(InvalidProcessingOption) as exc:
        ProductOptions.parse(radiometric_processing="SURFACE")
    assert exc.value.option == "radiometric_processing"


def test_an_unknown_image_format_names_the_option() -> None:
    with pytest.raises(InvalidProcessingOption) as exc:
        ProductOptions.parse(image_format="image/png")
    assert exc.value.option == "image_format"


def test_defaults_are_display_geotiff_in_the_aois_utm_zone() -> None:
    assert ProductOptions.parse() == ProductOptions(
        None, Radiometry.DISPLAY, ImageFormat.GEOTIFF, None
    )
