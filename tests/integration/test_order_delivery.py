"""An order's delivery request: push to an S3 bucket, validated, its secret never echoed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import order_body, place

Tenant = dict[str, Any]
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
S3 = {
    "method": "s3",
    "endpoint_url": "https://s3.eu-west-1.amazonaws.com",
    "bucket": "acme-imagery",
    "prefix": "skyorder/incoming",
    "access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "secret_access_key": SECRET,
    "region": "eu-west-1",
}


def test_an_s3_delivery_is_kept_with_the_secret_masked(client: TestClient, tenant: Tenant) -> None:
    order = place(client, tenant, order_body(delivery=S3))
    masked = {**S3, "secret_access_key": "********", "config": None, "path": None}
    assert order["delivery"] == masked


def test_the_secret_is_not_shown_when_the_order_is_read_back(
    client: TestClient, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body(delivery=S3))
    one = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"])
    listed = client.get("/v1/orders", headers=tenant["headers"])
    assert SECRET not in one.text
    assert SECRET not in listed.text
    assert one.json()["delivery"]["bucket"] == "acme-imagery"


def test_api_delivery_renders_the_method_only(client: TestClient, tenant: Tenant) -> None:
    order = place(client, tenant, order_body(delivery={"method": "api"}))
    assert order["delivery"]["method"] == "api"
    assert order["delivery"]["bucket"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bucket": "Not_A_Bucket"}, "delivery.bucket"),
        ({"bucket": None}, "delivery.bucket"),
        ({"secret_access_key": None}, "delivery.secret_access_key"),
        ({"access_key_id": None}, "delivery.access_key_id"),
        ({"endpoint_url": "ftp://example.com"}, "delivery.endpoint_url"),
        ({"prefix": "../../etc"}, "delivery.prefix"),
        ({"method": "api"}, "delivery.method"),
        ({"bucket": "x" * 64}, "delivery.bucket"),
        ({"colour": "blue"}, "delivery.colour"),
    ],
)
def test_a_bad_s3_delivery_is_refused_naming_the_field(
    client: TestClient, tenant: Tenant, change: dict[str, Any], field: str
) -> None:
    delivery = {k: v for k, v in {**S3, **change}.items() if v is not None}
    response = client.post(
        "/v1/orders", json=order_body(delivery=delivery), headers=tenant["headers"]
    )
    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert field in fields
    assert SECRET not in response.text


def test_a_refused_delivery_creates_no_order(client: TestClient, tenant: Tenant) -> None:
    body = order_body(delivery={**S3, "bucket": "UPPER"})
    assert client.post("/v1/orders", json=body, headers=tenant["headers"]).status_code == 422
    assert client.get("/v1/orders", headers=tenant["headers"]).json()["count"] == 0
