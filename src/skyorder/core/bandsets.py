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
    first, last = {
        "VNIR": (1, VNIR_BANDS),
        "SWIR": (VNIR_BANDS + 1, VNIR_BANDS + SWIR_BANDS),
        "VSWIR": (1, VNIR_BANDS + SWIR_BANDS),
    }.get(image_type, (1, 0))
    return tuple(_band(n) for n in range(first, last + 1))


@dataclass(frozen=True)
class Bandset:
    """The bands an item delivers."""

    bandset_id: str | None
    image_type: str
    bands: tuple[NamedBand, ...]
    custom: tuple[tuple[int, ...], ...] = ()


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
    """Bands an item names that its image type does not cover, as field errors."""
    names = options.get("bands")
    if not isinstance(names, list) or options.get("image_type", "VNIR") not in IMAGE_TYPES:
        return []
    kind = str(options.get("image_type", "VNIR"))
    covered = {b.name for b in image_type_bands(kind)}
    outside = [n for n in names if n not in covered]
    if not outside:
        return []
    first, last = image_type_bands(kind)[0].name, image_type_bands(kind)[-1].name
    return [
        FieldError(
            f"{path}.bands",
            f"{', '.join(map(str, outside[:5]))} not in the {kind} bandset ({first}-{last})",
        )
    ]
