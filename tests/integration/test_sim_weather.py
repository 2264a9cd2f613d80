"""The sandbox's sky setting: clear and overcast skies decide captures whatever the climate.

Tests and integrators that need captures to succeed (or to fail for clouds) set
``sim_weather`` (``SKYORDER_SIM_WEATHER``) instead of relying on a lucky seed; with the
calibrated climatology a daily order at 20 % maximum cloud fails often, as real ones do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime
from skyorder.settings import Settings
from tests.factories import order_body, place, tasking_item

Tenant = dict[str, Any]
TEN_DAYS = {"start": "2026-01-06T00:00:00Z", "end": "2026-01-16T00:00:00Z"}


@pytest.fixture
def sky() -> str:
    return "climate"


@pytest.fixture
def settings(settings: Settings, sky: str) -> Settings:
    return settings.model_copy(update={"sim_weather": sky, "sim_anomaly_rate": 0.0})


def play_ten_days(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A daily order at 20 % maximum cloud over Mar del Plata, played to its window's end."""
    item = tasking_item(window=TEN_DAYS, processing_levels=["L1B"])
    order = place(client, tenant, order_body(item))
    runtime.agenda.advance(clock, clock.now() + timedelta(days=12))
    headers = tenant["headers"]
    captures = client.get(f"/v1/orders/{order['id']}/captures?limit=100", headers=headers)
    final = client.get(f"/v1/orders/{order['id']}", headers=headers)
    assert captures.status_code == final.status_code == 200
    return final.json(), captures.json()["results"]


@pytest.mark.parametrize("sky", ["clear"])
def test_a_clear_sky_collects_every_daily_attempt(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    order, captures = play_ten_days(client, tenant, runtime, clock)
    assert [c["status"] for c in captures] == ["collected"] * 10
    assert {c["cloud_cover"] for c in captures} == {0.0}
    assert order["status"] == "completed"


@pytest.mark.parametrize("sky", ["overcast"])
def test_an_overcast_sky_fails_every_attempt_for_clouds(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    order, captures = play_ten_days(client, tenant, runtime, clock)
    assert captures and {c["status"] for c in captures} == {"failed"}
    assert {c["latest_event"]["details"]["reason"] for c in captures} == {
        "cloud cover 100% above the 20% maximum"
    }
    assert order["status"] == "failed"
