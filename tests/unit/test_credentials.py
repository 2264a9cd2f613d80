"""Client secrets (PBKDF2) and API keys."""

from __future__ import annotations

import hashlib

import pytest

from skyorder.services.credentials import (
    PBKDF2_ITERATIONS,
    check_secret,
    hash_api_key,
    hash_secret,
    new_api_key,
    new_client_id,
    new_secret,
)


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_secret("correct horse battery staple")


def test_a_secret_matches_its_own_hash(stored: str) -> None:
    assert check_secret("correct horse battery staple", stored)


def test_a_different_secret_does_not_match(stored: str) -> None:
    assert not check_secret("correct horse battery stapler", stored)


def test_the_hash_names_its_scheme_and_iterations(stored: str) -> None:
    scheme, iterations, salt, digest = stored.split("$")
    assert scheme == "pbkdf2_sha256"
    assert int(iterations) == PBKDF2_ITERATIONS
    assert len(bytes.fromhex(salt)) == 16
    assert len(bytes.fromhex(digest)) == 32


def test_the_hash_does_not_contain_the_secret(stored: str) -> None:
    assert "correct horse" not in stored


def test_hashing_the_same_secret_twice_uses_different_salts() -> None:
    first, second = hash_secret("s3cret"), hash_secret("s3cret")
    assert first != second
    assert check_secret("s3cret", first)
    assert check_secret("s3cret", second)


def test_a_tampered_digest_is_detected(stored: str) -> None:
    scheme, iterations, salt, digest = stored.split("$")
    flipped = ("0" if digest[0] != "0" else "1") + digest[1:]
    assert not check_secret(
        "correct horse battery staple", f"{scheme}${iterations}${salt}${flipped}"
    )


def test_a_tampered_salt_is_detected(stored: str) -> None:
    scheme, iterations, salt, digest = stored.split("$")
    flipped = ("0" if salt[0] != "0" else "1") + salt[1:]
    assert not check_secret(
        "correct horse battery staple", f"{scheme}${iterations}${flipped}${digest}"
    )


def test_a_tampered_iteration_count_is_detected(stored: str) -> None:
    scheme, _, salt, digest = stored.split("$")
    assert not check_secret("correct horse battery staple", f"{scheme}$1000${salt}${digest}")


def test_an_unknown_scheme_is_refused(stored: str) -> None:
    assert not check_secret("correct horse battery staple", stored.replace("pbkdf2_sha256", "md5"))


@pytest.mark.parametrize("value", ["", "plain-text-secret", "a$b$c", "a$b$c$d$e"])
def test_a_stored_value_of_the_wrong_shape_is_refused(value: str) -> None:
    assert not check_secret("plain-text-secret", value)


@pytest.mark.parametrize(
    "corrupt",
    ["pbkdf2_sha256$60000$not-hex$00", "pbkdf2_sha256$many$00$00", "pbkdf2_sha256$0$00$00"],
)
def test_a_corrupted_stored_hash_is_refused_without_raising(corrupt: str) -> None:
    assert check_secret("anything", corrupt) is False


def test_a_client_id_is_prefixed_and_random() -> None:
    first, second = new_client_id(), new_client_id()
    assert first.startswith("cli_")
    assert len(first) == len("cli_") + 24
    assert first != second


def test_a_secret_is_long_and_random() -> None:
    first, second = new_secret(), new_secret()
    assert len(first) >= 40
    assert first != second


def test_an_api_key_is_recognisable_by_its_prefix() -> None:
    assert new_api_key().startswith("sko_")
    assert new_api_key() != new_api_key()


def test_an_api_key_hash_is_its_sha256() -> None:
    key = "sko_example"
    assert hash_api_key(key) == hashlib.sha256(key.encode()).hexdigest()
    assert hash_api_key(key) == hash_api_key(key)
