"""Cloud delivery per item, and stored configurations renamed and deleted (moto S3)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from skyorder.core.steps import StepKind
from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import deliverable_for, order_body, place, store, stored_assets, tasking_item
from tests.integration.pixxel.conftest import make_config, s3_client

Tenant = dict[str, Any]
FILES = {"visual": b"\x00\x01" * 500}


def pixxel_items(client: TestClient, tenant: Tenant, order_id: str) -> list[dict[str, Any]]:
    response = client.get(
        "/v0/order-items",
        params={"order_ids": order_id},
        headers={"Authorization": tenant["api_key"]},
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["order_items"]
    return items


def push(runtime: Runtime, order: dict[str, Any], item_index: int) -> str:
    """Deliver a small product of one item of the order and run its push; its id."""
    assets = stored_assets(runtime, f"deliverables/{order['id']}/{item_index}", FILES)
    d = deliverable_for(order, T0, assets=assets, item_id=order["items"][item_index]["id"])
    store(runtime, order["id"], d)
    with runtime.uow() as uow:
        uow.agenda.schedule(StepKind.DELIVERABLE_PUSH, d.id, T0, T0)
        uow.commit()
    runtime.agenda.run_due()
    return d.id


def keys(endpoint: str, bucket: str) -> list[str]:
    listed = s3_client(endpoint).list_objects_v2(Bucket=bucket).get("Contents", [])
    return sorted(o["Key"] for o in listed)


def test_an_item_pushes_to_its_own_configuration_and_the_others_to_the_order_s(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket, name="orders")
    make_config(client, tenant, s3_endpoint, bucket, name="north")
    own = {"config": "north", "path": "fields/north"}
    body = order_body(
        tasking_item(name="north field", cloud_delivery=own),
        tasking_item(name="other field"),
        delivery={"config": "orders", "path": "all"},
    )
    order = place(client, tenant, body)
    first, second = order["items"]
    assert first["cloud_delivery"] == own and second["cloud_delivery"] is None
    north = push(runtime, order, 0)
    rest = push(runtime, order, 1)
    number = order["order_number"]
    assert keys(s3_endpoint, bucket) == [
        f"eo/all/{number}/{rest}/visual.tif",
        f"eo/fields/north/{number}/{north}/visual.tif",
    ]
    shown = {i["name"]: i["cloud_delivery"] for i in pixxel_items(client, tenant, order["id"])}
    assert shown == {
        "north field": {"config": "north", "path": "/fields/north"},
        "other field": {"config": "orders", "path": "/all"},
    }


def test_an_item_alone_may_push_when_the_order_downloads_only(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket)
    item = tasking_item(cloud_delivery={"config": "main", "path": "x"})
    order = place(client, tenant, order_body(item, tasking_item()))
    assert order["delivery"]["method"] == "api"
    pushed = push(runtime, order, 0)
    push(runtime, order, 1)
    assert keys(s3_endpoint, bucket) == [f"eo/x/{order['order_number']}/{pushed}/visual.tif"]


def test_an_unknown_or_foreign_item_configuration_is_refused_naming_the_item(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, other_tenant, s3_endpoint, bucket, name="theirs")
    body = order_body(
        tasking_item(),
        tasking_item(cloud_delivery={"config": "theirs", "path": "../up"}),
    )
    response = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert response.status_code == 422, response.text
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"items[1].cloud_delivery.config"}
    make_config(client, tenant, s3_endpoint, bucket, name="theirs")
    response = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"items[1].cloud_delivery.path"}


def test_a_renamed_configuration_is_shown_under_its_new_name_and_still_pushed_to(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    config = make_config(client, tenant, s3_endpoint, bucket)
    item = tasking_item(cloud_delivery={"config": "main", "path": "a"})
    order = place(client, tenant, order_body(item, delivery={"config": "main"}))
    url = f"/v1/cloud-delivery-configs/{config['id']}"
    renamed = client.patch(url, json={"name": "archive bucket"}, headers=tenant["headers"])
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "archive bucket"
    again = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()
    assert again["delivery"]["config"] == "archive bucket"
    assert again["items"][0]["cloud_delivery"] == {"config": "archive bucket", "path": "a"}
    (shown,) = pixxel_items(client, tenant, order["id"])
    assert shown["cloud_delivery"] == {"config": "archive bucket", "path": "/a"}
    pushed = push(runtime, order, 0)
    assert keys(s3_endpoint, bucket) == [f"eo/a/{order['order_number']}/{pushed}/visual.tif"]


def test_a_rename_to_a_taken_or_invalid_name_is_refused(
    client: TestClient, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket, name="one")
    make_config(client, tenant, s3_endpoint, bucket, name="two")
    url = "/v1/cloud-delivery-configs/one"
    taken = client.patch(url, json={"name": "two"}, headers=tenant["headers"])
    assert taken.status_code == 409 and "two" in taken.json()["detail"]
    bad = client.patch(url, json={"name": "../x"}, headers=tenant["headers"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "name"
    unknown = client.patch(url, json={"nom": "x"}, headers=tenant["headers"])
    assert unknown.status_code == 422


def test_a_configuration_in_use_by_an_open_order_is_not_deleted(
    client: TestClient, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket)
    item = tasking_item(cloud_delivery={"config": "main"})
    order = place(client, tenant, order_body(item))
    refused = client.delete("/v1/cloud-delivery-configs/main", headers=tenant["headers"])
    assert refused.status_code == 409
    assert order["order_number"] in refused.json()["detail"]
    cancelled = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert cancelled.status_code == 200, cancelled.text
    deleted = client.delete("/v1/cloud-delivery-configs/main", headers=tenant["headers"])
    assert deleted.status_code == 204
    gone = client.get("/v1/cloud-delivery-configs/main", headers=tenant["headers"])
    assert gone.status_code == 404


def test_a_configuration_named_by_a_draft_is_in_use(
    client: TestClient, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket)
    body = order_body(tasking_item(), delivery={"config": "main"}, draft=True)
    saved = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert saved.status_code == 201, saved.text
    refused = client.delete("/v1/cloud-delivery-configs/main", headers=tenant["headers"])
    assert refused.status_code == 409 and saved.json()["order_number"] in refused.text


def test_a_push_still_due_keeps_the_configuration_in_use_after_its_order_ended(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket)
    order = place(client, tenant, order_body(tasking_item(cloud_delivery={"config": "main"})))
    d = deliverable_for(order, T0)
    store(runtime, order["id"], d)
    with runtime.uow() as uow:
        uow.agenda.schedule(StepKind.DELIVERABLE_PUSH, d.id, T0, T0)
        uow.commit()
    client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    refused = client.delete("/v1/cloud-delivery-configs/main", headers=tenant["headers"])
    assert refused.status_code == 409, refused.text


def test_another_organisation_neither_renames_nor_deletes_a_configuration(
    client: TestClient,
    tenant: Tenant,
    other_tenant: Tenant,
    engine: Engine,
    s3_endpoint: str,
    bucket: str,
) -> None:
    config = make_config(client, tenant, s3_endpoint, bucket)
    url = f"/v1/cloud-delivery-configs/{config['id']}"
    foreign = other_tenant["headers"]
    assert client.patch(url, json={"name": "mine"}, headers=foreign).status_code == 404
    assert client.delete(url, headers=foreign).status_code == 404
    with engine.connect() as conn:
        name = conn.execute(
            text("SELECT name FROM cloud_delivery_configs WHERE id = :id"), {"id": config["id"]}
        ).scalar_one()
    assert name == "main"


def test_a_draft_keeps_a_configuration_its_organisation_lacks_as_an_error(
    client: TestClient, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    item = tasking_item(cloud_delivery={"config": "later", "path": "p"})
    body = order_body(item, draft=True)
    saved = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert saved.status_code == 201, saved.text
    draft = saved.json()
    (error,) = draft["items"][0]["validation_errors"]
    assert error["field"] == "items[0].cloud_delivery.config" and "later" in error["message"]
    submit = f"/v1/orders/{draft['id']}/submit"
    refused = client.post(submit, headers=tenant["headers"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "items[0].cloud_delivery.config"
    make_config(client, tenant, s3_endpoint, bucket, name="later")
    placed = client.post(submit, headers=tenant["headers"])
    assert placed.status_code == 200, placed.text
    assert placed.json()["items"][0]["cloud_delivery"] == {"config": "later", "path": "p"}
    refused = client.delete("/v1/cloud-delivery-configs/later", headers=tenant["headers"])
    assert refused.status_code == 409
