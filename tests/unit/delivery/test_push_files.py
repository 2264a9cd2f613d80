"""Copying a deliverable's files between stores (fakes on both sides)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skyorder.core.deliverables import Asset, Deliverable, DeliverableStatus
from skyorder.delivery.objects import MemoryStore, StoredObject
from skyorder.delivery.push import PushError, file_names, push_files

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
FILES = {"visual": b"visual-bytes" * 100, "thumbnail": b"\x89PNG thumb"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def deliverable(source: MemoryStore, **sha_overrides: str) -> Deliverable:
    assets = {}
    for key, data in FILES.items():
        path = f"deliverables/d1/{key}.bin"
        source.put_bytes(path, data)
        assets[key] = Asset(
            key,
            path,
            "application/octet-stream",
            ("data",),
            len(data),
            sha_overrides.get(key, sha(data)),
        )
    return Deliverable(
        id="d1", organisation_id="o", contract_id="c", order_id="ord", order_number="000042",
        item_id="i", capture_id=None, processing_level="L1D", status=DeliverableStatus.DELIVERED,
        footprint=None, assets=assets, created_at=T0, updated_at=T0,
    )  # fmt: skip


def test_every_file_lands_under_order_number_and_deliverable_id() -> None:
    source, target = MemoryStore(), MemoryStore()
    report = push_files(source, target, deliverable(source))
    assert sorted(report.keys) == ["000042/d1/thumbnail.bin", "000042/d1/visual.bin"]
    assert target.objects["000042/d1/visual.bin"][0] == FILES["visual"]


def test_a_repeated_push_uploads_nothing_already_there() -> None:
    source, target = MemoryStore(), MemoryStore()
    d = deliverable(source)
    push_files(source, target, d)
    assert push_files(source, target, d).uploaded == []


def test_a_file_with_a_wrong_checksum_in_the_bucket_is_sent_again() -> None:
    source, target = MemoryStore(), MemoryStore()
    d = deliverable(source)
    push_files(source, target, d)
    target.put_bytes("000042/d1/visual.bin", b"truncated")
    assert push_files(source, target, d).uploaded == ["000042/d1/visual.bin"]


def test_a_stored_file_that_differs_from_its_record_is_not_pushed() -> None:
    source, target = MemoryStore(), MemoryStore()
    d = deliverable(source, visual="0" * 64)
    with pytest.raises(PushError, match="differs from the recorded"):
        push_files(source, target, d)
    assert "000042/d1/visual.bin" not in target.objects


def test_files_with_the_same_name_get_distinct_keys() -> None:
    source = MemoryStore()
    d = deliverable(source)
    d.assets["preview"] = Asset("preview", "other/visual.bin", "image/png", ("overview",))
    assert sorted(file_names(d).values()) == ["thumbnail.bin", "visual-visual.bin", "visual.bin"]


class CorruptingStore(MemoryStore):
    """A bucket that damages what it receives."""

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> StoredObject:
        return self.put_bytes(key, path.read_bytes()[:-1], content_type)


def test_a_corrupted_upload_is_refused_and_removed() -> None:
    source, target = MemoryStore(), CorruptingStore()
    with pytest.raises(PushError, match="the bucket reports SHA-256"):
        push_files(source, target, deliverable(source))
    assert target.objects == {}
