"""Shared fixtures of the Pixxel tests: a moto S3 server, a bucket, stored configurations."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import rasterio
from fastapi.testclient import TestClient

from skyorder.core.ids import new_id
from skyorder.core.tenants import PaymentMode
from skyorder.runtime import Runtime
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms
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


@pytest.fixture
def monthly(runtime: Runtime) -> Tenant:
    """An organisation whose contract is billed monthly in arrears."""
    terms = ContractTerms(name="Monthly contract", payment_mode=PaymentMode.MONTHLY)
    creds = provision_organisation(
        runtime.uow, runtime.clock, "Monthly Co", "http://testserver", terms, credits=0
    )
    creds["headers"] = {"X-API-Key": creds["api_key"]}
    return creds


def analytic_bands(client: TestClient, tenant: Tenant, order_id: str) -> tuple[int, Any]:
    """The band count and descriptions of the order's one delivered analytic product."""
    found = client.get(f"/v1/orders/{order_id}/deliverables", headers=tenant["headers"])
    (delivered,) = [d for d in found.json()["results"] if d["status"] == "delivered"]
    asset = client.get(
        f"/v1/deliverables/{delivered['id']}/assets/analytic",
        headers=tenant["headers"],
        follow_redirects=True,
    )
    assert asset.status_code == 200
    path = Path(tempfile.mkdtemp()) / "analytic.tif"
    path.write_bytes(asset.content)
    with rasterio.open(path) as src:
        return src.count, src.descriptions
