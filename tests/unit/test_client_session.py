"""The SDK's session: retries, the error table, paging and credentials (over MockTransport)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from skyorder.client import AsyncClient, Client, RetryPolicy
from skyorder.client import errors as e
from skyorder.client.auth import ClientCredentials

Handler = Callable[[httpx.Request], httpx.Response]


class Sleeps:
    """Records the waits the client asks for instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client(handler: Handler, sleeps: Sleeps | None = None, **kw: Any) -> Client:
    policy = RetryPolicy(attempts=4, sleep=sleeps or Sleeps(), jitter=lambda: 1.0)
    kw.setdefault("api_key", "sko_test")
    return Client("http://sky.test", retry=policy, transport=httpx.MockTransport(handler), **kw)


def problem(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> httpx.Response:
    body = {"type": "about:blank", "title": "T", "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors  # type: ignore[assignment]
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


CLOCK = {"now": "2026-01-01T00:00:00Z", "sandbox": True, "offset_seconds": 0.0}


def test_a_503_is_retried_with_growing_backoff_until_it_succeeds() -> None:
    answers = [problem(503, "busy"), problem(503, "busy"), httpx.Response(200, json=CLOCK)]
    sleeps = Sleeps()
    with client(lambda r: answers.pop(0), sleeps) as c:
        assert c.clock.now().sandbox is True
    assert sleeps.waits == [0.5, 1.0]


def test_a_429_waits_what_retry_after_says() -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}, json={"detail": "slow down"}),
        httpx.Response(200, json=CLOCK),
    ]
    sleeps = Sleeps()
    with client(lambda r: answers.pop(0), sleeps) as c:
        c.clock.now()
    assert sleeps.waits == [7.0]


def test_retries_stop_at_the_cap_and_raise_the_server_error() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return problem(502, "bad gateway")

    with client(handler) as c, pytest.raises(e.ServerError) as raised:
        c.clock.now()
    assert len(calls) == 4
    assert raised.value.status == 502


def test_a_post_without_idempotency_key_is_not_repeated_after_a_502() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return problem(502, "bad gateway")

    with client(handler) as c, pytest.raises(e.ServerError):
        c.clock.advance(seconds=60)
    assert len(calls) == 1


def test_connection_failures_are_retried_then_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    sleeps = Sleeps()
    with client(handler, sleeps) as c, pytest.raises(e.ConnectionFailed):
        c.clock.now()
    assert len(sleeps.waits) == 3


def test_the_error_table_maps_a_422_problem_with_its_fields() -> None:
    fields = [{"field": "items[0].aoi", "message": "self-intersects"}]
    with client(lambda r: problem(422, "items[0].aoi: self-intersects", fields)) as c:
        with pytest.raises(e.InvalidRequest) as raised:
            c.orders.get("000001")
    assert raised.value.fields == (e.FieldProblem("items[0].aoi", "self-intersects"),)
    assert raised.value.detail == "items[0].aoi: self-intersects"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, e.BadRequest),
        (402, e.PaymentRequired),
        (404, e.NotFound),
        (409, e.Conflict),
        (418, e.ApiError),
        (500, e.ServerError),
    ],
)
def test_each_status_raises_its_class(status: int, cls: type[e.ApiError]) -> None:
    with client(lambda r: problem(status, "no")) as c, pytest.raises(cls) as raised:
        c.orders.cancel("000001")
    assert type(raised.value) is cls


def test_a_list_iterates_every_page_keeping_the_filters() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        offset = int(request.url.params.get("offset", 0))
        nxt = f"/v1/captures?status=failed&offset={offset + 2}&limit=2" if offset < 4 else None
        results = [capture(f"c{offset + i}") for i in range(2 if offset < 4 else 1)]
        return httpx.Response(
            200, json={"count": 5, "next": nxt, "previous": None, "results": results}
        )

    with client(handler) as c:
        ids = [x.id for x in c.captures.list(status=["failed"])]
    assert ids == ["c0", "c1", "c2", "c3", "c4"]
    assert seen[0] == "http://sky.test/v1/captures?status=failed"
    assert len(seen) == 3


def capture(capture_id: str) -> dict[str, Any]:
    return {
        "id": capture_id,
        "order_id": "o",
        "order_number": "000001",
        "item_id": "i",
        "satellite": "SKY-1",
        "status": "failed",
        "start": "2026-01-01T00:00:00Z",
        "end": "2026-01-01T00:01:00Z",
        "ground_track": None,
        "footprint": None,
        "cloud_cover": None,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "latest_event": None,
        "metadata": {
            "min_absolute_off_nadir": None,
            "max_absolute_off_nadir": None,
            "min_sun_elevation": None,
            "max_sun_elevation": None,
            "priority": "standard",
        },
    }


def test_a_client_credentials_token_is_renewed_before_it_expires() -> None:
    now = [0.0]
    tokens: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            tokens.append(f"t{len(tokens)}")
            return httpx.Response(200, json={"access_token": tokens[-1], "expires_in": 300})
        assert request.headers["authorization"] == f"Bearer {tokens[-1]}"
        return httpx.Response(200, json=CLOCK)

    auth = ClientCredentials("cli_1", "secret", refresh_margin=60, clock=lambda: now[0])
    with client(handler, api_key=None, auth=auth) as c:
        c.clock.now()
        now[0] = 200.0  # 100 s left: still good
        c.clock.now()
        now[0] = 250.0  # 50 s left: inside the margin
        c.clock.now()
    assert tokens == ["t0", "t1"]


def test_a_401_fetches_a_fresh_token_once() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": f"t{len(sent)}", "expires_in": 300})
        sent.append(request.headers["authorization"])
        return (
            httpx.Response(401, json={"detail": "expired"})
            if len(sent) == 1
            else (httpx.Response(200, json=CLOCK))
        )

    with client(handler, api_key=None, client_id="cli_1", client_secret="s") as c:
        c.clock.now()
    assert sent == ["Bearer t0", "Bearer t1"]


def test_a_refused_token_request_says_why() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": "invalid_client", "error_description": "unknown client or wrong secret"}
        return httpx.Response(401, json=body)

    with client(handler, api_key=None, client_id="cli_1", client_secret="s") as c:
        with pytest.raises(e.Unauthorized, match="wrong secret"):
            c.clock.now()


def test_the_async_client_answers_the_same_models() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=CLOCK))

    async def main() -> float:
        async with AsyncClient("http://sky.test", api_key="k", transport=transport) as c:
            return (await c.clock.now()).offset_seconds

    assert asyncio.run(main()) == 0.0


def test_an_order_is_sent_with_an_idempotency_key() -> None:
    keys: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("idempotency-key"))
        assert json.loads(request.content)["name"] == "n"
        return problem(503, "busy") if len(keys) == 1 else problem(402, "balance too low")

    from skyorder.schemas.orders import OrderCreate

    body = OrderCreate.model_validate(
        {"name": "n", "items": [{"kind": "archive", "item_id": "x", "processing_level": "L1B"}]}
    )
    with client(handler) as c, pytest.raises(e.PaymentRequired):
        c.orders.create(body)
    assert len(keys) == 2 and keys[0] is not None and keys[0] == keys[1]
