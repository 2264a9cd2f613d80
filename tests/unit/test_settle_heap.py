"""The server settles its heap at start-up: start-up objects leave the collector's passes."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from skyorder.api.app import GC_THRESHOLDS, settle_heap


@pytest.fixture
def restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restore_gc")
def test_start_up_objects_are_frozen_and_young_passes_are_rarer() -> None:
    kept = [[i] for i in range(1000)]  # long-lived containers, as start-up leaves
    settle_heap()
    assert gc.get_freeze_count() >= len(kept)
    assert gc.get_threshold() == GC_THRESHOLDS
