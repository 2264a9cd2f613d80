from __future__ import annotations

import asyncio
from typing import Any

from skyorder.api.fairness import FairShare, caller_key


def _scope(key: bytes | None) -> dict[str, Any]:
    headers = [(b"x-api-key", key)] if key else []
    return {"type": "http", "headers": headers}


async def _noop_receive() -> dict[str, Any]:
    return {"type": "http.request"}


async def _noop_send(_: Any) -> None:
    return None


def test_a_callers_requests_beyond_its_share_wait_while_another_caller_runs() -> None:
    running: dict[bytes, int] = {}
    peak: dict[bytes, int] = {}
    release = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        key = dict(scope["headers"]).get(b"x-api-key", b"")
        running[key] = running.get(key, 0) + 1
        peak[key] = max(peak.get(key, 0), running[key])
        if key == b"busy":
            await release.wait()
        running[key] -= 1

    share = FairShare(app, per_caller=3, credential_headers=["X-API-Key"])

    async def main() -> None:
        burst = [
            asyncio.create_task(share(_scope(b"busy"), _noop_receive, _noop_send))
            for _ in range(10)
        ]
        await asyncio.sleep(0.01)
        await asyncio.wait_for(share(_scope(b"other"), _noop_receive, _noop_send), 1)
        assert running[b"busy"] == 3  # the other caller got in while the burst waited
        release.set()
        await asyncio.gather(*burst)

    asyncio.run(main())
    assert peak[b"busy"] == 3
    assert share._shares == {}  # idle callers are forgotten


def test_requests_without_credentials_are_not_keyed() -> None:
    headers = frozenset({b"x-api-key"})
    assert caller_key(_scope(None), headers) is None
    assert caller_key(_scope(b"a"), headers) != caller_key(_scope(b"b"), headers)
