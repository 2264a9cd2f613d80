"""The object store contract, run against the in-memory fake and the local-disk store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.delivery.local import LocalDiskStore
from skyorder.delivery.objects import MemoryStore, ObjectMissing, ObjectStore, check_key

DATA = bytes(range(256)) * 1000  # 256 000 bytes: several chunks


@pytest.fixture(params=["memory", "local"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "memory":
        return MemoryStore()
    return LocalDiskStore(tmp_path / "objects")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "visual.tif"
    path.write_bytes(DATA)
    return path


def test_a_stored_file_reports_size_checksum_and_type(store: ObjectStore, source: Path) -> None:
    stored = store.put_file("d/1/visual.tif", source, "image/tiff")
    assert stored.size == len(DATA)
    assert stored.sha256 == hashlib.sha256(DATA).hexdigest()
    assert stored.content_type == "image/tiff"
    assert store.stat("d/1/visual.tif") == stored


def test_the_type_is_guessed_from_the_extension(store: ObjectStore, source: Path) -> None:
    assert store.put_file("d/1/thumb.png", source).content_type == "image/png"


def test_a_file_streams_back_whole(store: ObjectStore, source: Path) -> None:
    store.put_file("k.bin", source)
    assert b"".join(store.open_range("k.bin")) == DATA


def test_a_range_streams_back_inclusive(store: ObjectStore, source: Path) -> None:
    store.put_file("k.bin", source)
    assert b"".join(store.open_range("k.bin", 70_000, 200_000)) == DATA[70_000:200_001]


def test_exists_and_delete(store: ObjectStore, source: Path) -> None:
    store.put_file("k.bin", source)
    assert store.exists("k.bin")
    store.delete("k.bin")
    assert not store.exists("k.bin")
    store.delete("k.bin")  # deleting nothing is fine


def test_a_missing_object_is_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectMissing):
        store.stat("nothing/here")


@pytest.mark.parametrize(
    "key",
    ["", "/etc/passwd", "../secret", "a/../../b", "a//b", "a/", ".meta/x.json", "a\\b", "a\x00b"],
)
def test_unsafe_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        store.stat(key)
    assert info.value.errors[0].field == "key"


def test_safe_keys_pass() -> None:
    assert check_key("deliverables/0b1c/visual.tif") == "deliverables/0b1c/visual.tif"


def test_a_symbolic_link_out_of_the_store_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    store = LocalDiskStore(tmp_path / "objects")
    (tmp_path / "objects" / "link").symlink_to(outside)
    with pytest.raises(ValidationFailed, match="outside the object store"):
        store.stat("link")


def test_a_file_changed_behind_the_store_loses_its_checksum(tmp_path: Path, source: Path) -> None:
    store = LocalDiskStore(tmp_path / "objects")
    store.put_file("k.bin", source)
    store.path_of("k.bin").write_bytes(b"changed")
    stat = store.stat("k.bin")
    assert (stat.size, stat.sha256) == (7, None)
