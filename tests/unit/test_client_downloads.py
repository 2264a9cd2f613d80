"""Downloads resume with Range, skip complete files and check every sha256."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from skyorder.client import ChecksumMismatch, Client, RetryPolicy
from skyorder.client import errors as e

DATA = bytes(range(256)) * 400  # 100 KiB


class Breaks(httpx.AsyncByteStream):
    """Sends ``cut`` bytes, then the connection drops."""

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut = data, cut

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data[: self.cut]
        raise httpx.ReadError("connection reset")


class Server:
    """One file at /files/a.tif, behind the deliverable's asset route; drops the first body."""

    def __init__(self, data: bytes = DATA, drop_first: bool = True) -> None:
        self.data = data
        self.drop_first = drop_first
        self.ranges: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/v1/deliverables/d1/assets/"):
            return httpx.Response(307, headers={"location": "/files/a.tif?signature=s"})
        assert request.url.path == "/files/a.tif"
        rng = request.headers.get("range")
        self.ranges.append(rng)
        start = int(rng.removeprefix("bytes=").rstrip("-")) if rng else 0
        body = self.data[start:]
        status = 206 if rng else 200
        if self.drop_first and len(self.ranges) == 1:
            return httpx.Response(status, stream=Breaks(body, 30_000))
        return httpx.Response(status, content=body)


def deliverable(sha: str, size: int = len(DATA)) -> Any:
    from skyorder.schemas.fulfilment import DeliverableOut

    return DeliverableOut.model_validate(
        {
            "id": "d1",
            "order_id": "o",
            "order_number": "000001",
            "item_id": "i",
            "capture_id": None,
            "contract_id": "c",
            "processing_level": "L1B",
            "status": "delivered",
            "footprint": None,
            "metadata": None,
            "billing_details": None,
            "tags": [],
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "delivered_at": None,
            "rejected_at": None,
            "latest_event": None,
            "assets": {
                "analytic": {
                    "href": "/v1/deliverables/d1/assets/analytic",
                    "type": "image/tiff",
                    "roles": ["data"],
                    "size": size,
                    "sha256": sha,
                }
            },
        }
    )


async def no_wait(seconds: float) -> None:
    return None


def client(server: Server) -> Client:
    return Client(
        "http://sky.test",
        api_key="k",
        retry=RetryPolicy(sleep=no_wait),
        transport=httpx.MockTransport(server),
    )


def test_a_dropped_transfer_resumes_from_where_it_stopped(tmp_path: Path) -> None:
    server = Server()
    progress: list[int] = []
    with client(server) as c:
        [done] = c.deliverables.download(
            [deliverable(hashlib.sha256(DATA).hexdigest())],
            tmp_path,
            progress=lambda f, n: progress.append(n),
        )
    assert server.ranges == [None, "bytes=30000-"]
    assert done.file.path.read_bytes() == DATA
    assert done.file.path.name == "analytic.tiff"
    assert sum(progress) == len(DATA)
    assert not list(tmp_path.rglob("*.part"))


def test_a_complete_file_is_not_fetched_again(tmp_path: Path) -> None:
    server = Server(drop_first=False)
    d = deliverable(hashlib.sha256(DATA).hexdigest())
    with client(server) as c:
        c.deliverables.download([d], tmp_path)
        [again] = c.deliverables.download([d], tmp_path)
    assert again.skipped and again.transferred == 0
    assert server.ranges == [None]


def test_a_file_that_does_not_match_its_checksum_is_refused(tmp_path: Path) -> None:
    server = Server(drop_first=False)
    with client(server) as c, pytest.raises(ChecksumMismatch):
        c.deliverables.download([deliverable("0" * 64)], tmp_path)
    assert not list(tmp_path.rglob("analytic*"))


class Restarting(Server):
    """Drops the first body at 30,000 bytes, then answers 503 (its proxy, while the server
    restarts) ``down`` times, then serves the rest."""

    def __init__(self, down: int) -> None:
        super().__init__()
        self.down = down

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if len(self.ranges) == 1 and self.down > 0 and request.url.path == "/files/a.tif":
            self.down -= 1
            return httpx.Response(503, headers={"Retry-After": "7"}, json={"detail": "restarting"})
        return super().__call__(request)


def test_a_download_waits_out_a_restarting_server_as_told_and_resumes(tmp_path: Path) -> None:
    server = Restarting(down=6)  # more refusals in a row than the policy's five tries...
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(attempts=8, sleep=sleep)
    with Client(
        "http://sky.test", api_key="k", retry=policy, transport=httpx.MockTransport(server)
    ) as c:
        [done] = c.deliverables.download([deliverable(hashlib.sha256(DATA).hexdigest())], tmp_path)
    assert done.file.path.read_bytes() == DATA
    assert done.transferred == len(DATA)  # the dropped 30,000 bytes are not fetched twice
    assert server.ranges == [None, "bytes=30000-"]
    assert waits[1:] == [7.0] * 6  # Retry-After, after the drop's own backoff


def test_a_download_gives_up_after_the_policy_s_tries_without_progress(tmp_path: Path) -> None:
    server = Restarting(down=100)
    with client(server) as c, pytest.raises(e.ServerError):
        c.deliverables.download([deliverable(hashlib.sha256(DATA).hexdigest())], tmp_path)
    assert server.down == 100 - 4  # the drop made progress; then four fruitless tries
    assert (tmp_path / "d1" / "analytic.tiff.part").stat().st_size == 30_000
