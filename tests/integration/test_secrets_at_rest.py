"""Customers' secrets are stored sealed, open again with the keys, and survive a key rotation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import Engine

from skyorder.core.tenants import Principal
from skyorder.datadir import add_key
from skyorder.runtime import Runtime, build_runtime
from skyorder.settings import Settings
from skyorder.store.sealing import SecretKeysUnusable, key_id, new_key
from tests.conftest import WORLD_ARCHIVE
from tests.factories import order_body, place
from tests.integration.test_webhook_delivery import advance, assert_signed, subscribe
from tests.integration.webhook_receiver import Receiver

Tenant = dict[str, Any]
S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
S3 = {
    "method": "s3",
    "endpoint_url": "https://s3.eu-west-1.amazonaws.com",
    "bucket": "acme-imagery",
    "access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "secret_access_key": S3_SECRET,
}
HOOK_URL = "https://hooks.example.com/skyorder"


def raw_webhook_secret(engine: Engine, webhook_id: str) -> str:
    with engine.connect() as conn:
        value: str = conn.execute(
            text("SELECT secret FROM webhook_subscriptions WHERE id = :id"), {"id": webhook_id}
        ).scalar_one()
    return value


def raw_delivery(engine: Engine, order_id: str) -> str:
    with engine.connect() as conn:
        value: str = conn.execute(
            text("SELECT CAST(delivery AS TEXT) FROM orders WHERE id = :id"), {"id": order_id}
        ).scalar_one()
    return value


def stored_secrets(runtime: Runtime, tenant: Tenant, order_id: str, hook_id: str) -> list[str]:
    """The secrets as the repositories read them back (opened)."""
    principal = Principal(tenant["organisation_id"], "test", (tenant["contract_id"],))
    with runtime.uow(readonly=True) as uow:
        order = uow.orders.get(principal, order_id)
        hook = uow.webhooks.get(principal, hook_id)
    assert order is not None and order.delivery.bucket is not None and hook is not None
    return [order.delivery.bucket.secret_access_key, hook.secret]


def restart(runtime: Runtime, settings: Settings, engine: Engine) -> Runtime:
    return build_runtime(settings, clock=runtime.clock, archive=WORLD_ARCHIVE, engine=engine)


def test_a_webhook_secret_is_stored_sealed(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    hook = subscribe(client, tenant, HOOK_URL)
    raw = raw_webhook_secret(engine, hook["id"])
    assert hook["secret"].startswith("whsec_")
    assert hook["secret"] not in raw and "whsec_" not in raw
    assert raw.startswith("sealed:1:")


def test_an_s3_secret_access_key_is_stored_sealed(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    order = place(client, tenant, order_body(delivery=S3))
    raw = raw_delivery(engine, order["id"])
    assert S3_SECRET not in raw
    assert json.loads(raw)["bucket"]["secret_access_key"].startswith("sealed:1:")
    assert json.loads(raw)["bucket"]["access_key_id"] == S3["access_key_id"]


def test_a_webhook_signed_with_a_sealed_secret_verifies_with_standardwebhooks(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    receiver = Receiver()
    try:
        receiver.up()
        hook = subscribe(client, tenant, receiver.url)
        assert raw_webhook_secret(engine, hook["id"]).startswith("sealed:1:")
        sent = client.post(f"/v1/webhooks/{hook['id']}/test", headers=tenant["headers"])
        assert sent.status_code == 202, sent.text
        advance(client, tenant, 5)
        got = receiver.acknowledged()
        assert len(got) == 1
        assert_signed(got[0], hook["secret"])
    finally:
        receiver.close()


def test_plain_text_secrets_of_an_older_database_still_read_and_are_sealed_at_start(
    client: TestClient,
    tenant: Tenant,
    engine: Engine,
    runtime: Runtime,
    settings: Settings,
) -> None:
    order = place(client, tenant, order_body(delivery=S3))
    hook = subscribe(client, tenant, HOOK_URL)
    plain_delivery = {"method": "s3", "bucket": {k: v for k, v in S3.items() if k != "method"}}
    with engine.begin() as conn:  # what a database written before sealing holds
        conn.execute(
            text("UPDATE webhook_subscriptions SET secret = :s WHERE id = :id"),
            {"s": hook["secret"], "id": hook["id"]},
        )
        conn.execute(
            text("UPDATE orders SET delivery = :d WHERE id = :id"),
            {"d": json.dumps(plain_delivery), "id": order["id"]},
        )
        conn.execute(text("DELETE FROM secret_seal"))
    assert stored_secrets(runtime, tenant, order["id"], hook["id"]) == [S3_SECRET, hook["secret"]]

    restarted = restart(runtime, settings, engine)

    assert raw_webhook_secret(engine, hook["id"]).startswith("sealed:1:")
    assert S3_SECRET not in raw_delivery(engine, order["id"])
    assert stored_secrets(restarted, tenant, order["id"], hook["id"]) == [
        S3_SECRET,
        hook["secret"],
    ]


def test_rotating_the_key_reseals_every_secret_and_they_still_open(
    client: TestClient,
    tenant: Tenant,
    engine: Engine,
    runtime: Runtime,
    settings: Settings,
) -> None:
    order = place(client, tenant, order_body(delivery=S3))
    hook = subscribe(client, tenant, HOOK_URL)
    old_id = runtime.uow.sealer.keyring.primary_id
    assert raw_webhook_secret(engine, hook["id"]).startswith(f"sealed:1:{old_id}:")

    rotated = add_key(settings.data_dir / "secrets.key")
    restarted = restart(runtime, settings, engine)

    assert rotated.primary_id != old_id
    assert raw_webhook_secret(engine, hook["id"]).startswith(f"sealed:1:{rotated.primary_id}:")
    sealed = json.loads(raw_delivery(engine, order["id"]))["bucket"]["secret_access_key"]
    assert sealed.startswith(f"sealed:1:{rotated.primary_id}:")
    assert stored_secrets(restarted, tenant, order["id"], hook["id"]) == [
        S3_SECRET,
        hook["secret"],
    ]


def test_resealing_again_with_the_same_key_changes_nothing(
    client: TestClient, tenant: Tenant, engine: Engine, runtime: Runtime
) -> None:
    hook = subscribe(client, tenant, HOOK_URL)
    before = raw_webhook_secret(engine, hook["id"])
    with runtime.uow() as uow:
        done = uow.sealed_secrets.sweep(force=True)
        uow.commit()
    assert (done.stored, raw_webhook_secret(engine, hook["id"])) == (1, before)


def test_a_database_sealed_with_another_key_file_refuses_to_start_naming_the_file(
    client: TestClient, tenant: Tenant, runtime: Runtime, settings: Settings, engine: Engine
) -> None:
    subscribe(client, tenant, HOOK_URL)
    other = settings.model_copy(update={"data_dir": settings.data_dir.parent / "elsewhere"})
    key_file = other.data_dir / "secrets.key"
    with pytest.raises(SecretKeysUnusable, match=f"{key_file} is missing") as caught:
        restart(runtime, other, engine)
    assert runtime.uow.sealer.keyring.primary_id in str(caught.value)
    assert not key_file.exists()  # the key made for nothing is not left behind


def test_a_database_sealed_with_another_key_refuses_to_start_naming_the_setting(
    client: TestClient, tenant: Tenant, runtime: Runtime, settings: Settings, engine: Engine
) -> None:
    subscribe(client, tenant, HOOK_URL)
    wrong = settings.model_copy(update={"secrets_keys": SecretStr(new_key().decode())})
    with pytest.raises(SecretKeysUnusable, match="not among the keys of SKYORDER_SECRETS_KEYS"):
        restart(runtime, wrong, engine)


def test_a_secrets_keys_setting_with_the_old_key_second_opens_and_reseals(
    client: TestClient, tenant: Tenant, runtime: Runtime, settings: Settings, engine: Engine
) -> None:
    hook = subscribe(client, tenant, HOOK_URL)
    old = (settings.data_dir / "secrets.key").read_text().strip()
    new = new_key()
    keys = SecretStr(f"{new.decode()},{old}")
    restarted = restart(runtime, settings.model_copy(update={"secrets_keys": keys}), engine)
    assert raw_webhook_secret(engine, hook["id"]).startswith(f"sealed:1:{key_id(new)}:")
    principal = Principal(tenant["organisation_id"], "test", (tenant["contract_id"],))
    with restarted.uow(readonly=True) as uow:
        reread = uow.webhooks.get(principal, hook["id"])
    assert reread is not None and reread.secret == hook["secret"]


def test_a_key_file_with_a_malformed_line_refuses_to_start_naming_the_file_and_line(
    runtime: Runtime, settings: Settings, engine: Engine
) -> None:
    key_file = settings.data_dir / "secrets.key"
    key_file.write_text(key_file.read_text() + "not-a-key\n")
    with pytest.raises(SecretKeysUnusable, match=f"{key_file} line 2: a key must be"):
        restart(runtime, settings, engine)
