"""pystac-client searches the STAC API of a real server process and pages through results."""

from __future__ import annotations

import pytest
from pystac_client import Client

from tests.e2e.conftest import Server

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

CHILE = [-71.72, -27.68, -71.02, -27.06]


def _client(server: Server, mount: str = "/stac") -> Client:
    return Client.open(f"{server.base_url}{mount}", headers={"X-API-Key": server.creds["api_key"]})


def test_bbox_datetime_and_cloud_cover_query_find_the_datacosmos_example(server: Server) -> None:
    search = _client(server, "/api/data/v0/stac").search(
        collections=["sentinel-2-l2a"],
        bbox=CHILE,
        datetime="2024-01-01T00:00:00Z/..",
        query={"eo:cloud_cover": {"lte": 20}},
        limit=2,
    )
    items = list(search.items())
    assert len(items) >= 4
    assert all(i.properties["eo:cloud_cover"] <= 20 for i in items)
    assert all(i.datetime is not None and i.datetime.year >= 2024 for i in items)
    assert all(i.properties["opencosmos:price_currency"] for i in items)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_paging_visits_every_match_once(server: Server, method: str) -> None:
    client = _client(server)
    search = client.search(
        method=method,
        collections=["micro-fleet-l1"],
        datetime="2021-01-01T00:00:00Z/2025-12-31T23:59:59Z",
        query={"eo:cloud_cover": {"lt": 30}},
        limit=25,
    )
    pages = list(search.pages_as_dicts())
    ids = [f["id"] for page in pages for f in page["features"]]
    assert len(pages) > 3
    assert len(ids) == len(set(ids))
    everything = client.search(
        method=method,
        collections=["micro-fleet-l1"],
        datetime="2021-01-01T00:00:00Z/2025-12-31T23:59:59Z",
        query={"eo:cloud_cover": {"lt": 30}},
        limit=1000,
    )
    assert set(ids) == {f["id"] for f in everything.items_as_dicts()}
