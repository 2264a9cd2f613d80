"""Signed download links: anyone holding the link may read one object until it expires.

A link is ``/files/<key>?expires=<unix seconds>&signature=<base64url>`` where the
signature is HMAC-SHA256, keyed by the platform's signing secret, over
``skyorder-file-v1\\n<key>\\n<expires>``. The key and the expiry are bound
together, so changing either breaks the signature; the method is not signed
because the link only ever serves reads (GET and HEAD). Expiry is judged by the
wall clock the runtime gives (never sandbox time: an advance expires no link).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from skyorder.core.clock import Clock
from skyorder.core.errors import Hint, SignedLinkRefused

SCHEME = b"skyorder-file-v1"
FILES_PATH = "/files/"


@dataclass(frozen=True)
class SignedLink:
    """A signed path and when it stops working."""

    path: str
    expires_at: datetime


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class UrlSigner:
    """Makes and checks signed links to objects in the platform's store."""

    def __init__(self, secret: str, clock: Clock, ttl: timedelta) -> None:
        self._secret = secret.encode()
        self._clock = clock
        self.ttl = ttl

    def signature(self, key: str, expires: int) -> str:
        """The signature of ``key`` until ``expires`` (Unix seconds)."""
        message = SCHEME + b"\n" + key.encode() + b"\n" + str(expires).encode()
        return _b64(hmac.new(self._secret, message, hashlib.sha256).digest())

    def sign(self, key: str, ttl: timedelta | None = None) -> SignedLink:
        """A link to ``key`` valid from now for ``ttl`` (default: the configured lifetime)."""
        expires_at = self._clock.now() + (ttl or self.ttl)
        expires = int(expires_at.timestamp())
        path = f"{FILES_PATH}{quote(key, safe='/')}?expires={expires}"
        path += f"&signature={self.signature(key, expires)}"
        return SignedLink(path, datetime.fromtimestamp(expires, UTC))

    def verify(self, key: str, expires: str | None, signature: str | None) -> None:
        """Accept the link or say why not.

        Raises:
            SignedLinkRefused: the link is incomplete, tampered with or expired.
        """
        if not expires or not signature:
            raise SignedLinkRefused(
                "this link is not signed: a download link needs both 'expires' and 'signature'",
                hint=Hint.FRESH_DOWNLOAD_LINK,
            )
        if not expires.isdigit() or len(expires) > 12:
            raise SignedLinkRefused("the link's 'expires' is not a Unix time in seconds")
        expected = self.signature(key, int(expires))
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise SignedLinkRefused(
                "the link's signature does not match its file and expiry: it was altered "
                "or made for another server"
            )
        expired_at = datetime.fromtimestamp(int(expires), UTC)
        now = self._clock.now()
        if now >= expired_at:
            raise SignedLinkRefused(
                f"this link expired at {expired_at.isoformat().replace('+00:00', 'Z')} "
                f"(it is now {now.isoformat().replace('+00:00', 'Z')})",
                hint=Hint.FRESH_DOWNLOAD_LINK,
            )
