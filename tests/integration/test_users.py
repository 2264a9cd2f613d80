"""Users: created by admins, held to their roles, recorded on orders, invisible to others."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.clock import SandboxClock
from skyorder.core.users import NewUser, UserRole
from skyorder.runtime import Runtime
from skyorder.services.demo import ensure_demo
from skyorder.services.users import create_user, create_user_client
from tests.catalog_examples import install_example_catalog
from tests.factories import archive_item, order_body, place, tasking_item

Tenant = dict[str, Any]


def add_person(runtime: Runtime, tenant: Tenant, email: str, role: UserRole) -> dict[str, Any]:
    """A user of ``tenant`` with an API client of theirs; ``headers`` authenticate as them."""
    with runtime.uow() as uow:
        user = create_user(uow, runtime.clock, tenant["organisation_id"], NewUser(email, "", role))
        creds = create_user_client(uow, runtime.clock, user)
        uow.commit()
    return {"id": user.id, "email": user.email, "headers": {"X-API-Key": creds.api_key}}


@pytest.fixture
def catalog(runtime: Runtime) -> None:
    install_example_catalog(runtime)


@pytest.fixture
def admin(runtime: Runtime, tenant: Tenant) -> dict[str, Any]:
    return add_person(runtime, tenant, "Ada@Example.com", UserRole.ADMIN)


@pytest.fixture
def member(runtime: Runtime, tenant: Tenant) -> dict[str, Any]:
    return add_person(runtime, tenant, "grace@example.com", UserRole.MEMBER)


@pytest.fixture
def viewer(runtime: Runtime, tenant: Tenant) -> dict[str, Any]:
    return add_person(runtime, tenant, "vera@example.com", UserRole.VIEWER)


def test_an_admin_adds_a_user_who_is_then_listed(client: TestClient, admin: dict[str, Any]) -> None:
    created = client.post(
        "/v1/users",
        json={"email": "Linus@Example.com", "display_name": "Linus", "role": "viewer"},
        headers=admin["headers"],
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["email"], body["display_name"], body["role"]) == (
        "linus@example.com",
        "Linus",
        "viewer",
    )
    assert created.headers["Location"] == f"/v1/users/{body['id']}"
    listed = client.get("/v1/users", headers=admin["headers"]).json()
    assert [u["email"] for u in listed] == ["ada@example.com", "linus@example.com"]


def test_a_second_user_with_the_same_email_answers_409(
    client: TestClient, admin: dict[str, Any]
) -> None:
    again = client.post("/v1/users", json={"email": "ADA@example.com"}, headers=admin["headers"])
    assert again.status_code == 409
    assert "ada@example.com" in again.json()["detail"]


def test_a_malformed_email_answers_422_naming_the_field(
    client: TestClient, admin: dict[str, Any]
) -> None:
    bad = client.post("/v1/users", json={"email": "not an email"}, headers=admin["headers"])
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "email"


def test_a_member_may_not_add_users(client: TestClient, member: dict[str, Any]) -> None:
    refused = client.post("/v1/users", json={"email": "x@example.com"}, headers=member["headers"])
    assert refused.status_code == 403
    assert "'admin' user role" in refused.json()["detail"]


def test_a_viewers_order_answers_403_naming_the_role(
    client: TestClient, viewer: dict[str, Any]
) -> None:
    refused = client.post("/v1/orders", json=order_body(), headers=viewer["headers"])
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "'viewer'" in detail and "'member'" in detail
    assert client.get("/v1/orders", headers=viewer["headers"]).json()["count"] == 0


def test_a_viewer_may_not_cancel_an_order(
    client: TestClient, tenant: Tenant, viewer: dict[str, Any]
) -> None:
    order = place(client, tenant, order_body())
    refused = client.post(f"/v1/orders/{order['id']}/cancel", headers=viewer["headers"])
    assert refused.status_code == 403
    assert "'viewer'" in refused.json()["detail"]
    assert (
        client.get(f"/v1/orders/{order['id']}", headers=viewer["headers"]).json()["status"]
        != "cancelled"
    )


def test_an_order_placed_with_a_users_key_records_the_user(
    client: TestClient, member: dict[str, Any]
) -> None:
    order = place(client, member, order_body())
    me = {"id": member["id"], "email": "grace@example.com"}
    assert order["created_by_user"] == order["updated_by_user"] == me
    assert order["created_by"] is not None and order["created_by"] == order["updated_by"]
    assert [i["created_by_user"] for i in order["items"]] == [me] * len(order["items"])
    again = client.get(f"/v1/orders/{order['id']}", headers=member["headers"]).json()
    assert again["created_by_user"] == me


def test_an_order_placed_by_a_service_account_names_no_user(
    client: TestClient, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body())
    assert order["created_by"] == tenant["client_id"]
    assert order["created_by_user"] is None


def test_cancelling_records_who_last_changed_the_order_and_its_items(
    client: TestClient, tenant: Tenant, member: dict[str, Any]
) -> None:
    order = place(client, tenant, order_body())
    cancelled = client.post(f"/v1/orders/{order['id']}/cancel", headers=member["headers"]).json()
    assert cancelled["created_by_user"] is None
    assert cancelled["updated_by_user"] == {"id": member["id"], "email": "grace@example.com"}
    stored = client.get(f"/v1/orders/{order['id']}", headers=tenant["headers"]).json()
    assert {i["updated_by_user"]["id"] for i in stored["items"]} == {member["id"]}


@pytest.mark.parametrize("by", ["id", "email", "client"])
def test_orders_filter_by_who_created_them(
    client: TestClient, tenant: Tenant, member: dict[str, Any], by: str
) -> None:
    mine = place(client, member, order_body(name="Grace's"))
    theirs = place(client, tenant, order_body(name="Service account's"))
    value = {"id": member["id"], "email": "GRACE@example.com", "client": tenant["client_id"]}[by]
    listed = client.get("/v1/orders", params={"created_by": value}, headers=tenant["headers"])
    assert listed.status_code == 200
    expected = theirs if by == "client" else mine
    assert [o["id"] for o in listed.json()["results"]] == [expected["id"]]
    assert listed.json()["count"] == 1


def test_users_of_another_organisation_are_invisible(
    client: TestClient, runtime: Runtime, other_tenant: Tenant, member: dict[str, Any]
) -> None:
    outsider = add_person(runtime, other_tenant, "grace@example.com", UserRole.ADMIN)
    place(client, member, order_body())
    listed = client.get("/v1/users", headers=outsider["headers"]).json()
    assert [u["id"] for u in listed] == [outsider["id"]]
    foreign = client.get(f"/v1/users/{member['id']}", headers=outsider["headers"])
    missing = client.get(f"/v1/users/{uuid.uuid4()}", headers=outsider["headers"])
    assert foreign.status_code == missing.status_code == 404
    by_them = client.get(
        "/v1/orders", params={"created_by": member["id"]}, headers=outsider["headers"]
    )
    assert by_them.json()["count"] == 0


def test_the_demo_credentials_name_the_demo_user_whose_key_they_hold(
    client: TestClient, runtime: Runtime, tmp_path: Path
) -> None:
    creds = ensure_demo(runtime.uow, runtime.clock, tmp_path, "http://testserver")
    assert creds["user"]["email"] == "demo@skyorder.example"
    assert json.loads((tmp_path / "demo-credentials.json").read_text())["user"] == creds["user"]
    order = place(client, {"headers": {"X-API-Key": creds["api_key"]}}, order_body())
    assert order["created_by_user"] == {"id": creds["user"]["id"], "email": creds["user"]["email"]}


def test_captures_record_the_user_who_ordered_them_and_who_cancelled_them(
    client: TestClient,
    runtime: Runtime,
    clock: SandboxClock,
    member: dict[str, Any],
    admin: dict[str, Any],
) -> None:
    order = place(client, member, order_body(tasking_item()))
    runtime.agenda.advance(clock, clock.now() + timedelta(minutes=5))
    path = f"/v1/orders/{order['id']}/captures"
    planned = client.get(path, headers=member["headers"]).json()["results"]
    assert planned, "the tasking order planned no capture"
    assert {c["created_by_user"]["id"] for c in planned} == {member["id"]}
    client.post(f"/v1/orders/{order['id']}/cancel", headers=admin["headers"])
    cancelled = client.get(path, headers=member["headers"]).json()["results"]
    assert {c["updated_by_user"]["email"] for c in cancelled} == {"ada@example.com"}


@pytest.mark.usefixtures("catalog")
def test_deliverables_record_the_user_who_ordered_them(
    client: TestClient, runtime: Runtime, clock: SandboxClock, member: dict[str, Any]
) -> None:
    order = place(client, member, order_body(archive_item()))
    runtime.agenda.advance(clock, clock.now() + timedelta(minutes=5))
    made = client.get(f"/v1/orders/{order['id']}/deliverables", headers=member["headers"])
    (deliverable,) = made.json()["results"]
    assert deliverable["created_by_user"] == {"id": member["id"], "email": "grace@example.com"}
    assert deliverable["created_by"] == order["created_by"]
