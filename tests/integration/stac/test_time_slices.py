"""Searches sorted by time read the newest slice first: the pages are the same ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from skyorder.runtime import Runtime
from skyorder.store.repositories.catalog import CatalogRepository
from tests.integration.stac.conftest import Stac, ids, next_link

BOX = [30.0, 10.0, 30.2, 10.2]
# Uneven on purpose: many old scenes, few recent ones, so a page sorted newest first
# needs several slices, and one sorted oldest first fills from the first.
TIMES = [
    *(datetime(2020, 2, 1, tzinfo=UTC) + timedelta(days=3 * i, hours=i) for i in range(40)),
    *(datetime(2023, 3, 1, tzinfo=UTC) + timedelta(days=40 * i, hours=i) for i in range(3)),
    datetime(2024, 6, 30, 12, tzinfo=UTC),
]


def _scene(i: int, when: datetime) -> dict[str, Any]:
    x = 30.05 + (i % 5) * 0.01
    ring = [[x, 10.05], [x + 0.05, 10.05], [x + 0.05, 10.1], [x, 10.1], [x, 10.05]]
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"SLICE-{i:03d}",
        "geometry": {
            "type": "Polygon",
            "coordinates": [ring],
        },
        "bbox": [x, 10.05, x + 0.05, 10.1],
        "properties": {"datetime": when.isoformat(), "eo:cloud_cover": float(i % 30)},
        "assets": {},
        "links": [],
    }


@pytest.fixture
def slices(client: Any, provider: dict[str, Any]) -> Stac:
    stac = Stac(client, provider["headers"])
    collection = {"type": "Collection", "id": "slices", "description": "d", "license": "CC0-1.0"}
    assert stac.post("/collections", collection).status_code == 201
    bulk = {"type": "FeatureCollection", "features": [_scene(i, t) for i, t in enumerate(TIMES)]}
    assert stac.post("/collections/slices/items", bulk).status_code == 201
    return stac


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each query of a search page returned."""
    counts: list[int] = []
    page_rows = CatalogRepository._page_rows

    def counting(self: CatalogRepository, *args: Any) -> Any:
        rows = page_rows(self, *args)
        counts.append(len(rows))
        return rows

    monkeypatch.setattr(CatalogRepository, "_page_rows", counting)
    return counts


def _expected(start: datetime | None, end: datetime | None, descending: bool) -> list[str]:
    chosen = [
        (t, f"SLICE-{i:03d}")
        for i, t in enumerate(TIMES)
        if (start is None or t >= start) and (end is None or t <= end)
    ]
    return [name for _, name in sorted(chosen, reverse=descending)]


def _walk(stac: Stac, body: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    page = stac.search(**body)
    while True:
        seen += ids(page)
        link = next_link(page)
        if link is None:
            return seen
        page = stac.search(**link["body"])


WINDOWS = [
    (datetime(2019, 6, 1, tzinfo=UTC), datetime(2024, 12, 31, tzinfo=UTC)),
    (datetime(2020, 3, 1, tzinfo=UTC), datetime(2023, 6, 1, tzinfo=UTC)),
    (None, datetime(2023, 6, 1, tzinfo=UTC)),
    (datetime(2020, 5, 1, tzinfo=UTC), None),
    (None, None),
]


def _interval(start: datetime | None, end: datetime | None) -> str:
    def text(t: datetime | None) -> str:
        return ".." if t is None else t.isoformat().replace("+00:00", "Z")

    return f"{text(start)}/{text(end)}"


@pytest.mark.parametrize("window", WINDOWS, ids=lambda w: _interval(*w))
@pytest.mark.parametrize("direction", ["desc", "asc"])
@pytest.mark.parametrize("limit", [1, 4, 100])
def test_time_sorted_pages_are_the_same_as_one_sorted_read(
    slices: Stac, window: tuple[datetime | None, datetime | None], direction: str, limit: int
) -> None:
    body: dict[str, Any] = {
        "bbox": BOX,
        "limit": limit,
        "sortby": [{"field": "properties.datetime", "direction": direction}],
    }
    if window != (None, None):
        body["datetime"] = _interval(*window)
    assert _walk(slices, body) == _expected(*window, descending=direction == "desc")


def test_a_sparse_recent_end_is_read_in_several_slices_on_postgresql(
    slices: Stac, reads: list[int], runtime: Runtime
) -> None:
    page = slices.search(bbox=BOX, datetime="2019-06-01T00:00:00Z/2024-12-31T00:00:00Z", limit=6)
    assert ids(page) == _expected(datetime(2019, 6, 1, tzinfo=UTC), None, True)[:6]
    if runtime.engine.dialect.name == "sqlite":
        assert reads == [7]  # SQLite's R*Tree holds no time: one read (a page and one more)
        return
    assert len(reads) == 3 and reads[0] < 6  # the newest slice alone could not fill the page
    reads.clear()
    page = slices.search(
        bbox=BOX,
        datetime="2020-01-15T00:00:00Z/2024-12-31T00:00:00Z",
        limit=6,
        sortby=[{"field": "properties.datetime", "direction": "asc"}],
    )
    assert len(reads) == 1 and len(ids(page)) == 6  # the oldest slice filled it
    reads.clear()
    page = slices.search(collections=["slices"], limit=6)
    assert len(reads) == 1 and len(ids(page)) == 6  # without a box, the time index suffices


def test_a_search_by_ids_is_one_read(slices: Stac, reads: list[int]) -> None:
    page = slices.search(ids=["SLICE-000", "SLICE-043"], collections=["slices"])
    assert ids(page) == ["SLICE-043", "SLICE-000"] and reads == [2]
