"""Security ages on the wall clock on a real sandbox server, whatever its sandbox clock says.

A client keeps its token across advances (no vendor's client code fetches a new one
after moving sandbox time), and a signed download link expires by real time: here after
15 seconds (``SKYORDER_DOWNLOAD_LINK_TTL_SECONDS``), however far the clock is advanced.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, running_server

LINK_TTL = 15
DAY = 86_400


@pytest.fixture
def short_links(tmp_path: Path, database_url: str, engine: Any) -> Iterator[Server]:
    from tests.conftest import _empty

    _empty(engine)
    env = {"SKYORDER_DOWNLOAD_LINK_TTL_SECONDS": str(LINK_TTL)}
    with running_server(tmp_path, database_url, env=env) as running:
        yield running


def _bearer(server: Server) -> httpx.Client:
    issued = httpx.post(
        f"{server.base_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": server.creds["client_id"],
            "client_secret": server.creds["client_secret"],
        },
    )
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    return httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=120
    )


def _delivered_archive_scene(c: httpx.Client, project_id: str) -> dict[str, Any]:
    """Order one archive scene and advance a day at a time until it is delivered."""
    scene = c.post("/stac/search", json={"limit": 1}).json()["features"][0]
    order = c.post("/v1/orders", json={
        "name": "Archive scene",
        "project_id": project_id,
        "items": [{
            "kind": "archive", "collection": scene["collection"], "item_id": scene["id"],
            "processing_level": scene["properties"]["skyorder:processing_levels"][0],
        }],
        "licences": [{"name": "DataCosmos EULA", "version": "1.0",
                      "link": "https://example.com/license/eula-v1"}],
    })  # fmt: skip
    assert order.status_code == 201, order.text
    for _ in range(3):
        moved = c.post("/v1/sandbox/clock/advance", json={"seconds": DAY})
        assert moved.status_code == 200, moved.text  # the token outlived the advance
        found = c.get("/v1/deliverables", params={"status": "delivered"}).json()["results"]
        if found:
            return dict(found[0])
    pytest.fail("the archive scene was not delivered within three sandbox days")


def test_a_token_and_a_link_outlive_advances_and_a_link_expires_by_real_time(
    short_links: Server,
) -> None:
    with _bearer(short_links) as c:
        deliverable = _delivered_archive_scene(c, short_links.creds["project_id"])
        asset = c.get(
            f"/v1/deliverables/{deliverable['id']}/assets/thumbnail", follow_redirects=False
        )
        assert asset.status_code == 307, asset.text
        link = asset.headers["location"]
        signed_at = time.monotonic()
        moved = c.post("/v1/sandbox/clock/advance", json={"seconds": 365 * DAY})
        assert moved.status_code == 200, moved.text
        assert c.get("/v1/orders").status_code == 200
        with httpx.Client(base_url=short_links.base_url, timeout=60) as anyone:
            assert anyone.get(link).status_code == 200
            assert time.monotonic() - signed_at < LINK_TTL, "too slow to tell: raise LINK_TTL"
            time.sleep(max(0.0, LINK_TTL + 1.5 - (time.monotonic() - signed_at)))
            expired = anyone.get(link)
            assert expired.status_code == 403
            assert "expired at" in expired.json()["detail"]
