"""Generating and checking API client secrets and API keys.

Secrets and keys are long random strings; only their hashes are stored. A
client secret is checked with PBKDF2-SHA256 and a per-secret salt (the stored
form names the scheme and count, so both can change); an API key is looked up
by its SHA-256 (it is random enough that a salt adds nothing and a lookup must
be possible).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# Secrets are 256 random bits, so the key-derivation cost adds no real protection
# (there is nothing to guess); a modest count keeps the token endpoint fast.
PBKDF2_ITERATIONS = 10_000


def new_client_id() -> str:
    """A public client id."""
    return "cli_" + secrets.token_hex(12)


def new_secret() -> str:
    """A client secret."""
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    """An API key, recognisable by its prefix."""
    return "sko_" + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Hash a client secret for storage."""
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), PBKDF2_ITERATIONS)
    return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${salt}${digest.hex()}"


def check_secret(secret: str, stored: str) -> bool:
    """Compare a presented secret with a stored hash in constant time."""
    try:
        scheme, iterations, salt, expected = stored.split("$")
        rounds = int(iterations)
        salt_bytes = bytes.fromhex(salt)
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256" or rounds < 1:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt_bytes, rounds)
    return hmac.compare_digest(digest.hex(), expected)


def hash_api_key(key: str) -> str:
    """The lookup hash of an API key."""
    return hashlib.sha256(key.encode()).hexdigest()


def secret_fingerprint(secret_hash: str) -> str:
    """A short, one-way tag of a client's current secret, carried in its access tokens.

    When the secret is rotated the tag changes, so tokens issued under the old
    secret are refused (revealing the tag tells nothing about the secret).
    """
    return hashlib.sha256(secret_hash.encode()).hexdigest()[:16]
