"""Downloads: the authorised redirect to a signed link, and the signed /files route."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from skyorder.core.deliverables import Asset
from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import advance, deliverable_for, pass_wall_time, place, store

Tenant = dict[str, Any]
VISUAL = bytes(range(256)) * 400  # 102 400 bytes
THUMB = b"\x89PNG\r\n\x1a\n tiny thumbnail"


@pytest.fixture
def deliverable(
    client: TestClient, runtime: Runtime, tenant: Tenant, tmp_path: Path
) -> dict[str, Any]:
    """A delivered deliverable whose two files are in the runtime's object store."""
    order = place(client, tenant)
    assets = {}
    for key, data, name, media in [
        ("visual", VISUAL, "visual.tif", "image/tiff; application=geotiff"),
        ("thumbnail", THUMB, "thumb.png", "image/png"),
    ]:
        local = tmp_path / name
        local.write_bytes(data)
        stored = runtime.objects.put_file(f"deliverables/{order['id']}/{name}", local, media)
        assets[key] = Asset(key, stored.key, media, ("data",), stored.size, stored.sha256)
    d = deliverable_for(order, T0, assets=assets)
    store(runtime, order["id"], d)
    return {"id": d.id, "order": order}


def signed_link(client: TestClient, tenant: Tenant, deliverable_id: str, key: str) -> str:
    response = client.get(
        f"/v1/deliverables/{deliverable_id}/assets/{key}",
        headers=tenant["headers"],
        follow_redirects=False,
    )
    assert response.status_code == 307, response.text
    return response.headers["location"]


def test_the_asset_route_redirects_to_a_signed_link(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    location = signed_link(client, tenant, deliverable["id"], "visual")
    url = urlsplit(location)
    assert url.path == f"/files/deliverables/{deliverable['order']['id']}/visual.tif"
    assert set(parse_qs(url.query)) == {"expires", "signature"}


def test_deliverable_hrefs_point_at_the_asset_route(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    body = client.get(f"/v1/deliverables/{deliverable['id']}", headers=tenant["headers"]).json()
    assert body["assets"]["visual"]["href"] == f"/v1/deliverables/{deliverable['id']}/assets/visual"


def test_a_signed_link_downloads_without_a_token(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    response = client.get(signed_link(client, tenant, deliverable["id"], "visual"))
    assert response.status_code == 200
    assert response.content == VISUAL
    assert response.headers["content-type"] == "image/tiff; application=geotiff"
    assert response.headers["content-length"] == str(len(VISUAL))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"] == f'"{hashlib.sha256(VISUAL).hexdigest()[:32]}"'


def test_following_the_redirect_with_a_token_gets_the_file(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    url = f"/v1/deliverables/{deliverable['id']}/assets/thumbnail"
    response = client.get(url, headers=tenant["headers"])
    assert (response.status_code, response.content) == (200, THUMB)


def test_a_range_answers_206_with_content_range(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "visual")
    response = client.get(link, headers={"Range": "bytes=1000-1999"})
    assert response.status_code == 206
    assert response.content == VISUAL[1000:2000]
    assert response.headers["content-range"] == f"bytes 1000-1999/{len(VISUAL)}"
    assert response.headers["content-length"] == "1000"


def test_a_suffix_range_answers_the_last_bytes(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "visual")
    response = client.get(link, headers={"Range": "bytes=-10"})
    assert (response.status_code, response.content) == (206, VISUAL[-10:])


def test_a_range_past_the_end_answers_416(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "visual")
    response = client.get(link, headers={"Range": f"bytes={len(VISUAL)}-"})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(VISUAL)}"
    assert response.headers["content-type"] == "application/problem+json"
    assert "beyond the end of the file" in response.json()["detail"]


def test_head_answers_the_headers_only(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    response = client.head(signed_link(client, tenant, deliverable["id"], "visual"))
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(VISUAL))
    assert response.headers["content-type"] == "image/tiff; application=geotiff"


def test_a_matching_if_none_match_answers_304(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "thumbnail")
    etag = client.head(link).headers["etag"]
    assert client.get(link, headers={"If-None-Match": etag}).status_code == 304


def test_an_expired_link_answers_403(
    client: TestClient, runtime: Runtime, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "visual")
    pass_wall_time(runtime, hours=1, seconds=1)
    response = client.get(link)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:skyorder:problem:signed-link-refused"
    assert "expired at" in body["detail"]


def test_a_link_outlives_any_advance_of_sandbox_time(
    client: TestClient, runtime: Runtime, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "visual")
    advance(runtime, days=365)
    assert client.get(link).status_code == 200


def test_a_tampered_link_answers_403(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "visual")
    response = client.get(link.replace("visual.tif", "thumb.png"))
    assert response.status_code == 403
    assert "signature does not match" in response.json()["detail"]


def test_a_link_with_a_later_expiry_answers_403(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    link = signed_link(client, tenant, deliverable["id"], "visual")
    expires = parse_qs(urlsplit(link).query)["expires"][0]
    response = client.get(link.replace(f"expires={expires}", f"expires={int(expires) + 86400}"))
    assert response.status_code == 403


def test_an_unsigned_file_path_answers_403(client: TestClient, deliverable: dict[str, Any]) -> None:
    path = f"/files/deliverables/{deliverable['order']['id']}/visual.tif"
    response = client.get(path)
    assert response.status_code == 403
    assert "not signed" in response.json()["detail"]


def test_another_organisations_deliverable_is_not_found(
    client: TestClient, other_tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/deliverables/{deliverable['id']}/assets/visual",
        headers=other_tenant["headers"],
        follow_redirects=False,
    )
    assert response.status_code == 404


def test_the_asset_route_needs_credentials(client: TestClient, deliverable: dict[str, Any]) -> None:
    response = client.get(
        f"/v1/deliverables/{deliverable['id']}/assets/visual", follow_redirects=False
    )
    assert response.status_code == 401


def test_an_unknown_asset_key_names_the_available_keys(
    client: TestClient, tenant: Tenant, deliverable: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/deliverables/{deliverable['id']}/assets/analytic",
        headers=tenant["headers"],
        follow_redirects=False,
    )
    assert response.status_code == 404
    assert "its assets are: thumbnail, visual" in response.json()["detail"]


def test_a_signed_link_to_a_missing_file_answers_404(client: TestClient, runtime: Runtime) -> None:
    response = client.get(runtime.links.sign("deliverables/none/visual.tif").path)
    assert response.status_code == 404


def test_a_signed_link_with_an_unsafe_key_answers_422(client: TestClient, runtime: Runtime) -> None:
    response = client.get(runtime.links.sign("..\\secret").path)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "key"
