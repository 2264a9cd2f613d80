"""Shared fixtures of the Pixxel tests: a moto S3 server, a bucket, stored configurations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from skyorder.core.ids import new_id
from tests.outbound_fakes import moto_s3

Tenant = dict[str, Any]
SECRET = "cloud-config-secret-4711"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3() as endpoint:
        yield endpoint


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key=SECRET,
    )


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    name = f"configured-{new_id()[:8]}"
    s3_client(s3_endpoint).create_bucket(Bucket=name)
    return name


def make_config(
    client: TestClient, tenant: Tenant, endpoint: str, bucket: str, name: str = "main"
) -> dict[str, Any]:
    body = {
        "name": name,
        "bucket": bucket,
        "prefix": "eo",
        "access_key_id": "testing",
        "secret_access_key": SECRET,
        "endpoint_url": endpoint,
        "region": "us-east-1",
    }
    response = client.post("/v1/cloud-delivery-configs", json=body, headers=tenant["headers"])
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
