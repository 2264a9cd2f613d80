"""Where archive data assets need an order: the scene's data only for who bought it whole."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from skyorder.settings import Settings
from tests.catalog_examples import install_example_catalog
from tests.factories import archive_item, order_body, place

Tenant = dict[str, Any]
SCENE = "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"
ITEM = f"/stac/collections/phr/items/{SCENE}"
DATA = ("pan", "ms", "visual")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"archive_assets": "ordered"})


@pytest.fixture(autouse=True)
def examples(runtime: Runtime) -> None:
    install_example_catalog(runtime)


def whole_scene() -> dict[str, Any]:
    item = archive_item()
    del item["aoi"]
    return item


def status(client: TestClient, tenant: Tenant, key: str) -> int:
    return client.get(f"{ITEM}/assets/{key}", headers=tenant["headers"]).status_code


def test_without_an_order_the_data_is_refused_saying_how_to_get_it(
    client: TestClient, tenant: Tenant
) -> None:
    for key in DATA:
        response = client.get(f"{ITEM}/assets/{key}", headers=tenant["headers"])
        assert response.status_code == 403, response.text
        description = response.json()["description"]
        assert "order the whole scene" in description
        assert SCENE in description
        assert "Its metadata and thumbnail download without an order" in description


def test_thumbnail_and_metadata_need_no_order(client: TestClient, tenant: Tenant) -> None:
    assert status(client, tenant, "thumbnail") == 200
    assert status(client, tenant, "metadata") == 200


def test_an_accepted_order_of_the_whole_scene_opens_its_data(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    order = place(client, tenant, order_body(whole_scene()))
    assert order["status"] == "accepted"
    for key in DATA:
        assert status(client, tenant, key) == 200, key
    assert status(client, other_tenant, "ms") == 403  # another organisation bought nothing


def test_an_order_of_part_of_the_scene_does_not_open_the_whole_scene(
    client: TestClient, tenant: Tenant
) -> None:
    place(client, tenant, order_body(archive_item()))  # clipped to Toulouse
    assert status(client, tenant, "ms") == 403


def test_a_cancelled_order_no_longer_opens_the_data(client: TestClient, tenant: Tenant) -> None:
    order = place(client, tenant, order_body(whole_scene()))
    cancelled = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert cancelled.status_code == 200, cancelled.text
    assert status(client, tenant, "ms") == 403


def test_the_collections_owner_downloads_its_data(
    client: TestClient, provider: Tenant, runtime: Runtime
) -> None:
    with runtime.uow() as uow:
        uow.catalog.claim_collections(["phr"], provider["organisation_id"])
        uow.commit()
    assert status(client, provider, "pan") == 200


def test_open_assets_serve_every_caller_in_a_sandbox(
    client: TestClient, tenant: Tenant, runtime: Runtime
) -> None:
    runtime.settings.archive_assets = None  # the default, on the sandbox clock: open
    assert runtime.settings.sandbox
    assert status(client, tenant, "ms") == 200
