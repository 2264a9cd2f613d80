from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.errors import SignedLinkRefused
from skyorder.delivery.signing import UrlSigner
from tests.unit.builders import T0

SECRET = "s" * 40


def signer(clock: SandboxClock | None = None) -> UrlSigner:
    return UrlSigner(SECRET, clock or SandboxClock(base=FixedClock(T0)), timedelta(hours=1))


def parts(path: str) -> tuple[str, str, str]:
    url = urlsplit(path)
    query = parse_qs(url.query)
    return url.path, query["expires"][0], query["signature"][0]


def test_a_fresh_link_verifies() -> None:
    s = signer()
    _, expires, signature = parts(s.sign("deliverables/a/visual.tif").path)
    s.verify("deliverables/a/visual.tif", expires, signature)


def test_a_link_names_the_key_and_expires_after_the_ttl() -> None:
    link = signer().sign("deliverables/a/visual.tif")
    path, expires, _ = parts(link.path)
    assert path == "/files/deliverables/a/visual.tif"
    assert int(expires) == int((T0 + timedelta(hours=1)).timestamp())
    assert link.expires_at == T0 + timedelta(hours=1)


def test_the_signature_is_base64url_without_padding() -> None:
    _, _, signature = parts(signer().sign("k").path)
    assert len(signature) == 43
    assert set(signature) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_keys_with_spaces_are_quoted_in_the_path() -> None:
    assert signer().sign("a b/c.tif").path.startswith("/files/a%20b/c.tif?")


def test_another_key_is_refused() -> None:
    s = signer()
    _, expires, signature = parts(s.sign("deliverables/a/visual.tif").path)
    with pytest.raises(SignedLinkRefused, match="signature does not match"):
        s.verify("deliverables/b/visual.tif", expires, signature)


def test_a_later_expiry_is_refused() -> None:
    s = signer()
    _, expires, signature = parts(s.sign("k").path)
    with pytest.raises(SignedLinkRefused, match="signature does not match"):
        s.verify("k", str(int(expires) + 3600), signature)


def test_another_secret_is_refused() -> None:
    _, expires, signature = parts(signer().sign("k").path)
    other = UrlSigner("t" * 40, SandboxClock(base=FixedClock(T0)), timedelta(hours=1))
    with pytest.raises(SignedLinkRefused):
        other.verify("k", expires, signature)


def test_an_expired_link_is_refused_by_sandbox_time() -> None:
    clock = SandboxClock(base=FixedClock(T0))
    s = signer(clock)
    _, expires, signature = parts(s.sign("k").path)
    clock.advance(timedelta(hours=1))
    with pytest.raises(SignedLinkRefused, match="expired at 2026-01-05T13:00:00Z"):
        s.verify("k", expires, signature)


@pytest.mark.parametrize(("expires", "signature"), [(None, "x"), ("1", None), (None, None)])
def test_a_link_without_both_parameters_is_refused(
    expires: str | None, signature: str | None
) -> None:
    with pytest.raises(SignedLinkRefused, match="not signed"):
        signer().verify("k", expires, signature)


@pytest.mark.parametrize("expires", ["-5", "1e9", "soon", "9" * 20])
def test_an_expiry_that_is_not_unix_seconds_is_refused(expires: str) -> None:
    with pytest.raises(SignedLinkRefused, match="Unix time"):
        signer().verify("k", expires, "sig")
