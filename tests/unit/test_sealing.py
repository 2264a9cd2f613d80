"""The secret codec: sealed values open with any key of the keyring, never without one."""

from __future__ import annotations

import pytest

from skyorder.store.sealing import (
    Keyring,
    SecretKeysUnusable,
    SecretSealer,
    check_key,
    key_id,
    new_key,
)

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
OLD, NEW = new_key(), new_key()


def sealer(*keys: bytes) -> SecretSealer:
    return SecretSealer(Keyring(keys, "secrets.key"))


def test_a_sealed_secret_opens_to_what_was_sealed() -> None:
    s = sealer(NEW)
    assert s.unseal(s.seal(SECRET)) == SECRET


def test_a_sealed_secret_holds_no_trace_of_the_plain_text() -> None:
    sealed = sealer(NEW).seal(SECRET)
    assert SECRET not in sealed
    assert sealed.startswith(f"sealed:1:{key_id(NEW)}:")


def test_a_secret_sealed_with_an_older_key_still_opens_after_a_new_key_comes_first() -> None:
    sealed = sealer(OLD).seal(SECRET)
    assert sealer(NEW, OLD).unseal(sealed) == SECRET


def test_resealing_moves_a_secret_to_the_first_key_once() -> None:
    s = sealer(NEW, OLD)
    resealed = s.reseal(sealer(OLD).seal(SECRET))
    assert resealed is not None and s.is_current(resealed)
    assert s.reseal(resealed) is None
    assert sealer(NEW).unseal(resealed) == SECRET


def test_plain_text_from_before_sealing_passes_through_and_is_resealed() -> None:
    s = sealer(NEW)
    plain = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    assert s.unseal(plain) == plain
    assert s.reseal(SECRET) is not None


def test_a_secret_sealed_with_an_unknown_key_is_refused_naming_the_key_and_the_keyring() -> None:
    sealed = sealer(OLD).seal(SECRET)
    with pytest.raises(SecretKeysUnusable, match=f"key {key_id(OLD)}.*secrets.key") as caught:
        sealer(NEW).unseal(sealed)
    assert caught.value.key_id == key_id(OLD)


def test_an_altered_sealed_secret_is_refused() -> None:
    sealed = sealer(NEW).seal(SECRET)
    altered = sealed[:-8] + ("A" * 8 if not sealed.endswith("A" * 8) else "B" * 8)
    with pytest.raises(SecretKeysUnusable, match="altered"):
        sealer(NEW).unseal(altered)


@pytest.mark.parametrize(
    "bad",
    ["", "short", "x" * 44, new_key().decode()[:-4]],
    ids=["empty", "short", "not-base64", "truncated"],
)
def test_a_malformed_key_is_refused_saying_what_a_key_is(bad: str) -> None:
    with pytest.raises(ValueError, match="32 random bytes in url-safe base64"):
        check_key(bad)


def test_an_empty_keyring_is_refused_naming_its_source() -> None:
    with pytest.raises(SecretKeysUnusable, match="SKYORDER_SECRETS_KEYS holds no key"):
        Keyring((), "SKYORDER_SECRETS_KEYS")
