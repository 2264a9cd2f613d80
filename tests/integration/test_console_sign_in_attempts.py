"""Password-guessing protection on the console's sign-in: failures pause an email or address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.users import UserRole
from skyorder.runtime import Runtime
from tests.integration.test_console_sign_in import person, sign_in

Tenant = dict[str, Any]
WRONG = "not the password"


@pytest.fixture
def admin(runtime: Runtime, tenant: Tenant) -> str:
    return person(runtime, tenant, "ada@example.com", UserRole.ADMIN)


def fail(client: TestClient, email: str, times: int) -> None:
    for _ in range(times):
        assert sign_in(client, email, WRONG).status_code == 401


def test_five_failures_pause_the_email_even_for_the_right_password(
    client: TestClient, runtime: Runtime, admin: str
) -> None:
    fail(client, "ada@example.com", 5)
    refused = sign_in(client, "Ada@Example.com")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(runtime.settings.sign_in_cooling_seconds)
    assert "too many failed sign-ins for this email: try again in 15 minutes (at" in refused.text
    assert "skyorder_session" not in client.cookies


def test_the_pause_ends_on_the_wall_clock_not_the_sandbox_clock(
    client: TestClient, runtime: Runtime, clock: SandboxClock, admin: str
) -> None:
    fail(client, "ada@example.com", 5)
    clock.advance(timedelta(days=30))
    assert sign_in(client, "ada@example.com").status_code == 429
    wall = clock.wall
    assert isinstance(wall, FixedClock)
    wall.set(wall.now() + timedelta(seconds=runtime.settings.sign_in_cooling_seconds - 60))
    later = sign_in(client, "ada@example.com")
    assert later.status_code == 429
    assert later.headers["retry-after"] == "60"
    assert "try again in a minute" in later.text
    wall.set(wall.now() + timedelta(seconds=60))
    assert sign_in(client, "ada@example.com").status_code == 303


def test_a_successful_sign_in_clears_the_emails_failures(
    client: TestClient, admin: str
) -> None:
    fail(client, "ada@example.com", 4)
    assert sign_in(client, "ada@example.com").status_code == 303
    client.cookies.clear()
    fail(client, "ada@example.com", 4)
    assert sign_in(client, "ada@example.com").status_code == 303


def test_failures_outside_the_window_do_not_add_up(
    client: TestClient, runtime: Runtime, clock: SandboxClock, admin: str
) -> None:
    wall = clock.wall
    assert isinstance(wall, FixedClock)
    fail(client, "ada@example.com", 4)
    wall.set(wall.now() + timedelta(seconds=runtime.settings.sign_in_window_seconds + 1))
    fail(client, "ada@example.com", 4)
    assert sign_in(client, "ada@example.com").status_code == 303


def test_one_address_guessing_across_many_emails_is_paused(
    client: TestClient, runtime: Runtime, admin: str
) -> None:
    for n in range(runtime.settings.sign_in_failures_per_client):
        fail(client, f"guess{n}@example.com", 1)
    refused = sign_in(client, "ada@example.com")
    assert refused.status_code == 429
    assert "too many failed sign-ins for your address" in refused.text
    assert int(refused.headers["retry-after"]) > 0


def test_a_success_does_not_clear_the_address_count(
    client: TestClient, runtime: Runtime, admin: str
) -> None:
    for n in range(runtime.settings.sign_in_failures_per_client - 1):
        fail(client, f"guess{n}@example.com", 1)
    assert sign_in(client, "ada@example.com").status_code == 303
    client.cookies.clear()
    fail(client, "guess-last@example.com", 1)
    assert sign_in(client, "ada@example.com").status_code == 429
