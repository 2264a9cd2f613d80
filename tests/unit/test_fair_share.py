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


def _cookie_scope(cookie: str, key: bytes | None = None) -> dict[str, Any]:
    headers = [(b"cookie", cookie.encode())] + ([(b"x-api-key", key)] if key else [])
    return {"type": "http", "headers": headers}


def test_a_console_session_cookie_keys_the_caller_whatever_other_cookies_come_along() -> None:
    headers, cookies = frozenset({b"x-api-key"}), frozenset({"skyorder_session"})
    alone = caller_key(_cookie_scope("skyorder_session=abc"), headers, cookies)
    with_form = caller_key(
        _cookie_scope("skyorder_form=x; skyorder_session=abc"), headers, cookies
    )
    assert alone is not None
    assert alone == with_form
    assert alone != caller_key(_cookie_scope("skyorder_session=abd"), headers, cookies)
    assert caller_key(_cookie_scope("skyorder_form=x"), headers, cookies) is None
    assert caller_key(_cookie_scope("skyorder_session=abc"), headers) is None


def test_a_credential_header_keys_the_caller_before_the_session_cookie() -> None:
    headers, cookies = frozenset({b"x-api-key"}), frozenset({"skyorder_session"})
    both = caller_key(_cookie_scope("skyorder_session=abc", b"k"), headers, cookies)
    assert both == caller_key(_scope(b"k"), headers, cookies)


def test_a_signed_in_browsers_burst_waits_for_its_share() -> None:
    running = 0
    peak = 0
    release = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await release.wait()
        running -= 1

    share = FairShare(
        app, per_caller=2, credential_headers=["X-API-Key"], credential_cookies=["skyorder_session"]
    )

    async def main() -> None:
        burst = [
            asyncio.create_task(
                share(_cookie_scope("skyorder_session=abc"), _noop_receive, _noop_send)
            )
            for _ in range(6)
        ]
        await asyncio.sleep(0.01)
        assert running == 2
        release.set()
        await asyncio.gather(*burst)

    asyncio.run(main())
    assert peak == 2
