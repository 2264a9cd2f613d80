"""Catalogue owners: only the owner writes; a create never replaces; each write is an event."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.tenants import Role
from skyorder.runtime import Runtime
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms
from tests.integration.stac.conftest import Stac
from tests.integration.stac.test_transactions import ITEM, feature

ORDERED_SCENE = "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"
SCENE_PATH = f"/collections/phr/items/{ORDERED_SCENE}"


@pytest.fixture
def owner(client: TestClient, provider: dict[str, Any], archive: Runtime) -> Stac:
    """The provider organisation that owns the demo collections."""
    with archive.uow() as uow:
        uow.catalog.claim_collections(["phr", "vhr30"], provider["organisation_id"])
        uow.commit()
    return Stac(client, provider["headers"])


@pytest.fixture
def rival(client: TestClient, runtime: Runtime) -> Stac:
    """A provider client of another organisation."""
    creds = provision_organisation(
        runtime.uow,
        runtime.clock,
        "Rival Space",
        "http://testserver",
        ContractTerms(name="Rival contract"),
        roles=(Role.CUSTOMER, Role.PROVIDER),
    )
    return Stac(client, {"X-API-Key": creds["api_key"]})


def events(stac: Stac, type_: str) -> list[dict[str, Any]]:
    response = stac.client.get("/v1/events", params={"type": type_}, headers=stac.headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"]
    return found


def _refused_as_foreign(response: Any, collection: str = "phr") -> None:
    assert response.status_code == 403, response.text
    assert (
        f"collection {collection} belongs to another provider organisation"
        in response.json()["description"]
    )


def test_another_providers_patch_of_a_collection_answers_403_and_changes_nothing(
    owner: Stac, rival: Stac
) -> None:
    before = owner.get("/collections/phr").json()
    _refused_as_foreign(rival.patch("/collections/phr", {"description": "ours now"}))
    _refused_as_foreign(rival.put("/collections/phr", {**before, "description": "ours now"}))
    assert owner.get("/collections/phr").json() == before


def test_another_providers_replacement_of_an_ordered_scene_answers_403_and_changes_nothing(
    owner: Stac, rival: Stac
) -> None:
    before = owner.get(SCENE_PATH).json()
    _refused_as_foreign(rival.patch(SCENE_PATH, {"properties": {"eo:cloud_cover": 99}}))
    changed = {**before, "properties": {**before["properties"], "eo:cloud_cover": 99}}
    _refused_as_foreign(rival.put(SCENE_PATH, changed))
    assert owner.get(SCENE_PATH).json() == before


def test_another_providers_new_item_answers_403_and_adds_nothing(owner: Stac, rival: Stac) -> None:
    _refused_as_foreign(rival.post("/collections/phr/items", ITEM))
    assert owner.get("/collections/phr/items/PROVIDER-SCENE-1").status_code == 404


def test_a_collection_nobody_owns_is_written_by_no_provider(
    provider: dict[str, Any], client: TestClient, archive: Runtime
) -> None:
    response = Stac(client, provider["headers"]).patch("/collections/phr", {"title": "x"})
    assert response.status_code == 403
    assert "collection phr has no owner organisation" in response.json()["description"]


def test_posting_an_existing_collection_answers_409_and_changes_nothing(owner: Stac) -> None:
    before = owner.get("/collections/phr").json()
    response = owner.post(
        "/collections", {"type": "Collection", "id": "phr", "description": "replaced"}
    )
    assert response.status_code == 409, response.text
    description = response.json()["description"]
    assert "collection 'phr' already exists" in description
    assert "PUT" in description and "PATCH" in description
    assert owner.get("/collections/phr").json() == before


def test_posting_an_existing_item_answers_409_naming_it_and_changes_nothing(
    owner: Stac,
) -> None:
    assert owner.post("/collections/phr/items", ITEM).status_code == 201
    response = owner.post("/collections/phr/items", feature("PROVIDER-SCENE-1", gsd=0.7))
    assert response.status_code == 409, response.text
    assert "'PROVIDER-SCENE-1'" in response.json()["description"]
    assert "PATCH" in response.json()["description"]
    item = owner.get("/collections/phr/items/PROVIDER-SCENE-1").json()
    assert item["properties"]["gsd"] == 0.5


def test_a_bulk_post_with_one_existing_id_writes_none_of_its_items(owner: Stac) -> None:
    bulk = {"type": "FeatureCollection", "features": [feature("NEW-1"), feature(ORDERED_SCENE)]}
    response = owner.post("/collections/phr/items", bulk)
    assert response.status_code == 409
    assert ORDERED_SCENE in response.json()["description"]
    assert owner.get("/collections/phr/items/NEW-1").status_code == 404


def test_the_owner_patches_a_collection_and_the_change_is_an_event(owner: Stac) -> None:
    response = owner.patch("/collections/phr", {"description": "Pléiades, 50 cm", "title": None})
    assert response.status_code == 200, response.text
    assert response.json()["description"] == "Pléiades, 50 cm"
    assert owner.get("/collections/phr").json()["title"] == "phr"  # removed: the id stands in
    [event] = events(owner, "CollectionUpdated")
    assert event["entity_type"] == "collection" and event["entity_id"] == "phr"
    assert event["details"]["changed"] == ["description", "title"]


def test_the_owner_replaces_an_item_and_the_change_is_an_event(owner: Stac) -> None:
    owner.post("/collections/phr/items", ITEM)
    response = owner.put(
        "/collections/phr/items/PROVIDER-SCENE-1",
        feature("x", gsd=0.7) | {"id": "PROVIDER-SCENE-1"},
    )
    assert response.status_code == 200, response.text
    assert owner.get("/collections/phr/items/PROVIDER-SCENE-1").json()["properties"]["gsd"] == 0.7
    assert [e["type"] for e in events(owner, "CatalogItemCreated")] == ["CatalogItemCreated"]
    [event] = events(owner, "CatalogItemUpdated")
    assert event["entity_id"] == "phr/PROVIDER-SCENE-1"
    assert event["details"]["changed"] == ["properties.gsd"]


def test_the_owner_patches_one_property_of_an_item_and_keeps_the_rest(owner: Stac) -> None:
    before = owner.get(SCENE_PATH).json()
    response = owner.patch(SCENE_PATH, {"properties": {"eo:cloud_cover": 12.5}})
    assert response.status_code == 200, response.text
    after = owner.get(SCENE_PATH).json()
    assert after["properties"] == {**before["properties"], "eo:cloud_cover": 12.5}
    assert after["geometry"] == before["geometry"]
    [event] = events(owner, "CatalogItemUpdated")
    assert "properties.eo:cloud_cover" in event["details"]["changed"]


def test_a_new_collection_belongs_to_its_creator(owner: Stac, rival: Stac) -> None:
    body = {"type": "Collection", "id": "rival-archive", "description": "Theirs"}
    assert rival.post("/collections", body).status_code == 201
    assert rival.post("/collections/rival-archive/items", ITEM).status_code == 201
    _refused_as_foreign(
        owner.post("/collections/rival-archive/items", feature("X")), "rival-archive"
    )
    assert [e["entity_id"] for e in events(rival, "CollectionCreated")] == ["rival-archive"]
    assert events(owner, "CollectionCreated") == []


def test_a_replacement_cannot_change_the_id(owner: Stac) -> None:
    response = owner.patch(SCENE_PATH, {"id": "OTHER"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "id"


def test_a_json_patch_array_is_refused_with_what_to_send(owner: Stac) -> None:
    ops = [{"op": "replace", "path": "/description", "value": "x"}]
    response = owner.patch("/collections/phr", ops)
    assert response.status_code == 400
    assert "JSON merge patch" in response.json()["description"]


def test_updating_a_missing_item_answers_404(owner: Stac) -> None:
    assert owner.patch("/collections/phr/items/NOPE", {"properties": {}}).status_code == 404


def test_catalogue_events_show_under_a_chosen_contract(
    owner: Stac, provider: dict[str, Any]
) -> None:
    owner.patch("/collections/phr", {"description": "changed"})
    headers = {**owner.headers, "X-Contract-Id": provider["contract_id"]}
    response = owner.client.get("/v1/events", params={"type": "CollectionUpdated"}, headers=headers)
    assert [e["entity_id"] for e in response.json()["results"]] == ["phr"]


def test_stac_errors_keep_stacs_shape_where_datacosmos_serves_it(
    client: TestClient, tenant: dict[str, Any], archive: Runtime
) -> None:
    for root in ("/stac", "/api/data/v0/stac"):
        response = client.get(f"{root}/collections/no-such", headers=tenant["headers"])
        assert response.status_code == 404, response.text
        assert set(response.json()) >= {"code", "description"}
        landing = client.get(root, headers=tenant["headers"]).json()
        assert landing["links"][0]["href"].endswith(root) or any(
            link["href"].endswith(root) for link in landing["links"]
        )
