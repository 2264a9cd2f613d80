"""Inputs built to overflow a parser answer 4xx, and the server process lives on.

Each case once killed the process (a native parser's stack overflow) or answered
500 (``RecursionError``, ``int()`` refusing thousands of digits); they run against
a real ``skyorder serve`` process, which must still be running and answering after.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from skyorder.core.clock import SystemClock
from skyorder.delivery.local import LocalDiskStore
from skyorder.delivery.signing import UrlSigner
from tests.e2e.conftest import Server, running_server


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, engine: Any
) -> Iterator[Server]:
    from tests.conftest import _empty

    _empty(engine)
    with running_server(tmp_path_factory.mktemp("hostile"), database_url) as running:
        yield running


def _deep_json(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def _search(live: Server, body: dict[str, Any]) -> httpx.Response:
    with live.client() as client:
        return client.post("/stac/search", json=body)


def test_a_cql2_text_filter_nested_2000_parentheses_deep_answers_400(live: Server) -> None:
    nested = "(" * 2000 + "gsd=1" + ")" * 2000
    with live.client() as client:
        response = client.get("/stac/search", params={"filter": nested, "filter-lang": "cql2-text"})
    assert response.status_code == 400, response.text
    assert "100 levels" in response.json()["description"]
    assert live.alive()


def test_a_chain_of_3000_nots_answers_400(live: Server) -> None:
    response = _search(live, {"filter": "NOT " * 3000 + "gsd=1", "filter-lang": "cql2-text"})
    assert response.status_code == 400, response.text
    assert live.alive()


def test_a_chain_of_20000_additions_answers_400_naming_the_operator_limit(live: Server) -> None:
    chain = "gsd=" + "+".join(["1"] * 20_000)
    response = _search(live, {"filter": chain, "filter-lang": "cql2-text"})
    assert response.status_code == 400, response.text
    assert "at most 1000" in response.json()["description"]
    assert live.alive()


def test_a_chain_of_60000_ands_answers_400(live: Server) -> None:
    chain = " AND ".join(["gsd=1"] * 60_000)
    response = _search(live, {"filter": chain, "filter-lang": "cql2-text"})
    assert response.status_code == 400, response.text
    assert live.alive()


def test_a_long_in_list_is_still_accepted(live: Server) -> None:
    values = ",".join(str(i) for i in range(5000))
    response = _search(live, {"filter": f"gsd IN ({values})", "filter-lang": "cql2-text"})
    assert response.status_code == 200, response.text


def test_a_cql2_json_filter_nested_1000_deep_answers_400(live: Server) -> None:
    deep = '{"op":"not","args":[' * 1000 + "true" + "]}" * 1000
    with live.client() as client:
        response = client.get("/stac/search", params={"filter": deep, "filter-lang": "cql2-json"})
    assert response.status_code == 400, response.text
    assert live.alive()


@pytest.mark.parametrize("path", ["/v1/orders", "/v1/quotes", "/stac/search", "/stapi/orders"])
def test_a_json_body_nested_1000_deep_answers_400(live: Server, path: str) -> None:
    with live.client() as client:
        response = client.post(
            path, content=_deep_json(1000), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400, response.text
    assert "100 levels" in response.text
    assert live.alive()


def test_a_deep_json_body_without_content_type_answers_400(live: Server) -> None:
    with live.client() as client:
        response = client.post("/v1/orders", content=_deep_json(1000))
    assert response.status_code == 400, response.text
    assert live.alive()


def test_a_token_request_nested_1000_deep_answers_invalid_request(live: Server) -> None:
    response = httpx.post(
        f"{live.base_url}/oauth/token",
        content=_deep_json(1000),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert live.alive()


def _signed_link(live: Server, tmp_path: Path) -> str:
    source = tmp_path / "file.bin"
    source.write_bytes(bytes(range(256)) * 16)
    LocalDiskStore(live.data_dir / "objects").put_file("hostile/file.bin", source)
    secret = (live.data_dir / "signing-secret").read_text().strip()
    link = UrlSigner(secret, SystemClock(), timedelta(minutes=5)).sign("hostile/file.bin")
    return f"{live.base_url}{link.path}"


@pytest.mark.parametrize(
    ("range_header", "status"),
    [
        ("bytes=" + "9" * 5000 + "-", 416),
        ("bytes=0-" + "9" * 5000, 206),
        ("bytes=-" + "9" * 5000, 206),
        ("bytes=" + "0" * 5000 + "1-1", 206),
    ],
)
def test_a_range_with_thousands_of_digits_is_answered(
    live: Server, tmp_path: Path, range_header: str, status: int
) -> None:
    response = httpx.get(_signed_link(live, tmp_path), headers={"Range": range_header})
    assert response.status_code == status, response.text
    assert live.alive()
    json.dumps(dict(response.headers))
