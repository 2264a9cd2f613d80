"""Push delivery to a customer's bucket: a real S3 API (moto's server) on a loopback port."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from skyorder.core.clock import SandboxClock
from skyorder.core.ids import new_id
from skyorder.core.steps import StepKind
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.delivery.push import PUSH_RETRIES
from skyorder.runtime import Runtime
from skyorder.settings import Settings
from tests.conftest import T0
from tests.factories import deliverable_for, order_body, place, store, stored_assets
from tests.outbound_fakes import PUBLIC_ADDRESS, FakeDns, moto_s3

Tenant = dict[str, Any]
FILES = {
    "visual": bytes(range(256)) * 600,
    "thumbnail": b"\x89PNG thumbnail",
    "preview": b"\x89PNG preview" * 50,
}
KEYS = {"access_key_id": "testing", "secret_access_key": "testing-secret"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture
def dns() -> FakeDns:
    return FakeDns()


@pytest.fixture
def outbound(settings: Settings, dns: FakeDns) -> OutboundPolicy:
    """The settings' policy (loopback allowed) with names the test makes up resolved by ``dns``."""
    return OutboundPolicy(settings.outbound().allow, resolve=dns.resolve)


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    name = f"customer-{new_id()[:8]}"
    s3_client(s3_endpoint).create_bucket(Bucket=name)
    return name


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key_id"],
        aws_secret_access_key=KEYS["secret_access_key"],
    )


def s3_delivery(endpoint: str, bucket: str) -> dict[str, str]:
    return {"method": "s3", "endpoint_url": endpoint, "bucket": bucket, "prefix": "incoming/eo",
            "region": "us-east-1", **KEYS}  # fmt: skip


def delivered(
    client: TestClient, runtime: Runtime, tenant: Tenant, delivery: dict[str, str]
) -> dict[str, Any]:
    """An order pushing to ``delivery`` and one delivered deliverable with real files."""
    order = place(client, tenant, order_body(delivery=delivery))
    assets = stored_assets(runtime, f"deliverables/{order['id']}", FILES)
    d = deliverable_for(order, T0, assets=assets)
    store(runtime, order["id"], d)
    with runtime.uow() as uow:
        uow.agenda.schedule(StepKind.DELIVERABLE_PUSH, d.id, T0, T0)
        uow.commit()
    return {"id": d.id, "order": order}


def events(client: TestClient, tenant: Tenant, deliverable_id: str) -> list[dict[str, Any]]:
    response = client.get(
        "/v1/events", params={"entity_id": deliverable_id, "limit": 100}, headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_every_file_lands_in_the_bucket_with_its_checksum(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    d = delivered(client, runtime, tenant, s3_delivery(s3_endpoint, bucket))
    runtime.agenda.run_due()
    s3 = s3_client(s3_endpoint)
    folder = f"incoming/eo/{d['order']['order_number']}/{d['id']}"
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert sorted(o["Key"] for o in listed) == [
        f"{folder}/preview.png", f"{folder}/thumbnail.png", f"{folder}/visual.tif"
    ]  # fmt: skip
    for key, data in FILES.items():
        name = "visual.tif" if key == "visual" else f"{key}.png"
        assert s3.get_object(Bucket=bucket, Key=f"{folder}/{name}")["Body"].read() == data
        head = s3.head_object(Bucket=bucket, Key=f"{folder}/{name}")
        assert head["Metadata"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_push_records_the_bucket_and_keys(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    d = delivered(client, runtime, tenant, s3_delivery(s3_endpoint, bucket))
    runtime.agenda.run_due()
    body = client.get(f"/v1/deliverables/{d['id']}", headers=tenant["headers"]).json()
    event = body["latest_event"]
    assert event["type"] == "DeliverablePushed"
    pushed = [e for e in events(client, tenant, d["id"]) if e["type"] == "DeliverablePushed"]
    assert pushed[0]["details"]["bucket"] == bucket
    assert len(pushed[0]["details"]["keys"]) == 3
    assert all(k.startswith("incoming/eo/") for k in pushed[0]["details"]["keys"])


def test_a_repeated_step_pushes_nothing_again(
    client: TestClient, runtime: Runtime, tenant: Tenant, s3_endpoint: str, bucket: str
) -> None:
    d = delivered(client, runtime, tenant, s3_delivery(s3_endpoint, bucket))
    runtime.agenda.run_due()
    s3 = s3_client(s3_endpoint)
    before = {o["Key"]: o["LastModified"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    s3.delete_object(Bucket=bucket, Key=next(iter(before)))  # a pushed deliverable stays pushed
    with runtime.uow() as uow:
        uow.agenda.schedule(StepKind.DELIVERABLE_PUSH, d["id"], T0 + timedelta(minutes=5), T0)
        uow.commit()
    assert isinstance(runtime.clock, SandboxClock)
    runtime.agenda.advance(runtime.clock, T0 + timedelta(minutes=10))
    after = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert len(after) == 2
    types = [e["type"] for e in events(client, tenant, d["id"])]
    assert types.count("DeliverablePushed") == 1


def test_an_unreachable_bucket_is_retried_then_given_up(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    d = delivered(client, runtime, tenant, s3_delivery(unreachable, "customer-bucket"))
    assert isinstance(runtime.clock, SandboxClock)
    runtime.agenda.advance(runtime.clock, T0 + timedelta(days=2))
    history = events(client, tenant, d["id"])
    retries = [e for e in history if e["type"] == "DeliverablePushRetrying"]
    failed = [e for e in history if e["type"] == "DeliverablePushFailed"]
    assert len(retries) == PUSH_RETRIES.attempts - 1
    assert [e["details"]["attempt"] for e in retries] == list(range(1, PUSH_RETRIES.attempts))
    assert len(failed) == 1
    assert failed[0]["details"]["attempts"] == PUSH_RETRIES.attempts
    assert "127.0.0.1" in failed[0]["details"]["reason"]


def test_retries_wait_longer_each_time(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    d = delivered(client, runtime, tenant, s3_delivery(unreachable, "customer-bucket"))
    assert isinstance(runtime.clock, SandboxClock)
    runtime.agenda.advance(runtime.clock, T0 + timedelta(days=2))
    history = events(client, tenant, d["id"])
    times = [e["timestamp"] for e in history if e["type"].startswith("DeliverablePush")]
    from datetime import datetime

    moments = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t in times]
    gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    assert gaps == sorted(gaps)
    assert gaps[0] >= timedelta(minutes=1)
    assert moments[-1] - moments[0] >= timedelta(hours=20)


def test_a_failed_push_leaves_the_deliverable_downloadable(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    d = delivered(client, runtime, tenant, s3_delivery(unreachable, "customer-bucket"))
    assert isinstance(runtime.clock, SandboxClock)
    runtime.agenda.advance(runtime.clock, T0 + timedelta(days=2))
    body = client.get(f"/v1/deliverables/{d['id']}", headers=tenant["headers"]).json()
    assert body["status"] == "delivered"
    assert body["latest_event"]["type"] == "DeliverablePushFailed"
    response = client.get(f"/v1/deliverables/{d['id']}/assets/visual", headers=tenant["headers"])
    assert (response.status_code, response.content) == (200, FILES["visual"])


def test_an_api_delivery_order_is_not_pushed(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    d = delivered(client, runtime, tenant, {"method": "api"})
    runtime.agenda.run_due()
    types = [e["type"] for e in events(client, tenant, d["id"])]
    assert not [t for t in types if t.startswith("DeliverablePush")]


def test_an_archive_order_made_by_the_pipeline_lands_in_the_bucket(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    clock: SandboxClock,
    s3_endpoint: str,
    bucket: str,
) -> None:
    from tests.catalog_examples import install_example_catalog
    from tests.factories import archive_item

    install_example_catalog(runtime)
    delivery = s3_delivery(s3_endpoint, bucket)
    order = place(client, tenant, order_body(archive_item(), delivery=delivery))
    runtime.agenda.advance(clock, clock.now() + timedelta(minutes=10))
    (deliverable,) = client.get(
        f"/v1/orders/{order['id']}/deliverables", headers=tenant["headers"]
    ).json()["results"]
    assert deliverable["status"] == "delivered"
    types = [e["type"] for e in events(client, tenant, deliverable["id"])]
    assert types[-1] == "DeliverablePushed"
    s3 = s3_client(s3_endpoint)
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    prefix = f"incoming/eo/{order['order_number']}/{deliverable['id']}/"
    assert all(o["Key"].startswith(prefix) for o in listed)
    assert len(listed) == len(deliverable["assets"])
    expected = {a["sha256"] for a in deliverable["assets"].values()}
    landed = {
        hashlib.sha256(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()).hexdigest()
        for o in listed
    }
    assert landed == expected


def test_a_push_to_a_named_endpoint_goes_to_the_address_it_was_vetted_at(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    s3_endpoint: str,
    bucket: str,
    dns: FakeDns,
) -> None:
    # A made-up name that resolves nowhere else; one label, so moto reads path-style bucket names.
    dns.set("objects-customer", "127.0.0.1")
    named = s3_endpoint.replace("127.0.0.1", "objects-customer")
    d = delivered(client, runtime, tenant, s3_delivery(named, bucket))
    runtime.agenda.run_due()
    assert [e["type"] for e in events(client, tenant, d["id"])][-1] == "DeliverablePushed"
    listed = s3_client(s3_endpoint).list_objects_v2(Bucket=bucket)["Contents"]
    assert len(listed) == len(FILES)
    assert "objects-customer" in dns.lookups


def test_a_bucket_endpoint_that_now_resolves_to_the_metadata_address_fails_the_push(
    client: TestClient, runtime: Runtime, tenant: Tenant, dns: FakeDns
) -> None:
    dns.set("objects.customer.test", PUBLIC_ADDRESS)
    endpoint = "http://objects.customer.test:9000"
    d = delivered(client, runtime, tenant, s3_delivery(endpoint, "customer-bucket"))
    dns.set("objects.customer.test", "169.254.169.254")  # rebound after the order was vetted
    assert isinstance(runtime.clock, SandboxClock)
    runtime.agenda.advance(runtime.clock, T0 + timedelta(days=2))
    history = events(client, tenant, d["id"])
    assert [e["type"] for e in history if e["type"].startswith("DeliverablePush")] == [
        "DeliverablePushFailed"
    ]  # refused once, not retried
    assert history[-1]["details"]["reason"].startswith(
        "refused: objects.customer.test resolves to 169.254.169.254, "
        "a link-local address (cloud metadata);"
    )
