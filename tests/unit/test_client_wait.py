"""``orders.wait``: polls with backoff, reports each change, stops at the awaited status."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from skyorder.client import Client, OrderEnded, RetryPolicy, WaitTimeout


def order(status: str, event: str) -> dict[str, Any]:
    return {
        "id": "o1",
        "order_number": "000001",
        "name": "n",
        "status": status,
        "kind": "archive",
        "organisation_id": "org",
        "contract_id": "c",
        "project_id": None,
        "products": [],
        "items": [],
        "delivery": {"method": "api"},
        "created_by": None,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "payment_status": "paid",
        "latest_event": {
            "id": event,
            "type": event,
            "details": {},
            "message": "",
            "timestamp": "2026-01-01T00:00:00Z",
        },
    }


def polling(states: list[tuple[str, str]], waits: list[float]) -> Client:
    def handler(request: httpx.Request) -> httpx.Response:
        status, event = states.pop(0) if len(states) > 1 else states[0]
        return httpx.Response(200, json=order(status, event))

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(sleep=sleep, jitter=lambda: 0.5)
    return Client("http://t", api_key="k", retry=policy, transport=httpx.MockTransport(handler))


def test_wait_reports_each_change_and_returns_at_the_awaited_status() -> None:
    waits: list[float] = []
    states = [
        ("accepted", "e1"),
        ("accepted", "e1"),
        ("accepted", "e1"),
        ("in_progress", "e2"),
        ("completed", "e3"),
    ]
    seen: list[str] = []
    with polling(states, waits) as c:
        done = c.orders.wait(
            "000001", until={"completed"}, progress=lambda o: seen.append(o.status)
        )
    assert done.status == "completed"
    assert seen == ["accepted", "in_progress", "completed"]
    assert waits == [1.0, 1.5, 2.25, 1.0]  # backs off while nothing changes, then starts again


def test_wait_stops_when_the_order_ends_otherwise() -> None:
    with polling([("failed", "e1")], []) as c, pytest.raises(OrderEnded) as raised:
        c.orders.wait("000001", until={"completed"})
    assert raised.value.last_status == "failed"


def test_wait_gives_up_after_its_timeout() -> None:
    with polling([("accepted", "e1")], []) as c, pytest.raises(WaitTimeout):
        c.orders.wait("000001", timeout=0.0)
