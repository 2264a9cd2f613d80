"""An archive item's assets download as real files made from its scene."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from rasterio.io import MemoryFile
from rasterio.warp import transform_bounds
from shapely.geometry import box, shape

from skyorder.runtime import Runtime
from tests.catalog_examples import install_example_catalog

ITEM = "/stac/collections/phr/items/DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"


@pytest.fixture
def examples(runtime: Runtime) -> None:
    install_example_catalog(runtime)


def item(client: TestClient, tenant: dict[str, Any]) -> Any:
    response = client.get(ITEM, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def download(client: TestClient, tenant: dict[str, Any], href: str, **headers: str) -> Any:
    return client.get(href, headers={**tenant["headers"], **headers})


@pytest.mark.usefixtures("examples")
def test_the_data_assets_are_cogs_covering_the_scene(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    found = item(client, tenant)
    footprint = shape(found["geometry"])
    for key in ("pan", "ms"):
        response = download(client, tenant, found["assets"][key]["href"])
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("image/tiff")
        with MemoryFile(response.content) as memory, memory.open() as src:
            assert src.driver == "GTiff"
            bounds = src.bounds
            west, south, east, north = transform_bounds(src.crs, 4326, *bounds)
        assert box(west, south, east, north).intersection(footprint).area > 0.9 * footprint.area


@pytest.mark.usefixtures("examples")
def test_the_same_asset_is_the_same_file_every_time_and_ranges_are_honoured(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    href = item(client, tenant)["assets"]["visual"]["href"]
    first = download(client, tenant, href)
    again = download(client, tenant, href)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    part = download(client, tenant, href, Range="bytes=0-99")
    assert part.status_code == 206
    assert part.content == first.content[:100]


@pytest.mark.usefixtures("examples")
def test_the_thumbnail_is_a_png(client: TestClient, tenant: dict[str, Any]) -> None:
    response = download(client, tenant, item(client, tenant)["assets"]["thumbnail"]["href"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.usefixtures("examples")
def test_an_unknown_asset_key_answers_404_naming_the_assets(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    response = download(client, tenant, f"{ITEM}/assets/nothing")
    assert response.status_code == 404
    assert "pan" in response.json()["description"]


def test_assets_need_credentials(client: TestClient, runtime: Runtime) -> None:
    install_example_catalog(runtime)
    assert client.get(f"{ITEM}/assets/thumbnail").status_code == 401
