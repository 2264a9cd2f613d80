"""Tiny real scenes and products, made once per session (a few hundred pixels a side)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pystac.validation.stac_validator import JsonSchemaSTACValidator

from skyorder.processing import (
    ProductOptions,
    ProductSet,
    Scene,
    SceneRequest,
    builtin_sensor,
    make_products,
    synthesize_scene,
)

ACQUIRED = datetime(2025, 11, 10, 17, 48, 36, tzinfo=UTC)
PRODUCED = datetime(2025, 11, 10, 19, 47, 7, tzinfo=UTC)
SCHEMAS = Path(__file__).parents[2] / "data" / "stac-schemas"
EXTENSION_SCHEMAS = {
    "https://stac-extensions.github.io/eo/v1.1.0/schema.json": "eo-v1.1.0.json",
    "https://stac-extensions.github.io/projection/v2.0.0/schema.json": "projection-v2.0.0.json",
    "https://stac-extensions.github.io/file/v2.1.0/schema.json": "file-v2.1.0.json",
}

# About 2.4 km x 2.2 km near Toulouse (UTM zone 31N), and an AOI well inside it.
FOOTPRINT: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [
        [[1.400, 43.580], [1.430, 43.580], [1.430, 43.600], [1.400, 43.600], [1.400, 43.580]]
    ],
}
AOI: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [
        [[1.405, 43.583], [1.425, 43.582], [1.427, 43.597], [1.410, 43.598], [1.405, 43.583]]
    ],
}


def polygon(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    """A GeoJSON rectangle."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def scene_request(scene_id: str, sensor: str = "micro", **changes: Any) -> SceneRequest:
    """A small scene request; ``changes`` override fields."""
    fields: dict[str, Any] = {
        "scene_id": scene_id,
        "footprint": FOOTPRINT,
        "sensor": builtin_sensor(sensor),
        "acquired_at": ACQUIRED,
        "cloud_cover": 0.2,
        "gsd": 20.0,
    }
    fields.update(changes)
    return SceneRequest(**fields)


@pytest.fixture(scope="session")
def ms_scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """A 4-band, 20 m multispectral-only scene (the micro fleet)."""
    return synthesize_scene(scene_request("SN44_MS_TEST"), tmp_path_factory.mktemp("ms_scene"))


@pytest.fixture(scope="session")
def pan_scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """A Pleiades-like scene: 2.5 m panchromatic, 10 m multispectral."""
    request = scene_request("PHR_TEST", sensor="PHR", gsd=2.5, cloud_cover=0.15)
    return synthesize_scene(request, tmp_path_factory.mktemp("pan_scene"))


Produce = Callable[..., ProductSet]


@pytest.fixture(scope="session")
def produce(tmp_path_factory: pytest.TempPathFactory, pan_scene: Scene) -> Produce:
    """Make (once) a product of the pan/MS scene over AOI with the given wire options."""
    made: dict[tuple[tuple[str, str], ...], ProductSet] = {}

    def make(**options: str) -> ProductSet:
        key = tuple(sorted(options.items()))
        if key not in made:
            out = tmp_path_factory.mktemp("product")
            parsed = ProductOptions.parse(**options)
            made[key] = make_products(pan_scene, AOI, parsed, out, produced_at=PRODUCED)
        return made[key]

    return make


@pytest.fixture(scope="session")
def stac_validator() -> JsonSchemaSTACValidator:
    """pystac's validator with the extension schemas read from tests/data (no network)."""
    validator = JsonSchemaSTACValidator()
    for uri, name in EXTENSION_SCHEMAS.items():
        validator.schema_cache[uri] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return validator
