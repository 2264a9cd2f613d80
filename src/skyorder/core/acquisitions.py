"""How a deliverable's source was imaged, and the metadata keys a deliverable shows.

A deliverable's metadata is what the raster pipeline wrote about the product (gsd,
area, bands, cloud cover...) plus how its source was acquired: the camera, the
off-nadir angle and Sun elevation, the collection, and the scene id. Scenes of
tasking captures are named as Aleph names them:
``<YYYYMMDD_HHMMSS>_<satellite>_<level>_MS_<task id>`` (``20251110_174836_SN44_L1B_MS_330765``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

NOT_ORTHORECTIFIED = ("L0", "L1A", "L1B", "SENSOR", "PRIMARY", "RAW")
"""Processing levels still in sensor geometry; every other level is orthorectified."""


@dataclass(frozen=True)
class Acquisition:
    """What a deliverable's source says about how it was imaged."""

    camera: str
    scene_id: str
    off_nadir_deg: float | None = None
    sun_elevation_deg: float | None = None
    collection: str | None = None


def tasking_scene_id(start: datetime, satellite: str, level: str, task_id: str | None) -> str:
    """The scene id of a tasking capture's product at ``level``, in Aleph's form."""
    sat = re.sub(r"[^A-Za-z0-9]", "", satellite).upper()
    when = start.astimezone(UTC).strftime("%Y%m%d_%H%M%S")
    return f"{when}_{sat}_{level}_MS_{task_id or 'NA'}"


def orthorectified(level: str) -> bool:
    """Whether products at ``level`` are orthorectified."""
    return not level.upper().startswith(NOT_ORTHORECTIFIED)


def _rounded(value: float | None, places: int = 3) -> float | None:
    return round(value, places) if value is not None else None


def delivery_metadata(
    product: dict[str, Any],
    source: Acquisition,
    level: str,
    produced_at: datetime,
    version: str,
) -> dict[str, Any]:
    """The product's own metadata with the keys Aleph shows for a delivered deliverable."""
    return {
        **product,
        "camera": source.camera,
        "n_bands": product.get("n_bands"),
        "created_at": produced_at.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z",
        "exposure_sec": None,
        "offnadir_deg": _rounded(source.off_nadir_deg),
        "sun_elevation": _rounded(source.sun_elevation_deg, 1),
        "cloud_coverage": product.get("cloud_cover"),
        "orthorectified": orthorectified(level),
        "product_version": version,
        "gsd": product.get("gsd"),
        "area_km2": product.get("area_km2"),
        "collection": source.collection,
        "scene_id": source.scene_id,
    }
