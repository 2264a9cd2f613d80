"""What each optical sensor family may be ordered as: product types, radiometry, depth, CRS.

The vocabulary and the rules are the OneAtlas Data guide's, enforced here for every
API: the full-spectrum (``-fs``) product types exist only for Pléiades Neo, which in
turn offers no other; raw ``BASIC16`` pixels only for SPOT and Pléiades; ``DISPLAY``
pixels are 8-bit only (REFLECTANCE and BASIC16 are 16-bit); the output CRS is
EPSG:4326 or a WGS 84 UTM zone, written ``EPSG:32631`` or ``urn:ogc:def:crs:EPSG::32631``.
Product types are spelled as documented (``multiSpectral``); other cases of the same
word are read as it (``canonical_options``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skyorder.core.errors import FieldError

BASE_TYPES = ("bundle", "pansharpened", "panchromatic", "multiSpectral")
FULL_SPECTRUM_TYPES = ("bundle-fs", "pansharpened-fs")
PRODUCT_TYPES = BASE_TYPES + FULL_SPECTRUM_TYPES
RADIOMETRIC_PROCESSINGS = ("BASIC16", "REFLECTANCE", "DISPLAY")
BIT_DEPTHS = {"BASIC16": 16, "REFLECTANCE": 16, "DISPLAY": 8}
"""The pixel depth each radiometric processing is delivered in."""

_CRS = re.compile(r"(?:urn:ogc:def:crs:)?EPSG:{1,2}(\d{4,5})")


@dataclass(frozen=True)
class SensorFamily:
    """What one sensor family is sold as."""

    title: str
    product_types: tuple[str, ...]
    radiometric_processings: tuple[str, ...]


FAMILIES: Mapping[str, SensorFamily] = {
    "PHR": SensorFamily("Pléiades", BASE_TYPES, RADIOMETRIC_PROCESSINGS),
    "SPOT": SensorFamily("SPOT", BASE_TYPES, RADIOMETRIC_PROCESSINGS),
    "PNEO": SensorFamily("Pléiades Neo", FULL_SPECTRUM_TYPES, ("REFLECTANCE", "DISPLAY")),
}
"""The families of the guide's tables, by the sensor name products carry."""


def _canonical(value: Any, vocabulary: tuple[str, ...]) -> Any:
    if not isinstance(value, str):
        return value
    wanted = value.strip().casefold()
    return next((word for word in vocabulary if word.casefold() == wanted), value)


def canonical_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options with product type and radiometric processing in their documented spelling."""
    out = dict(options)
    if "product_type" in out:
        out["product_type"] = _canonical(out["product_type"], PRODUCT_TYPES)
    if "radiometric_processing" in out:
        out["radiometric_processing"] = _canonical(
            out["radiometric_processing"], RADIOMETRIC_PROCESSINGS
        )
    return out


def crs_epsg(code: str) -> int | None:
    """The EPSG code of an offered CRS (``EPSG:32631``, ``urn:ogc:def:crs:EPSG::32631``)."""
    match = _CRS.fullmatch(code.strip())
    if match is None:
        return None
    epsg = int(match.group(1))
    offered = epsg == 4326 or 32601 <= epsg <= 32660 or 32701 <= epsg <= 32760
    return epsg if offered else None


def _families_offering(word: str, attribute: str) -> str:
    titles = [f.title for f in FAMILIES.values() if word in getattr(f, attribute)]
    return " and ".join(titles) if titles else "no sensor"


def imagery_problems(sensor: str | None, options: Mapping[str, Any], path: str) -> list[FieldError]:
    """Every rule of the guide that ``options`` (canonical) break for a ``sensor`` product.

    Only options that are present are checked; ``path`` names the options object.
    """
    found: list[FieldError] = []
    family = FAMILIES.get(sensor or "")
    named = family.title if family else (sensor or "this product")
    product_type = options.get("product_type")
    if isinstance(product_type, str) and product_type in PRODUCT_TYPES:
        full = product_type in FULL_SPECTRUM_TYPES
        allowed = family.product_types if family else BASE_TYPES
        if product_type not in allowed:
            reason = (
                f"{product_type!r} is a full-spectrum product type, offered for "
                f"{_families_offering(product_type, 'product_types')} only"
                if full
                else f"{product_type!r} is offered for "
                f"{_families_offering(product_type, 'product_types')} only"
            )
            found.append(
                FieldError(
                    f"{path}.product_type",
                    f"{reason}; {named} offers " + ", ".join(allowed),
                )
            )
    radiometry = options.get("radiometric_processing")
    if isinstance(radiometry, str) and radiometry in RADIOMETRIC_PROCESSINGS:
        allowed_r = family.radiometric_processings if family else ("REFLECTANCE", "DISPLAY")
        if radiometry not in allowed_r:
            found.append(
                FieldError(
                    f"{path}.radiometric_processing",
                    f"{radiometry} is offered for "
                    f"{_families_offering(radiometry, 'radiometric_processings')} only; "
                    f"{named} offers " + ", ".join(allowed_r),
                )
            )
        depth = options.get("bit_depth")
        if depth is not None and depth != BIT_DEPTHS[radiometry]:
            found.append(
                FieldError(
                    f"{path}.bit_depth",
                    f"{radiometry} is delivered in {BIT_DEPTHS[radiometry]}-bit pixels only"
                    + (
                        "; ask for REFLECTANCE or BASIC16 for 16-bit pixels"
                        if radiometry == "DISPLAY"
                        else "; ask for DISPLAY for 8-bit pixels"
                    ),
                )
            )
    crs = options.get("crs_code")
    if isinstance(crs, str) and crs_epsg(crs) is None:
        found.append(
            FieldError(
                f"{path}.crs_code",
                f"{crs!r} is not an offered CRS: use EPSG:4326 or a WGS 84 UTM zone "
                "(EPSG:32601-32660 north, EPSG:32701-32760 south), written 'EPSG:32631' "
                "or 'urn:ogc:def:crs:EPSG::32631'",
            )
        )
    return found
