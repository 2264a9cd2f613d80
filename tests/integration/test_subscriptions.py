"""km² subscriptions: a quota per period that orders draw from, through /v1 and /api/v1."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.catalog import scene_uuid
from skyorder.core.clock import SandboxClock
from skyorder.core.tenants import Role
from skyorder.runtime import Runtime
from tests.conftest import _tenant
from tests.integration import test_oneatlas_api
from tests.integration.test_oneatlas_api import bearer, oneatlas, product

runtime = test_oneatlas_api.runtime
"""This module's runtime fixture: its archive is its own catalog, with the example scenes."""


@pytest.fixture
def admin(runtime: Runtime) -> dict[str, Any]:
    """An organisation whose API client may grant subscriptions."""
    return _tenant(runtime, "Admin Co", (Role.CUSTOMER, Role.ADMIN))


def grant(client: TestClient, who: dict[str, Any], quota: float = 50) -> Any:
    return client.post(
        f"/v1/contracts/{who['contract_id']}/subscriptions",
        json={"quota_km2": quota, "period_months": 1},
        headers=who["headers"],
    )


def balance(client: TestClient, who: dict[str, Any]) -> Any:
    return client.get(f"/v1/contracts/{who['contract_id']}/balance", headers=who["headers"]).json()


def used(client: TestClient, who: dict[str, Any]) -> Any:
    (only,) = client.get(
        f"/v1/contracts/{who['contract_id']}/subscriptions", headers=who["headers"]
    ).json()
    return only


def test_granting_a_subscription_needs_the_admin_role(
    client: TestClient, tenant: dict[str, Any]
) -> None:
    answer = grant(client, tenant)
    assert answer.status_code == 403
    assert "admin" in answer.json()["detail"]


def test_a_bad_quota_is_refused(client: TestClient, admin: dict[str, Any]) -> None:
    assert grant(client, admin, quota=0).status_code == 422
    assert grant(client, admin, quota=-5).status_code == 422


def test_an_order_the_quota_covers_is_drawn_from_it_and_costs_no_credits(
    client: TestClient, admin: dict[str, Any]
) -> None:
    assert grant(client, admin).status_code == 201
    price = client.post("/api/v1/prices", json=oneatlas(), headers=bearer(admin)).json()
    assert price["orderable"] == "orderable"
    before = balance(client, admin)
    order = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(admin)).json()
    assert order["status"] == "ordered" and order["price"] == 0
    assert balance(client, admin) == before
    drawn = used(client, admin)
    assert (round(drawn["consumed_km2"], 2), round(drawn["remaining_km2"], 2)) == (31.74, 18.26)
    link = client.get(order["_links"]["subscription"]["href"], headers=bearer(admin)).json()
    assert (link["id"], link["unit"], link["consumed"], link["balance"]) == (
        drawn["id"],
        "km2",
        drawn["consumed_km2"],
        drawn["remaining_km2"],
    )


def test_an_order_beyond_the_remaining_quota_is_paid_from_the_balance(
    client: TestClient, admin: dict[str, Any]
) -> None:
    grant(client, admin)
    client.post("/api/v1/orders", json=oneatlas(), headers=bearer(admin))
    price = client.post("/api/v1/prices", json=oneatlas(), headers=bearer(admin)).json()
    assert price["orderable"] == "noAvailableSubscriptionData"
    second = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(admin)).json()
    assert second["price"] > 0 and balance(client, admin)["held"] == second["price"]
    assert round(used(client, admin)["consumed_km2"], 2) == 31.74


def test_cancelling_gives_the_km2_back_and_a_new_period_starts_afresh(
    client: TestClient, admin: dict[str, Any], clock: SandboxClock
) -> None:
    grant(client, admin)
    order = client.post("/api/v1/orders", json=oneatlas(), headers=bearer(admin)).json()
    client.post(order["_links"]["cancel"]["href"], headers=bearer(admin))
    assert used(client, admin)["consumed_km2"] == 0
    client.post("/api/v1/orders", json=oneatlas(), headers=bearer(admin))
    assert round(used(client, admin)["consumed_km2"], 2) == 31.74
    clock.advance(timedelta(days=32))
    fresh = used(client, admin)
    assert (fresh["consumed_km2"], fresh["remaining_km2"]) == (0, 50)


def test_another_organisations_subscription_answers_404(
    client: TestClient, admin: dict[str, Any], other_tenant: dict[str, Any]
) -> None:
    subscription = grant(client, admin).json()
    path = f"/v1/subscriptions/{subscription['id']}"
    assert client.get(path, headers=admin["headers"]).status_code == 200
    assert client.get(path, headers=other_tenant["headers"]).status_code == 404
    oneatlas_path = f"/api/v1/subscriptions/{subscription['id']}"
    assert client.get(oneatlas_path, headers=bearer(other_tenant)).status_code == 404
    listing = f"/v1/contracts/{admin['contract_id']}/subscriptions"
    assert client.get(listing, headers=other_tenant["headers"]).status_code == 404


def pneo_order(client: TestClient, who: dict[str, Any]) -> Any:
    found = client.post(
        "/stac/search",
        json={"collections": ["pneo"], "bbox": [1.45, 43.61, 1.46, 43.62], "limit": 1},
        headers=who["headers"],
    ).json()["features"][0]
    body = oneatlas(product(id=scene_uuid("pneo", found["id"]), productType="pansharpened-fs"))
    return client.post("/api/v1/orders", json=body, headers=bearer(who))


def test_pleiades_neo_is_sold_only_through_a_km2_subscription(
    client: TestClient, admin: dict[str, Any]
) -> None:
    refused = pneo_order(client, admin)
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["field"] == "products[0].id"
    assert "only through a km² subscription" in error["message"]
    assert client.get("/api/v1/orders", headers=bearer(admin)).json()["totalResults"] == 0
    grant(client, admin)
    ordered = pneo_order(client, admin)
    assert ordered.status_code == 201, ordered.text
    assert (ordered.json()["status"], ordered.json()["price"]) == ("ordered", 0)
