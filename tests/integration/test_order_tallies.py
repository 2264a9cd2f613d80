"""Order list counts from the day tallies agree with counting every match."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from skyorder.cli.main import app as cli
from skyorder.runtime import Runtime
from skyorder.services import auth
from skyorder.settings import Settings
from skyorder.store import tables as t
from tests.conftest import T0
from tests.factories import advance, order_body, place

Tenant = dict[str, Any]


def count_of(client: TestClient, tenant: Tenant, **params: Any) -> tuple[int, int]:
    """The list's ``count`` and, to check it, how many orders all its pages hold."""
    response = client.get("/v1/orders", params={**params, "limit": 1000}, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    page = response.json()
    return page["count"], len(page["results"])


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def history(client: TestClient, runtime: Runtime, tenant: Tenant) -> list[dict[str, Any]]:
    """Orders placed over five days, every third cancelled a day and a half later."""
    placed = []
    for i in range(15):
        advance(runtime, hours=7)
        placed.append(place(client, tenant, order_body(name=f"order {i}")))
    advance(runtime, hours=36)
    for order in placed[::3]:
        response = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
        assert response.status_code == 200, response.text
        advance(runtime, hours=5)
    return placed


def test_counts_from_tallies_match_every_kind_of_bound(
    client: TestClient, tenant: Tenant, history: list[dict[str, Any]]
) -> None:
    moments = [T0 + timedelta(hours=h) for h in (0, 36, 60, 200)]
    moments.append(datetime.fromisoformat(history[4]["created_at"]))  # exactly an order's time
    statuses = [None, "cancelled", "accepted,cancelled"]
    checked = 0
    for field in ("created_at", "updated_at"):
        for status, low, high in itertools.product(statuses, [None, *moments], [None, *moments]):
            for low_op, high_op in (("gte", "lt"), ("gt", "lte")):
                params: dict[str, str] = {}
                if status:
                    params["status"] = status
                if low is not None:
                    params[f"{field}__{low_op}"] = iso(low)
                if high is not None:
                    params[f"{field}__{high_op}"] = iso(high)
                count, listed = count_of(client, tenant, **params)
                assert count == listed, params
                checked += 1
    assert checked > 400


def test_tallies_follow_cancellations_and_stay_per_tenant(
    client: TestClient, runtime: Runtime, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = [place(client, tenant, order_body(name=f"mine {i}")) for i in range(3)]
    place(client, other_tenant, order_body(name="theirs"))
    advance(runtime, days=3)
    client.post(f"/v1/orders/{mine[0]['id']}/cancel", headers=tenant["headers"])
    since = iso(T0 - timedelta(days=10))
    assert count_of(client, tenant, status="accepted", updated_at__gte=since) == (2, 2)
    assert count_of(client, tenant, status="cancelled", updated_at__gte=since) == (1, 1)
    assert count_of(client, tenant, created_at__gte=since) == (3, 3)
    assert count_of(client, other_tenant, created_at__gte=since) == (1, 1)


def test_a_rolled_back_savepoint_leaves_the_tallies_alone(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    order = place(client, tenant, order_body())
    advance(runtime, days=2)
    with runtime.uow() as uow:
        client_row = auth.client_for_api_key(uow, tenant["api_key"])
        principal = auth.principal_for(uow, client_row, None)
        with pytest.raises(RuntimeError), uow.savepoint():
            stored = uow.orders.get(principal, order["id"], for_update=True)
            assert stored is not None
            stored.cancel(runtime.clock.now())
            uow.orders.save(stored)
            raise RuntimeError("the step failed")
        uow.commit()
    with runtime.uow(readonly=True) as uow:
        tallies = uow.connection.execute(
            select(t.order_tallies.c.field, t.order_tallies.c.status, t.order_tallies.c.n)
        ).all()
    assert sorted(tuple(r) for r in tallies) == [
        ("created_at", "accepted", 1),
        ("updated_at", "accepted", 1),
    ]
    since = iso(T0 - timedelta(days=10))
    assert count_of(client, tenant, status="accepted", updated_at__gte=since) == (1, 1)


def test_the_cli_rebuilds_tallies_lost_to_a_bulk_import(
    client: TestClient, runtime: Runtime, tenant: Tenant, settings: Settings
) -> None:
    placed = [place(client, tenant, order_body(name=f"order {i}")) for i in range(3)]
    advance(runtime, days=2)
    client.post(f"/v1/orders/{placed[0]['id']}/cancel", headers=tenant["headers"])
    with runtime.uow(readonly=True) as uow:
        kept = sorted(tuple(r) for r in uow.connection.execute(select(t.order_tallies)).all())
    with runtime.uow() as uow:  # as if orders had been written around the repository
        uow.connection.execute(t.order_tallies.delete())
        uow.commit()
    since = iso(T0 - timedelta(days=10))
    assert count_of(client, tenant, status="accepted", updated_at__gte=since) == (0, 2)

    args = ["--data-dir", str(settings.data_dir), "--database-url", settings.database()]
    result = CliRunner().invoke(cli, ["admin", "rebuild-tallies", *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"tallies": len(kept)}
    with runtime.uow(readonly=True) as uow:
        rebuilt = sorted(tuple(r) for r in uow.connection.execute(select(t.order_tallies)).all())
    assert rebuilt == kept
    assert count_of(client, tenant, status="accepted", updated_at__gte=since) == (2, 2)
