"""What a customer may ask of a product: type, radiometry, format and CRS.

The vocabulary is OneAtlas's (product types, ``BASIC16``/``REFLECTANCE``/``DISPLAY``,
``image/geotiff``/``image/jp2``, EPSG:4326 and the WGS 84 UTM zones), which the
product catalogue also uses. :meth:`ProductOptions.parse` turns the wire strings
into typed options and names the option it refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from skyorder.processing.errors import InvalidProcessingOption

WGS84 = 4326
_E = TypeVar("_E", bound=StrEnum)
_CRS_CODE = re.compile(r"(?:urn:ogc:def:crs:)?EPSG:(?:[0-9.]*:)?(\d{1,6})", re.IGNORECASE)


class ProductType(StrEnum):
    """How the panchromatic and multispectral bands are delivered.

    The ``-fs`` (full spectrum) variants deliver every band of the sensor; the
    plain ones deliver blue, green, red and near-infrared when the sensor has more.
    """

    PANCHROMATIC = "panchromatic"
    MULTISPECTRAL = "multispectral"
    PANSHARPENED = "pansharpened"
    BUNDLE = "bundle"
    PANSHARPENED_FS = "pansharpened-fs"
    BUNDLE_FS = "bundle-fs"

    @property
    def full_spectrum(self) -> bool:
        """Whether every band of the sensor is delivered."""
        return self in (ProductType.PANSHARPENED_FS, ProductType.BUNDLE_FS)

    @property
    def base(self) -> ProductType:
        """The type without its full-spectrum flag (``bundle-fs`` → ``bundle``)."""
        return {
            ProductType.PANSHARPENED_FS: ProductType.PANSHARPENED,
            ProductType.BUNDLE_FS: ProductType.BUNDLE,
        }.get(self, self)

    @property
    def needs_pan(self) -> bool:
        """Whether the product uses a panchromatic band."""
        return self.base is not ProductType.MULTISPECTRAL


class Radiometry(StrEnum):
    """Radiometric processing of the delivered pixels."""

    BASIC16 = "BASIC16"
    """Raw digital numbers, 16-bit, no radiometric processing."""
    REFLECTANCE = "REFLECTANCE"
    """Top-of-atmosphere reflectance × 10 000, 16-bit."""
    DISPLAY = "DISPLAY"
    """Contrast-stretched for viewing, 8-bit."""


class ImageFormat(StrEnum):
    """File format of the analytic image(s)."""

    GEOTIFF = "image/geotiff"
    JP2 = "image/jp2"


@dataclass(frozen=True)
class ProductOptions:
    """A customer's processing options, typed.

    Attributes:
        product_type: ``None`` means the sensor's default: pansharpened when it
            has a panchromatic band, multispectral otherwise.
        radiometry: radiometric processing of the analytic image.
        image_format: GeoTIFF (written as a Cloud Optimized GeoTIFF) or JPEG 2000.
        epsg: output CRS; ``None`` means the UTM zone of the area of interest.
    """

    product_type: ProductType | None = None
    radiometry: Radiometry = Radiometry.DISPLAY
    image_format: ImageFormat = ImageFormat.GEOTIFF
    epsg: int | None = None

    @classmethod
    def parse(
        cls,
        *,
        product_type: str | None = None,
        radiometric_processing: str | None = None,
        image_format: str | None = None,
        crs_code: str | None = None,
    ) -> ProductOptions:
        """Parse the wire strings of an order item's options (``None`` = default).

        Raises:
            InvalidProcessingOption: naming the first option that is not understood.
        """
        return cls(
            product_type=None
            if product_type is None
            else _member(ProductType, product_type, "product_type"),
            radiometry=Radiometry.DISPLAY
            if radiometric_processing is None
            else _member(Radiometry, radiometric_processing, "radiometric_processing"),
            image_format=ImageFormat.GEOTIFF
            if image_format is None
            else _member(ImageFormat, image_format, "image_format"),
            epsg=None if crs_code is None else parse_crs_code(crs_code),
        )


def parse_crs_code(code: str, option: str = "crs_code") -> int:
    """Return the EPSG code of ``EPSG:32631``, ``EPSG::32631`` or ``urn:ogc:def:crs:EPSG::32631``.

    Only EPSG:4326 and the WGS 84 UTM zones (326xx north, 327xx south) are offered.

    Raises:
        InvalidProcessingOption: naming ``option`` when the code is malformed or not offered.
    """
    match = _CRS_CODE.fullmatch(code.strip())
    if match is None:
        raise InvalidProcessingOption.about(
            option,
            f"{code!r} is not an EPSG code such as 'EPSG:32631' or 'urn:ogc:def:crs:EPSG::4326'",
        )
    epsg = int(match.group(1))
    if not is_offered_epsg(epsg):
        raise InvalidProcessingOption.about(
            option,
            f"EPSG:{epsg} is not offered; use EPSG:4326 or a WGS 84 UTM zone "
            "(EPSG:32601-32660 north, EPSG:32701-32760 south)",
        )
    return epsg


def is_offered_epsg(epsg: int) -> bool:
    """Whether ``epsg`` is EPSG:4326 or a WGS 84 UTM zone."""
    return epsg == WGS84 or 32601 <= epsg <= 32660 or 32701 <= epsg <= 32760


def _member(enum: type[_E], value: str, option: str) -> _E:
    wanted = value.strip().casefold()
    for member in enum:
        if member.value.casefold() == wanted:
            return member
    choices = ", ".join(m.value for m in enum)
    raise InvalidProcessingOption.about(option, f"{value!r} is not one of {choices}")
