"""Small valid request bodies that tests tweak."""

from __future__ import annotations

import copy
from typing import Any

TOULOUSE = {
    "type": "Polygon",
    "coordinates": [
        [
            [1.4089965820312502, 43.59829500262717],
            [1.4089965820312502, 43.63408731864001],
            [1.5078735351562496, 43.63408731864001],
            [1.5078735351562496, 43.59829500262717],
            [1.4089965820312502, 43.59829500262717],
        ]
    ],
}

MAR_DEL_PLATA = {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}


def tasking_item(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "kind": "tasking",
        "product": "TSKRSH-M.NN.NN",
        "aoi": copy.deepcopy(MAR_DEL_PLATA),
        "window": {"start": "2026-01-06T00:00:00Z", "end": "2026-01-20T23:59:00Z"},
        "max_off_nadir": 30,
        "max_cloud_cover": 20,
        "priority": "rush",
        "revisit_period": "P1D",
        "processing_levels": ["L1B", "L1D_SR"],
    }
    item.update(overrides)
    return item


def archive_item(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "kind": "archive",
        "collection": "phr",
        "item_id": "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724",
        "processing_level": "ORTHO",
        "aoi": copy.deepcopy(TOULOUSE),
        "options": {"product_type": "pansharpened", "radiometric_processing": "DISPLAY"},
    }
    item.update(overrides)
    return item


def order_body(
    *items: dict[str, Any], name: str = "Mar del Plata Airport", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "items": list(items) or [tasking_item()]}
    body.update(extra)
    return body
