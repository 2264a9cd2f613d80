"""An order's events as Server-Sent Events, from a real server: live, resumable, scoped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, module_server
from tests.factories import order_body

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, engine: Any
) -> Iterator[Server]:
    """One server for the module (each test places its own order)."""
    with module_server(tmp_path_factory, database_url, engine, "stream") as running:
        yield running


def messages(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """SSE messages with data, as ``{"id", "event", "data"}``."""
    fields: dict[str, str] = {}
    for line in lines:
        if not line:
            if "data" in fields:
                yield {**fields, "data": json.loads(fields["data"])}
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value


def placed(server: Server) -> dict[str, Any]:
    body = order_body(name="Followed order")
    body["items"][0]["window"] = {"start": "2030-01-01T00:00:00Z", "end": "2030-01-10T00:00:00Z"}
    with server.client() as api:
        order: dict[str, Any] = api.post("/v1/orders", json=body).json()
    return order


def test_an_order_s_events_stream_live_as_they_happen(server: Server) -> None:
    order = placed(server)
    with server.client() as api, api.stream(
        "GET", f"/v1/orders/{order['id']}/events/stream"
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        seen: list[dict[str, Any]] = []
        for message in messages(stream.iter_lines()):
            seen.append(message)
            if message["data"]["type"] == "OrderAccepted":
                with server.client() as other:
                    assert other.post(f"/v1/orders/{order['id']}/cancel").status_code == 200
            if message["data"]["type"] == "OrderCancelled":
                break
    assert [m["id"] for m in seen] == [str(i) for i in range(1, len(seen) + 1)]
    assert {m["event"] for m in seen} == {"order-event"}
    assert all(m["data"]["order_id"] == order["id"] for m in seen)


def test_a_stream_resumes_after_the_last_event_id(server: Server) -> None:
    order = placed(server)
    url = f"/v1/orders/{order['id']}/events/stream"
    with server.client() as api:
        with api.stream("GET", url) as stream:
            first_two = [m for _, m in zip(range(2), messages(stream.iter_lines()), strict=False)]
        with api.stream("GET", url, headers={"Last-Event-ID": "1"}) as stream:
            resumed = next(messages(stream.iter_lines()))
    assert resumed["id"] == "2"
    assert resumed["data"] == first_two[1]["data"]


def test_another_organisation_s_order_cannot_be_streamed(server: Server) -> None:
    order = placed(server)
    other = server.creds["pay_per_order"]["api_key"]
    answer = httpx.get(
        f"{server.base_url}/v1/orders/{order['id']}/events/stream", headers={"X-API-Key": other}
    )
    assert answer.status_code == 404
    anonymous = httpx.get(f"{server.base_url}/v1/orders/{order['id']}/events/stream")
    assert anonymous.status_code == 401
