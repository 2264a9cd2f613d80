"""Drafts keep the licences accepted when they were saved; submission needs them no more."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import archive_item, order_body

Tenant = dict[str, Any]
SCENE = "S2A_MSIL2A_20250506T144821_R018_T19JJA_9000008"
EULA = {"name": "DataCosmos EULA", "version": "1.0", "link": "https://example.com/eula"}


def s2_draft(**extra: Any) -> dict[str, Any]:
    item = archive_item(
        collection="sentinel-2-l2a", item_id=SCENE, processing_level="L2A", aoi=None, options={}
    )
    return order_body(item, name="S2 draft", draft=True, **extra)


def save(client: TestClient, tenant: Tenant, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    saved: dict[str, Any] = response.json()
    return saved


def submit(client: TestClient, tenant: Tenant, order_id: str, **body: Any) -> Any:
    url = f"/v1/orders/{order_id}/submit"
    return client.post(url, headers=tenant["headers"], **({"json": body} if body else {}))


def test_a_draft_keeps_its_accepted_licences_and_is_submitted_without_them(
    client: TestClient, tenant: Tenant
) -> None:
    saved = save(client, tenant, s2_draft(licences=[EULA]))
    assert saved["items"][0]["validation_errors"] == []
    (kept,) = saved["licences"]
    assert (kept["name"], kept["version"]) == ("DataCosmos EULA", "1.0")
    response = submit(client, tenant, saved["id"])
    assert response.status_code == 200, response.text
    order = response.json()
    assert order["status"] == "accepted"
    (recorded,) = order["licences"]
    assert recorded["accepted_at"] == kept["accepted_at"]
    assert recorded["accepted_by"] == kept["accepted_by"]


def test_a_draft_without_a_required_licence_lists_it_and_is_not_submitted(
    client: TestClient, tenant: Tenant
) -> None:
    saved = save(client, tenant, s2_draft())
    (error,) = saved["items"][0]["validation_errors"]
    assert error["field"] == "licences" and "DataCosmos EULA" in error["message"]
    refused = submit(client, tenant, saved["id"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "licences"
    again = client.get(f"/v1/orders/{saved['id']}", headers=tenant["headers"]).json()
    assert again["status"] == "draft" and again["licences"] == []


def test_a_licence_missing_from_a_draft_may_be_accepted_on_submission(
    client: TestClient, tenant: Tenant
) -> None:
    saved = save(client, tenant, s2_draft())
    response = submit(client, tenant, saved["id"], licences=[EULA])
    assert response.status_code == 200, response.text
    assert [lic["name"] for lic in response.json()["licences"]] == ["DataCosmos EULA"]


def test_an_edit_replaces_the_draft_s_licences_as_it_replaces_the_rest(
    client: TestClient, tenant: Tenant
) -> None:
    saved = save(client, tenant, s2_draft(licences=[EULA]))
    url = f"/v1/orders/{saved['id']}"
    edited = client.put(url, json=s2_draft(), headers=tenant["headers"])
    assert edited.status_code == 200, edited.text
    assert edited.json()["licences"] == []
    assert edited.json()["items"][0]["validation_errors"][0]["field"] == "licences"
    assert submit(client, tenant, saved["id"]).status_code == 422
    edited = client.put(url, json=s2_draft(licences=[EULA]), headers=tenant["headers"])
    assert edited.json()["items"][0]["validation_errors"] == []
    assert submit(client, tenant, saved["id"]).status_code == 200


def test_a_refused_licence_is_not_kept_with_a_draft(client: TestClient, tenant: Tenant) -> None:
    saved = save(client, tenant, s2_draft(licences=[{**EULA, "accepted": False}]))
    assert saved["licences"] == []
    (error,) = saved["items"][0]["validation_errors"]
    assert "was refused" in error["message"]


def test_a_submission_body_with_unknown_fields_is_refused(
    client: TestClient, tenant: Tenant
) -> None:
    saved = save(client, tenant, s2_draft(licences=[EULA]))
    response = submit(client, tenant, saved["id"], licenses=[EULA])
    assert response.status_code == 422
    assert (
        client.get(f"/v1/orders/{saved['id']}", headers=tenant["headers"]).json()["status"]
        == "draft"
    )
