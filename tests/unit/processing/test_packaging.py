"""The delivery bundle, its manifest and the STAC item."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pystac
import pytest
from pystac.validation import validate_dict
from pystac.validation.stac_validator import JsonSchemaSTACValidator

from tests.unit.processing.conftest import Produce


def manifest_of(produce: Produce, **options: str) -> dict[str, object]:
    product = produce(**options)
    with zipfile.ZipFile(product.file("delivery").path) as archive:
        loaded: dict[str, object] = json.loads(archive.read(f"{product.product_id}/manifest.json"))
    return loaded


def test_the_zip_holds_every_file_but_itself_plus_the_manifest(produce: Produce) -> None:
    product = produce()
    with zipfile.ZipFile(product.file("delivery").path) as archive:
        names = sorted(archive.namelist())
    expected = [f.name for f in product.files if f.key != "delivery"] + ["manifest.json"]
    assert names == sorted(f"{product.product_id}/{name}" for name in expected)


def test_manifest_checksums_match_the_zipped_files(produce: Produce) -> None:
    product = produce(product_type="bundle", image_format="image/jp2")
    manifest = manifest_of(produce, product_type="bundle", image_format="image/jp2")
    entries = manifest["files"]
    assert isinstance(entries, list)
    with zipfile.ZipFile(product.file("delivery").path) as archive:
        for entry in entries:
            content = archive.read(f"{product.product_id}/{entry['name']}")
            assert (len(content), hashlib.sha256(content).hexdigest()) == (
                entry["size"],
                entry["sha256"],
            )


def test_manifest_checksums_match_the_files_on_disk(produce: Produce) -> None:
    product = produce()
    entries = manifest_of(produce)["files"]
    assert isinstance(entries, list)
    for entry in entries:
        content = product.file(entry["key"]).path.read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]


def test_result_checksums_match_the_files(produce: Produce) -> None:
    for product_file in produce(product_type="bundle").files:
        assert hashlib.sha256(product_file.path.read_bytes()).hexdigest() == product_file.sha256


@pytest.mark.parametrize(
    "options",
    [{}, {"product_type": "bundle", "image_format": "image/jp2", "crs_code": "EPSG:4326"}],
)
def test_the_stac_item_is_valid(
    produce: Produce, stac_validator: JsonSchemaSTACValidator, options: dict[str, str]
) -> None:
    item = json.loads(produce(**options).file("stac").path.read_text(encoding="utf-8"))
    assert validate_dict(item, validator=stac_validator)


def test_the_stac_item_lists_the_files_with_checksums(produce: Produce) -> None:
    product = produce()
    item = pystac.Item.from_file(str(product.file("stac").path))
    analytic = item.assets["analytic"]
    assert analytic.href == f"./{product.file('analytic').name}"
    assert analytic.extra_fields["file:checksum"] == "1220" + product.file("analytic").sha256
    assert set(item.assets) == {"analytic", "visual", "preview", "thumbnail", "metadata"}


def test_the_stac_item_carries_crs_gsd_and_cloud_cover(produce: Produce) -> None:
    product = produce(crs_code="EPSG:4326")
    item = pystac.Item.from_file(str(product.file("stac").path))
    assert item.assets["analytic"].extra_fields["proj:code"] == "EPSG:4326"
    assert item.properties["gsd"] == product.metadata.gsd
    cloud_percent = 100 * product.metadata.cloud_cover
    assert item.properties["eo:cloud_cover"] == pytest.approx(cloud_percent, abs=1e-3)


def test_the_metadata_file_matches_the_result(produce: Produce) -> None:
    product = produce()
    written = json.loads(product.file("metadata").path.read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(product.metadata.to_json()))
