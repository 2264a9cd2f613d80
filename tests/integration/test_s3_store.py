"""The S3 object store against a real S3 API (moto's server on a loopback port)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from skyorder.delivery.objects import ObjectMissing, StoreError
from skyorder.delivery.s3 import S3Location, S3Store
from skyorder.settings import Settings
from tests.outbound_fakes import moto_s3

DATA = bytes(range(256)) * 300


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture
def store(endpoint: str) -> S3Store:
    location = S3Location("platform-files", "objects", endpoint, "us-east-1", "k", "s")
    s3 = S3Store(location)
    s3.client.create_bucket(Bucket="platform-files")
    return s3


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "visual.tif"
    path.write_bytes(DATA)
    return path


def test_a_put_file_reports_the_content_checksum(store: S3Store, source: Path) -> None:
    stored = store.put_file("d/1/visual.tif", source, "image/tiff")
    assert (stored.size, stored.content_type) == (len(DATA), "image/tiff")
    assert stored.sha256 == hashlib.sha256(DATA).hexdigest()


def test_objects_live_under_the_prefix(store: S3Store, source: Path, endpoint: str) -> None:
    store.put_file("d/1/visual.tif", source)
    listed = store.client.list_objects_v2(Bucket="platform-files")["Contents"]
    assert [o["Key"] for o in listed] == ["objects/d/1/visual.tif"]


def test_a_range_streams_back(store: S3Store, source: Path) -> None:
    store.put_file("k.bin", source)
    assert b"".join(store.open_range("k.bin", 1000, 70_000)) == DATA[1000:70_001]
    assert b"".join(store.open_range("k.bin")) == DATA


def test_an_empty_object_streams_back_empty(store: S3Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    store.put_file("empty.bin", empty)
    assert b"".join(store.open_range("empty.bin")) == b""


def test_missing_and_deleted_objects(store: S3Store, source: Path) -> None:
    store.put_file("k.bin", source)
    store.delete("k.bin")
    assert not store.exists("k.bin")
    with pytest.raises(ObjectMissing):
        store.stat("k.bin")


def test_a_missing_bucket_is_a_store_error(endpoint: str, source: Path) -> None:
    s3 = S3Store(S3Location("no-such-bucket", "", endpoint, None, "k", "s"))
    with pytest.raises(StoreError, match="NoSuchBucket"):
        s3.put_file("k.bin", source)


def test_the_settings_build_an_s3_store(endpoint: str, tmp_path: Path) -> None:
    from skyorder.delivery.stores import build_object_store

    settings = Settings(
        data_dir=tmp_path,
        object_store="s3",
        s3_endpoint_url=endpoint,
        s3_bucket="platform-files",
        s3_access_key_id="k",
        s3_secret_access_key="s",  # type: ignore[arg-type]
    )
    built = build_object_store(settings)
    assert isinstance(built, S3Store)
    assert built.location.secret_access_key == "s"
