"""Secrets at rest: sealed with keys kept outside the database, opened on the way out.

Customers' secrets that the platform must use again later (an order's S3 secret
access key, a webhook's signing secret) are stored sealed: ``sealed:1:<key id>:<token>``,
where the token is a Fernet token (AES-128-CBC with HMAC-SHA256, from the
``cryptography`` package) and the key id names the key that made it. A keyring holds
several keys: the first seals, every one opens, so a key can be rotated without a
moment where stored secrets are unreadable (see ``skyorder admin rotate-secrets-key``).

Values written before sealing existed are plain text; :meth:`SecretSealer.unseal`
passes them through, and the start-up sweep seals them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken

SEALED_PREFIX = "sealed:1:"
KEY_ID_CHARS = 12


class SecretKeysUnusable(Exception):
    """The configured keys are malformed or cannot open what the database holds.

    Raised at start-up (and by the rotation command) with a message that names the
    key file or setting, so the operator knows what to restore.
    """

    def __init__(self, message: str, key_id: str | None = None) -> None:
        super().__init__(message)
        self.key_id = key_id
        """The id of the key a stored secret needs and the keyring lacks, if that is why."""


def key_id(key: bytes) -> str:
    """A short, stable name of a key (a truncated SHA-256; it reveals nothing of the key)."""
    return hashlib.sha256(key).hexdigest()[:KEY_ID_CHARS]


def new_key() -> bytes:
    """A fresh random key (32 bytes, url-safe base64, as Fernet wants)."""
    return Fernet.generate_key()


def check_key(key: str) -> bytes:
    """A key as bytes; ``ValueError`` says what a key must look like."""
    raw = key.strip().encode()
    try:
        decoded = base64.urlsafe_b64decode(raw)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != 32:
        raise ValueError("a key must be 32 random bytes in url-safe base64 (44 characters)")
    return raw


@dataclass(frozen=True)
class Keyring:
    """The keys in force, newest first, and where they came from (for messages)."""

    keys: tuple[bytes, ...]
    source: str
    """The key file's path or the setting's name, e.g. ``SKYORDER_SECRETS_KEYS``."""

    def __post_init__(self) -> None:
        if not self.keys:
            raise SecretKeysUnusable(f"{self.source} holds no key")

    @property
    def primary_id(self) -> str:
        """The id of the key that seals."""
        return key_id(self.keys[0])


class SecretSealer:
    """Seals and opens secret strings with a keyring; the store's codec for secrets."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._by_id = {key_id(k): Fernet(k) for k in keyring.keys}
        self._primary_id = keyring.primary_id
        self._primary = self._by_id[self._primary_id]

    def seal(self, plaintext: str) -> str:
        """The stored form of a secret, sealed with the first key."""
        token = self._primary.encrypt(plaintext.encode()).decode()
        return f"{SEALED_PREFIX}{self._primary_id}:{token}"

    def unseal(self, stored: str) -> str:
        """A secret from its stored form; plain text written before sealing passes through."""
        sealed = _parse(stored)
        if sealed is None:
            return stored
        kid, token = sealed
        fernet = self._by_id.get(kid)
        if fernet is None:
            raise SecretKeysUnusable(
                f"a stored secret was sealed with key {kid}, which is not among the keys of "
                f"{self.keyring.source} (keys: {', '.join(self._by_id)}); restore the key "
                "the database was used with",
                kid,
            )
        try:
            return fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise SecretKeysUnusable(
                f"a stored secret sealed with key {kid} does not open with that key of "
                f"{self.keyring.source}: the key or the stored value was altered"
            ) from None

    def is_current(self, stored: str) -> bool:
        """Whether a stored value is already sealed with the first key."""
        sealed = _parse(stored)
        return sealed is not None and sealed[0] == self._primary_id

    def reseal(self, stored: str) -> str | None:
        """The value sealed with the first key, or ``None`` when it already is."""
        return None if self.is_current(stored) else self.seal(self.unseal(stored))


def _parse(stored: str) -> tuple[str, str] | None:
    if not stored.startswith(SEALED_PREFIX):
        return None
    kid, sep, token = stored.removeprefix(SEALED_PREFIX).partition(":")
    return (kid, token) if sep and token else None
