from __future__ import annotations

import dataclasses

import pytest

from skyorder.core.orders import BucketTarget, Delivery, DeliveryMethod

TARGET = BucketTarget(
    bucket="customer-bucket",
    access_key_id="AKIAEXAMPLE",
    secret_access_key="wJalrXUtnFEMI",
    prefix="incoming/skyorder",
    endpoint_url="https://s3.eu-west-1.amazonaws.com",
    region="eu-west-1",
)


def fields(delivery: Delivery) -> list[str]:
    return [e.field for e in delivery.problems()]


def test_a_complete_bucket_target_is_valid() -> None:
    assert fields(Delivery(DeliveryMethod.S3, TARGET)) == []


def test_api_delivery_needs_nothing() -> None:
    assert fields(Delivery()) == []


def test_s3_delivery_needs_a_bucket() -> None:
    assert fields(Delivery(DeliveryMethod.S3)) == ["delivery.bucket"]


def test_bucket_fields_with_api_delivery_are_refused() -> None:
    assert fields(Delivery(DeliveryMethod.API, TARGET)) == ["delivery.method"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bucket": "UPPER"}, "delivery.bucket"),
        ({"bucket": "ab"}, "delivery.bucket"),
        ({"bucket": "a..b"}, "delivery.bucket"),
        ({"bucket": "-abc"}, "delivery.bucket"),
        ({"access_key_id": " "}, "delivery.access_key_id"),
        ({"secret_access_key": ""}, "delivery.secret_access_key"),
        ({"prefix": "a/../b"}, "delivery.prefix"),
        ({"prefix": "a//b"}, "delivery.prefix"),
        ({"prefix": "a\nb"}, "delivery.prefix"),
        ({"endpoint_url": "ftp://host"}, "delivery.endpoint_url"),
        ({"endpoint_url": "not a url"}, "delivery.endpoint_url"),
        ({"region": "Europe West"}, "delivery.region"),
    ],
)
def test_each_invalid_field_is_named(change: dict[str, str], field: str) -> None:
    target = dataclasses.replace(TARGET, **change)
    assert fields(Delivery(DeliveryMethod.S3, target)) == [field]


def test_a_loopback_endpoint_with_a_port_is_valid() -> None:
    target = dataclasses.replace(TARGET, endpoint_url="http://127.0.0.1:9000")
    assert fields(Delivery(DeliveryMethod.S3, target)) == []


def test_the_secret_never_shows_in_repr() -> None:
    assert "wJalrXUtnFEMI" not in repr(Delivery(DeliveryMethod.S3, TARGET))
