from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from skyorder.cli.main import app as cli
from skyorder.runtime import Runtime
from skyorder.services.catalog import CatalogArchive
from skyorder.settings import Settings
from tests.integration.stac.conftest import Stac

ITEM: dict[str, Any] = {
    "type": "Feature",
    "stac_version": "1.0.0",
    "id": "PROVIDER-SCENE-1",
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[10.0, 45.0], [10.1, 45.0], [10.1, 45.1], [10.0, 45.1], [10.0, 45.0]]],
    },
    "bbox": [10.0, 45.0, 10.1, 45.1],
    "properties": {
        "datetime": "2025-03-04T10:31:00+01:00",
        "eo:cloud_cover": 4.5,
        "platform": "PHR1B",
        "gsd": 0.5,
    },
    "assets": {"visual": {"href": "https://provider.example/scene-1.tif", "title": "visual"}},
    "links": [],
}


def feature(item_id: str, **props: Any) -> dict[str, Any]:
    data = copy.deepcopy(ITEM)
    data["id"] = item_id
    data["properties"].update(props)
    return data


@pytest.fixture
def stac(client: TestClient, provider: dict[str, Any], archive: Runtime) -> Stac:
    """Transactions are made by an API client with the provider role, of the owner."""
    with archive.uow() as uow:
        uow.catalog.claim_collections(["phr", "vhr30"], provider["organisation_id"])
        uow.commit()
    return Stac(client, provider["headers"])


def test_a_customer_cannot_write_the_catalog(
    client: TestClient, tenant: dict[str, Any], archive: Runtime
) -> None:
    customer = Stac(client, tenant["headers"])
    response = customer.post("/collections/phr/items", {"type": "Feature"})
    assert response.status_code == 403
    assert "provider" in response.json()["description"]
    response = customer.post("/collections", {"id": "mine"})
    assert response.status_code == 403


def test_a_provider_adds_an_item_and_finds_it_priced(stac: Stac) -> None:
    response = stac.post("/collections/phr/items", ITEM)
    assert response.status_code == 201, response.text
    assert response.headers["location"].endswith("/stac/collections/phr/items/PROVIDER-SCENE-1")
    item = stac.get("/collections/phr/items/PROVIDER-SCENE-1").json()
    assert item["properties"]["datetime"] == "2025-03-04T09:31:00Z"
    assert item["properties"]["skyorder:product"] == "ARC-PHR-KM2"
    assert item["properties"]["opencosmos:price"] > 0
    assert item["assets"]["visual"]["href"] == "https://provider.example/scene-1.tif"
    found = stac.search(bbox=[10.02, 45.02, 10.03, 45.03], query={"eo:cloud_cover": {"lt": 5}})
    assert [f["id"] for f in found["features"]] == ["PROVIDER-SCENE-1"]


def test_bulk_ingest_and_the_collection_extent_grows(stac: Stac) -> None:
    bulk = {"type": "FeatureCollection", "features": [feature(f"BULK-{i}") for i in range(30)]}
    response = stac.post("/collections/vhr30/items", bulk)
    assert response.status_code == 201, response.text
    assert response.json()["added"] == 30
    assert (
        len(stac.search(collections=["vhr30"], ids=[f"BULK-{i}" for i in range(30)])["features"])
        == 10
    )
    west, south, east, north = stac.get("/collections/vhr30").json()["extent"]["spatial"]["bbox"][0]
    assert west <= 10.0 and east >= 10.1


def test_invalid_items_are_refused_naming_each_field_and_nothing_is_written(stac: Stac) -> None:
    bad_geometry = feature("BAD-1")
    bad_geometry["geometry"]["coordinates"][0][2] = [200.0, 45.1]
    no_time = feature("BAD-2")
    del no_time["properties"]["datetime"]
    cloudy = feature("BAD-3", **{"eo:cloud_cover": 140})
    bulk = {
        "type": "FeatureCollection",
        "features": [feature("GOOD"), bad_geometry, no_time, cloudy],
    }
    response = stac.post("/collections/phr/items", bulk)
    assert response.status_code == 400
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == [
        "features[1].geometry.coordinates[0][2][0]",
        "features[2].properties.datetime",
        "features[3].properties.eo:cloud_cover",
    ]
    assert stac.search(ids=["GOOD"])["features"] == []


def test_an_item_for_another_collection_or_an_unknown_one_is_refused(stac: Stac) -> None:
    other = feature("X-1")
    other["collection"] = "vhr30"
    response = stac.post("/collections/phr/items", other)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "collection"
    assert stac.post("/collections/nope/items", ITEM).status_code == 404
    assert stac.post("/collections/phr/items", {"type": "Feature"}).status_code == 400


def test_a_provider_creates_a_collection(stac: Stac) -> None:
    body = {
        "type": "Collection",
        "id": "my-archive",
        "description": "Our scenes",
        "license": "CC-BY-4.0",
    }
    assert stac.post("/collections", body).status_code == 201
    assert stac.post("/collections/my-archive/items", ITEM).status_code == 201
    assert stac.get("/collections/my-archive").json()["license"] == "CC-BY-4.0"


def test_the_catalog_archive_gives_pricing_the_scene_footprint(archive: Runtime) -> None:
    footprints = CatalogArchive(archive.uow)
    scene = footprints.footprint("phr", "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724")
    assert scene is not None and scene["type"] == "Polygon"
    assert footprints.footprint("phr", "missing") is None


def test_the_cli_ingests_a_file_and_generates_scenes(
    archive: Runtime, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "items.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature("CLI-1")]}))
    args = ["--data-dir", str(settings.data_dir), "--database-url", settings.database()]
    result = CliRunner().invoke(cli, ["catalog", "ingest", str(path), "--collection", "phr", *args])
    assert result.exit_code == 0, result.output
    assert "1 item(s) ingested" in result.output
    with archive.uow() as uow:
        before = uow.catalog.count()
        assert uow.catalog.item("phr", "CLI-1") is not None
    result = CliRunner().invoke(cli, ["catalog", "generate", "--items", "60", "--seed", "7", *args])
    assert result.exit_code == 0, result.output
    with archive.uow() as uow:
        assert uow.catalog.count() >= before  # the examples are replaced, the rest added
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "Feature", "id": "x"}))
    result = CliRunner().invoke(cli, ["catalog", "ingest", str(bad), "--collection", "phr", *args])
    assert result.exit_code == 2 and "geometry" in result.output
