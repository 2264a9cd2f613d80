"""Password-guessing protection on the console's sign-in: failures pause an email from an
address, an address, or an email from everywhere; the counts are shared by every process."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.errors import AuthenticationFailed, TooManyAttempts
from skyorder.core.users import UserRole
from skyorder.runtime import Runtime, build_runtime
from skyorder.services.sign_in_attempts import AttemptLimits, SignInAttempts
from skyorder.settings import Settings
from skyorder.store.sign_in_tables import sign_in_failures
from tests.conftest import WORLD_ARCHIVE
from tests.integration.test_console_sign_in import PASSWORD, person, sign_in

Tenant = dict[str, Any]
WRONG = "not the password"


@pytest.fixture
def admin(runtime: Runtime, tenant: Tenant) -> str:
    return person(runtime, tenant, "ada@example.com", UserRole.ADMIN)


def fail(client: TestClient, email: str, times: int) -> None:
    for _ in range(times):
        assert sign_in(client, email, WRONG).status_code == 401


def test_five_failures_pause_the_email_from_that_address_even_for_the_right_password(
    client: TestClient, runtime: Runtime, admin: str
) -> None:
    fail(client, "ada@example.com", 5)
    refused = sign_in(client, "Ada@Example.com")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(runtime.settings.sign_in_cooling_seconds)
    assert (
        "too many failed sign-ins for this email from your address: try again in 15 minutes (at"
        in refused.text
    )
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


def sign_in_from(runtime: Runtime, address: str, email: str, password: str = PASSWORD) -> str:
    """Sign in through the façade from ``address``: "ok", "wrong" or the refusal."""
    try:
        runtime.facade.sign_ins.sign_in(email, password, address)
    except AuthenticationFailed:
        return "wrong"
    except TooManyAttempts as refused:
        return refused.detail
    return "ok"


def test_a_guesser_cannot_lock_a_person_out_from_another_address(
    runtime: Runtime, admin: str
) -> None:
    for _ in range(runtime.settings.sign_in_failures_per_email):
        assert sign_in_from(runtime, "203.0.113.9", "ada@example.com", WRONG) == "wrong"
    assert "for this email from your address" in sign_in_from(
        runtime, "203.0.113.9", "ada@example.com"
    )
    assert sign_in_from(runtime, "198.51.100.7", "ada@example.com") == "ok"


def test_many_addresses_guessing_one_email_pause_it_everywhere(
    runtime: Runtime, admin: str
) -> None:
    total, per_address = 6, 2  # each attempt hashes a password: small limits, a quick test
    runtime.sign_in_attempts = SignInAttempts(
        AttemptLimits(per_email=per_address, per_email_total=total)
    )
    for n in range(total):
        address = f"203.0.113.{n // per_address}"
        assert sign_in_from(runtime, address, "ada@example.com", WRONG) == "wrong"
    refused = sign_in_from(runtime, "198.51.100.7", "ada@example.com")
    assert refused.startswith("too many failed sign-ins for this email: try again in 15 minutes")


def test_the_counts_are_shared_by_the_processes_and_kept_across_restarts(
    settings: Settings, engine: Engine, runtime: Runtime, clock: SandboxClock, admin: str
) -> None:
    def process() -> Runtime:
        return build_runtime(settings, clock=clock, archive=WORLD_ARCHIVE, engine=engine)

    first, second = process(), process()
    per_email = runtime.settings.sign_in_failures_per_email
    for n in range(per_email):  # alternately through two processes
        one = first if n % 2 else second
        assert sign_in_from(one, "203.0.113.9", "ada@example.com", WRONG) == "wrong"
    restarted = process()
    assert "for this email from your address" in sign_in_from(
        restarted, "203.0.113.9", "ada@example.com"
    )


def test_the_tables_keep_only_what_still_counts(
    runtime: Runtime, clock: SandboxClock, admin: str
) -> None:
    wall = clock.wall
    assert isinstance(wall, FixedClock)
    for n in range(runtime.settings.sign_in_failures_per_email):
        sign_in_from(runtime, "203.0.113.9", f"u{n}@example.com", WRONG)
    sign_in_from(runtime, "203.0.113.9", "ada@example.com", WRONG)
    wall.set(wall.now() + timedelta(seconds=runtime.settings.sign_in_window_seconds + 1))
    sign_in_from(runtime, "198.51.100.7", "last@example.com", WRONG)
    with runtime.uow(readonly=True) as uow:
        keys = {
            row.key
            for row in uow.connection.execute(select(sign_in_failures.c.key))
        }
    assert keys == {"pair:last@example.com|198.51.100.7", "client:198.51.100.7",
                    "email:last@example.com"}  # fmt: skip
