"""Stored cloud-delivery configurations: sealed at rest, named by orders, pushed to (moto S3)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from skyorder.core.clock import SandboxClock
from skyorder.core.steps import StepKind
from skyorder.runtime import Runtime
from tests.catalog_examples import install_example_catalog
from tests.conftest import T0
from tests.factories import archive_item, deliverable_for, order_body, place, store, stored_assets
from tests.integration.pixxel.conftest import SECRET, make_config, s3_client

Tenant = dict[str, Any]
FILES = {"visual": bytes(range(256)) * 300, "thumbnail": b"\x89PNG thumb"}


def test_a_configuration_keeps_its_secret_sealed_and_never_shows_it(
    client: TestClient, tenant: Tenant, engine: Engine, s3_endpoint: str, bucket: str
) -> None:
    config = make_config(client, tenant, s3_endpoint, bucket)
    assert "secret_access_key" not in config and config["name"] == "main"
    with engine.connect() as conn:
        raw = conn.execute(
            text("SELECT secret_access_key FROM cloud_delivery_configs WHERE id = :id"),
            {"id": config["id"]},
        ).scalar_one()
    assert raw.startswith("sealed:1:") and SECRET not in raw
    listed = client.get("/v1/cloud-delivery-configs", headers=tenant["headers"]).json()
    assert [c["name"] for c in listed] == ["main"] and SECRET not in str(listed)


def test_a_configuration_name_is_unique_and_its_fields_are_checked(
    client: TestClient, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket)
    again = {"name": "main", "bucket": bucket, "access_key_id": "k", "secret_access_key": "s"}
    response = client.post("/v1/cloud-delivery-configs", json=again, headers=tenant["headers"])
    assert response.status_code == 409
    bad = {"name": "", "bucket": "Not_A_Bucket", "access_key_id": "k", "secret_access_key": "s"}
    response = client.post("/v1/cloud-delivery-configs", json=bad, headers=tenant["headers"])
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"name", "bucket"}


def test_another_organisation_cannot_name_or_see_a_configuration(
    client: TestClient,
    tenant: Tenant,
    other_tenant: Tenant,
    s3_endpoint: str,
    bucket: str,
) -> None:
    config = make_config(client, tenant, s3_endpoint, bucket)
    got = client.get(f"/v1/cloud-delivery-configs/{config['id']}", headers=other_tenant["headers"])
    assert got.status_code == 404
    body = order_body(delivery={"config": "main", "path": "x"})
    response = client.post("/v1/orders", json=body, headers=other_tenant["headers"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "delivery.config"


def test_a_delivered_product_lands_under_the_configuration_and_path_with_checksums(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    make_config(client, tenant, s3_endpoint, bucket)
    order = place(client, tenant, order_body(delivery={"config": "main", "path": "fields/north"}))
    assert order["delivery"]["config"] == "main" and order["delivery"]["path"] == "fields/north"
    assets = stored_assets(runtime, f"deliverables/{order['id']}", FILES)
    d = deliverable_for(order, T0, assets=assets)
    store(runtime, order["id"], d)
    with runtime.uow() as uow:
        uow.agenda.schedule(StepKind.DELIVERABLE_PUSH, d.id, T0, T0)
        uow.commit()
    runtime.agenda.run_due()
    s3 = s3_client(s3_endpoint)
    folder = f"eo/fields/north/{order['order_number']}/{d.id}"
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == [f"{folder}/thumbnail.png", f"{folder}/visual.tif"]
    for key, data in FILES.items():
        name = "visual.tif" if key == "visual" else f"{key}.png"
        head = s3.head_object(Bucket=bucket, Key=f"{folder}/{name}")
        assert head["Metadata"]["sha256"] == hashlib.sha256(data).hexdigest()
    (item,) = client.get(
        "/v0/order-items", params={"order_ids": order["id"]},
        headers={"Authorization": tenant["api_key"]},
    ).json()["order_items"]  # fmt: skip
    assert item["cloud_delivery"] == {"config": "main", "path": "/fields/north"}


def test_a_pushed_archive_item_s_task_shows_a_successful_delivery(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    install_example_catalog(runtime)
    make_config(client, tenant, s3_endpoint, bucket)
    body = order_body(archive_item(), delivery={"config": "main", "path": "scenes"})
    order = place(client, tenant, body)
    assert isinstance(runtime.clock, SandboxClock)
    runtime.agenda.advance(runtime.clock, runtime.clock.now() + timedelta(hours=1))
    (item,) = client.get(
        "/v0/order-items", params={"order_ids": order["id"]},
        headers={"Authorization": tenant["api_key"]},
    ).json()["order_items"]  # fmt: skip
    assert item["status"] == "COMPLETED", item
    (task,) = item["tasks"]
    assert (task["status"], task["delivery_status"]) == ("FULFILLED", "SUCCESSFUL")
    keys = [o["Key"] for o in s3_client(s3_endpoint).list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys and all(k.startswith(f"eo/scenes/{order['order_number']}/") for k in keys)
