"""Hyperspectral bandsets: the named bands of the hyperspectral tasking sensor, with wavelengths.

The tasking sensor is of the Pixxel Firefly class: a VNIR spectrometer of 150 bands
(B001-B150, 473-920 nm, 3 nm apart) and a SWIR one of 100 bands (B151-B250, 936-2484 nm,
15.64 nm apart); VSWIR is both. An item chooses an image type and, optionally, a subset of
its bands (its bandset); without one it gets every band of its image type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skyorder.core.errors import FieldError

VNIR_BANDS = 150
SWIR_BANDS = 100
IMAGE_TYPES = ("VNIR", "SWIR", "VSWIR")


@dataclass(frozen=True)
class NamedBand:
    """One band of the hyperspectral sensor: its name and centre wavelength in nm."""

    name: str
    wavelength_nm: float


def _band(number: int) -> NamedBand:
    if number <= VNIR_BANDS:
        return NamedBand(f"B{number:03d}", 470.0 + 3.0 * number)
    return NamedBand(f"B{number:03d}", round(920.0 + 15.64 * (number - VNIR_BANDS), 2))


def image_type_bands(image_type: str) -> tuple[NamedBand, ...]:
    """Every band an image type covers (an unknown type covers none)."""
    return _IMAGE_TYPE_BANDS.get(image_type, ())


_IMAGE_TYPE_BANDS = {
    image_type: tuple(_band(n) for n in range(first, last + 1))
    for image_type, (first, last) in {
        "VNIR": (1, VNIR_BANDS),
        "SWIR": (VNIR_BANDS + 1, VNIR_BANDS + SWIR_BANDS),
        "VSWIR": (1, VNIR_BANDS + SWIR_BANDS),
    }.items()
}
"""Made once: an order names a type's bands on every placement."""


@dataclass(frozen=True)
class Bandset:
    """The bands an item delivers."""

    bandset_id: str | None
    image_type: str
    bands: tuple[NamedBand, ...]
    custom: tuple[tuple[int, ...], ...] = ()


def with_image_type(options: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """The options with the product's default image type when they name none.

    A hyperspectral product (one whose parameters have an ``image_type``) always delivers a
    bandset: without a choice, every band of its default image type, shown as such.
    """
    spec = parameters.get("properties", {}).get("image_type")
    if not isinstance(spec, dict) or "image_type" in options or "default" not in spec:
        return options
    return {**options, "image_type": spec["default"]}


def item_bandset(options: dict[str, Any]) -> Bandset | None:
    """The bandset an item's options choose; None for items that choose no image type."""
    image_type = options.get("image_type")
    names = options.get("bands")
    if image_type is None and names is None:
        return None
    kind = str(image_type or "VNIR")
    covered = {b.name: b for b in image_type_bands(kind)}
    bands = (
        tuple(covered[n] for n in names if n in covered)
        if isinstance(names, list)
        else tuple(covered.values())
    )
    raw_custom = options.get("custom_bands")
    custom = (
        tuple(tuple(int(x) for x in combo) for combo in raw_custom if isinstance(combo, list))
        if isinstance(raw_custom, list)
        else ()
    )
    bandset_id = options.get("bandset_id")
    return Bandset(str(bandset_id) if bandset_id else None, kind, bands, custom)


def bandset_problems(options: dict[str, Any], path: str) -> list[FieldError]:
    """Bands (or custom combinations' band numbers) outside the item's image type."""
    kind = str(options.get("image_type", "VNIR"))
    if kind not in IMAGE_TYPES:
        return []
    bands = image_type_bands(kind)
    covered = {b.name for b in bands}
    span = f"the {kind} bandset ({bands[0].name}-{bands[-1].name})"
    found: list[FieldError] = []
    names = options.get("bands")
    if isinstance(names, list) and (outside := [n for n in names if n not in covered]):
        found.append(
            FieldError(f"{path}.bands", f"{', '.join(map(str, outside[:5]))} not in {span}")
        )
    custom = options.get("custom_bands")
    if isinstance(custom, list):
        numbers = [n for combo in custom if isinstance(combo, list) for n in combo]
        stray = [n for n in numbers if isinstance(n, int) and f"B{n:03d}" not in covered]
        if stray:
            found.append(
                FieldError(
                    f"{path}.custom_bands",
                    f"band numbers {', '.join(map(str, stray[:5]))} are not in {span}",
                )
            )
    return found
