"""Console sign-in: passwords, the session cookie, CSRF on every write, sign-out, invitations."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from skyorder.api.fairness import FairShare
from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.users import NewUser, UserRole
from skyorder.runtime import Runtime
from skyorder.services.sign_in import set_password
from skyorder.services.users import create_user
from tests.factories import order_body

PASSWORD = "correct horse battery"
Tenant = dict[str, Any]


def person(runtime: Runtime, tenant: Tenant, email: str, role: UserRole) -> str:
    """A user of ``tenant`` with PASSWORD; returns their id."""
    with runtime.uow() as uow:
        user = create_user(uow, runtime.clock, tenant["organisation_id"], NewUser(email, "", role))
        set_password(uow, user, PASSWORD)
        uow.commit()
    return user.id


def form_csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    csrf = form_csrf(client.get("/console/sign-in").text)
    return client.post(
        "/console/sign-in",
        data={"email": email, "password": password, "csrf": csrf},
        follow_redirects=False,
    )


def choose(client: TestClient, path: str, password: str, csrf: str) -> Any:
    """Choose a password on an invitation's page."""
    return client.post(
        path, data={"password": password, "csrf": csrf}, follow_redirects=False
    )


def page_csrf(client: TestClient) -> str:
    console = client.get("/console")
    assert console.status_code == 200, console.text
    found = re.search(r'name="skyorder-csrf" content="([^"]+)"', console.text)
    assert found
    return found.group(1)


@pytest.fixture
def admin(runtime: Runtime, tenant: Tenant) -> str:
    return person(runtime, tenant, "ada@example.com", UserRole.ADMIN)


def test_a_user_signs_in_with_email_and_password_and_gets_a_strict_httponly_cookie(
    client: TestClient, admin: str
) -> None:
    answer = sign_in(client, "Ada@Example.com")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("skyorder_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain http in tests
    assert client.get("/v1/orders").status_code == 200


def test_a_wrong_password_is_refused_and_opens_no_session(client: TestClient, admin: str) -> None:
    answer = sign_in(client, "ada@example.com", "not the password")
    assert answer.status_code == 401
    assert "wrong email or password" in answer.text
    assert "skyorder_session" not in client.cookies
    assert client.get("/console", follow_redirects=False).headers["location"] == (
        "/console/sign-in"
    )


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(
    client: TestClient, admin: str
) -> None:
    answer = sign_in(client, "nobody@example.com")
    assert answer.status_code == 401
    assert "wrong email or password" in answer.text


def test_a_forged_session_cookie_is_refused(client: TestClient, admin: str) -> None:
    client.cookies.set("skyorder_session", "forged-session-token")
    answer = client.get("/v1/orders")
    assert answer.status_code == 401
    assert "session is not valid" in answer.json()["detail"]
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_a_sign_in_form_without_its_csrf_cookie_is_refused(
    client: TestClient, admin: str
) -> None:
    answer = client.post(
        "/console/sign-in",
        data={"email": "ada@example.com", "password": PASSWORD, "csrf": "guessed"},
        follow_redirects=False,
    )
    assert answer.status_code == 401
    assert "CSRF" in answer.text


def test_a_write_with_the_session_needs_the_csrf_token(
    client: TestClient, admin: str, tenant: Tenant
) -> None:
    sign_in(client, "ada@example.com")
    csrf = page_csrf(client)
    refused = client.post("/v1/projects", json={"name": "Coasts"})
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    wrong = client.post("/v1/projects", json={"name": "Coasts"}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    made = client.post("/v1/projects", json={"name": "Coasts"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text


def test_an_order_placed_in_the_console_records_the_user(
    client: TestClient, admin: str, tenant: Tenant
) -> None:
    sign_in(client, "ada@example.com")
    csrf = {"X-CSRF-Token": page_csrf(client)}
    placed = client.post("/v1/orders", json=order_body(), headers=csrf)
    assert placed.status_code == 201, placed.text
    assert placed.json()["created_by_user"] == {"id": admin, "email": "ada@example.com"}


def test_a_viewer_signed_in_cannot_place_an_order(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    person(runtime, tenant, "vera@example.com", UserRole.VIEWER)
    sign_in(client, "vera@example.com")
    refused = client.post(
        "/v1/orders", json=order_body(), headers={"X-CSRF-Token": page_csrf(client)}
    )
    assert refused.status_code == 403
    assert "viewer" in refused.json()["detail"]


def test_signing_out_ends_the_session_for_every_later_request(
    client: TestClient, admin: str
) -> None:
    sign_in(client, "ada@example.com")
    token = client.cookies["skyorder_session"]
    csrf = page_csrf(client)
    out = client.post("/console/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("skyorder_session", token)  # a copy kept by an attacker
    assert client.get("/v1/orders").status_code == 401


def test_sign_out_without_the_csrf_token_is_refused(client: TestClient, admin: str) -> None:
    sign_in(client, "ada@example.com")
    assert client.post("/console/sign-out", data={}, follow_redirects=False).status_code == 403
    assert client.get("/v1/orders").status_code == 200


def test_an_invited_user_chooses_a_password_once_and_is_signed_in(
    client: TestClient, admin: str, tenant: Tenant
) -> None:
    sign_in(client, "ada@example.com")
    csrf = {"X-CSRF-Token": page_csrf(client)}
    new = client.post("/v1/users", json={"email": "linus@example.com"}, headers=csrf).json()
    invitation = client.post(f"/v1/users/{new['id']}/invitation", headers=csrf)
    assert invitation.status_code == 201, invitation.text
    path = urlsplit(invitation.json()["url"]).path
    client.cookies.clear()
    short = choose(client, path, "short", form_csrf(client.get(path).text))
    assert short.status_code == 422
    assert "10 to 256 characters" in short.text
    chosen = choose(client, path, "a fine new password", form_csrf(short.text))
    assert chosen.status_code == 303
    assert client.get("/v1/users/" + new["id"]).json()["email"] == "linus@example.com"
    reused = choose(client, path, "another password", form_csrf(client.get(path).text))
    assert reused.status_code == 401
    assert "unknown, used or expired" in reused.text


def test_an_admin_mints_an_api_key_for_a_user_that_then_authenticates(
    client: TestClient, admin: str
) -> None:
    sign_in(client, "ada@example.com")
    csrf = {"X-CSRF-Token": page_csrf(client)}
    minted = client.post(f"/v1/users/{admin}/clients", json={"name": "notebook"}, headers=csrf)
    assert minted.status_code == 201, minted.text
    key = minted.json()["api_key"]
    client.cookies.clear()
    assert client.get("/v1/orders", headers={"X-API-Key": key}).status_code == 200


def test_a_member_may_not_invite_or_mint(
    client: TestClient, runtime: Runtime, tenant: Tenant, admin: str
) -> None:
    person(runtime, tenant, "grace@example.com", UserRole.MEMBER)
    sign_in(client, "grace@example.com")
    csrf = {"X-CSRF-Token": page_csrf(client)}
    assert client.post(f"/v1/users/{admin}/invitation", headers=csrf).status_code == 403
    assert client.post(f"/v1/users/{admin}/clients", json={}, headers=csrf).status_code == 403


def test_the_session_cookie_is_secure_when_the_console_is_reached_over_https(
    client: TestClient, admin: str
) -> None:
    csrf = form_csrf(client.get("/console/sign-in").text)
    answer = client.post(
        "/console/sign-in",
        data={"email": "ada@example.com", "password": PASSWORD, "csrf": csrf},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("skyorder_session=")
    )
    assert "Secure" in cookie


def test_a_session_ends_after_its_lifetime_on_the_wall_clock(
    client: TestClient, runtime: Runtime, clock: SandboxClock, admin: str
) -> None:
    sign_in(client, "ada@example.com")
    wall = clock.wall
    assert isinstance(wall, FixedClock)
    clock.advance(timedelta(days=30))  # sandbox time: no session ages on it
    assert client.get("/v1/orders").status_code == 200
    wall.set(wall.now() + timedelta(seconds=runtime.settings.session_ttl_seconds + 1))
    runtime.principals.forget(f"console:{admin}")  # what the cache's one second would do
    expired = client.get("/v1/orders")
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]


def test_the_servers_fair_share_counts_signed_in_browsers_by_their_session(
    client: TestClient,
) -> None:
    app: Any = client.app
    fair = next(m for m in app.user_middleware if m.cls is FairShare)
    assert "skyorder_session" in fair.kwargs["credential_cookies"]
