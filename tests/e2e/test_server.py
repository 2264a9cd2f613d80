from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.factories import order_body

pytestmark = pytest.mark.e2e


def test_a_token_from_the_token_endpoint_lists_orders(server: Server) -> None:
    token = httpx.post(
        f"{server.base_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": server.creds["client_id"],
            "client_secret": server.creds["client_secret"],
        },
    ).json()
    assert token["token_type"] == "Bearer"
    response = httpx.get(
        f"{server.base_url}/v1/orders",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_concurrent_posts_with_one_idempotency_key_create_one_order(server: Server) -> None:
    body = order_body(name="Retried order")
    body["items"][0]["window"] = {"start": "2030-01-01T00:00:00Z", "end": "2030-01-10T00:00:00Z"}

    def post(_: int) -> httpx.Response:
        with server.client() as c:
            return c.post("/v1/orders", json=body, headers={"Idempotency-Key": "retry-1"})

    with ThreadPoolExecutor(max_workers=100) as pool:
        responses = list(pool.map(post, range(100)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    with server.client() as c:
        assert c.get("/v1/orders").json()["count"] == 1


def test_the_openapi_document_and_docs_page_are_served(server: Server) -> None:
    spec = httpx.get(f"{server.base_url}/openapi.json").json()
    assert "/v1/orders" in spec["paths"]
    assert httpx.get(f"{server.base_url}/docs").status_code == 200


def test_the_report_command_prints_the_usage_csv(server: Server, database_url: str) -> None:
    from tests.e2e.test_cli import run

    result = run(
        database_url,
        "report",
        "usage",
        "--from",
        "2026-01-01",
        "--to",
        "2026-02-01",
        "--url",
        server.base_url,
        "--api-key",
        server.creds["api_key"],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("contract_name,order_name,order_id,")


def test_the_report_command_explains_an_unreachable_server(database_url: str) -> None:
    from tests.e2e.test_cli import run

    result = run(
        database_url,
        "report",
        "usage",
        "--from",
        "2026-01-01",
        "--to",
        "2026-02-01",
        "--url",
        "http://127.0.0.1:9",
        "--api-key",
        "sko_x",
    )
    assert result.returncode == 5  # the documented exit code of an unreachable server
    assert "is the server running?" in result.stderr
