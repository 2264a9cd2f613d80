"""An archive item's assets download as real files made from its scene."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rasterio.warp import transform_bounds
from shapely.geometry import box, shape

from skyorder.core.tenants import Principal
from skyorder.runtime import Runtime
from skyorder.services import scene_assets
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


def scene_files(runtime: Runtime) -> set[str]:
    """Every file under the scenes folder, as ``<scene folder>/<name>``."""
    root = runtime.imagery.root
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.usefixtures("examples")
def test_a_first_download_makes_only_that_asset(
    client: TestClient, tenant: dict[str, Any], runtime: Runtime
) -> None:
    response = download(client, tenant, f"{ITEM}/assets/thumbnail")
    assert response.status_code == 200, response.text
    made = {name.split("/")[-1] for name in scene_files(runtime) if "overview" in name} - {
        ".overview-thumbnail.lock"
    }
    assert made == {"overview_thumbnail.png"}
    assert not any(name.endswith((".zip", "_VISUAL.tif", "_item.json")) for name in made)


@pytest.mark.usefixtures("examples")
def test_concurrent_first_downloads_make_the_asset_once(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = scene_assets.make_products

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(",".join(sorted(kwargs["only"])))
        time.sleep(0.2)  # long enough for the other requests to arrive meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(scene_assets, "make_products", counted)
    collection, item_id = ITEM.split("/")[3], ITEM.split("/")[5]
    with ThreadPoolExecutor(6) as pool:
        found = list(
            pool.map(
                lambda _: runtime.facade.catalog.asset_file(
                    Principal(organisation_id="any", client_id="any"),  # open in a sandbox
                    collection,
                    item_id,
                    "visual",
                ),
                range(6),
            )
        )
    assert calls == ["visual"]
    contents = {f.path.read_bytes() for f in found}
    assert len(contents) == 1
    assert not [p for p in runtime.imagery.root.rglob("*.partial")]


@pytest.mark.usefixtures("examples")
def test_sandbox_assets_are_real_files_in_the_scenes_utm_zone(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    found = item(client, tenant)
    footprint = shape(found["geometry"])
    for key in ("pan", "ms", "visual"):
        response = download(client, tenant, found["assets"][key]["href"])
        with MemoryFile(response.content) as memory, memory.open() as src:
            assert src.crs.to_epsg() == 32631  # Toulouse
            west, south, east, north = transform_bounds(src.crs, 4326, *src.bounds)
        assert box(west, south, east, north).intersection(footprint).area > 0.9 * footprint.area
    png = download(client, tenant, found["assets"]["thumbnail"]["href"]).content
    with (
        pytest.warns(NotGeoreferencedWarning),  # a plain PNG, as deliverables' thumbnails
        MemoryFile(png) as memory,
        memory.open() as src,
    ):
        assert src.driver == "PNG"
        assert max(src.width, src.height) == 256
        assert src.count == 4
    metadata = download(client, tenant, found["assets"]["metadata"]["href"]).json()
    assert metadata["crs_code"] == "urn:ogc:def:crs:EPSG::32631"


@pytest.mark.usefixtures("examples")
def test_full_resolution_is_made_on_request(client: TestClient, tenant: dict[str, Any]) -> None:
    href = item(client, tenant)["assets"]["pan"]["href"]
    sandbox = download(client, tenant, href)
    full = client.get(href, params={"resolution": "full"}, headers=tenant["headers"])
    assert full.status_code == 200, full.text
    with MemoryFile(sandbox.content) as a, a.open() as coarse:
        with MemoryFile(full.content) as b, b.open() as fine:
            assert fine.res[0] < coarse.res[0]
            assert fine.crs == coarse.crs
            assert fine.width * fine.height > coarse.width * coarse.height


@pytest.mark.usefixtures("examples")
def test_an_unknown_resolution_answers_400_naming_it(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    response = client.get(
        f"{ITEM}/assets/ms", params={"resolution": "huge"}, headers=tenant["headers"]
    )
    assert response.status_code == 400
    assert "resolution" in response.json()["description"]
