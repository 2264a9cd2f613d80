from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skyorder.api.errors import domain_problem
from skyorder.core.errors import TooManyAttempts
from skyorder.services import sign_in_attempts
from skyorder.services.sign_in_attempts import AttemptLimits, SignInAttempts

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def test_a_pause_answers_as_problem_json_429_with_retry_after() -> None:
    answer = domain_problem(TooManyAttempts("try again in a minute", retry_after=42))
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "42"


def test_the_message_says_when_to_retry_on_the_clock() -> None:
    attempts = SignInAttempts(AttemptLimits(per_email=2, cooling=timedelta(minutes=15)))
    attempts.failed("a@example.com", "10.0.0.1", T0)
    attempts.failed("A@example.com ", "10.0.0.2", T0)
    with pytest.raises(TooManyAttempts) as refused:
        attempts.check("a@example.com", "10.0.0.3", T0 + timedelta(minutes=1))
    assert refused.value.detail.endswith("try again in 14 minutes (at 09:15 UTC)")
    assert refused.value.retry_after == 14 * 60


def test_idle_keys_are_forgotten_once_many_are_tracked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sign_in_attempts, "SWEEP_AT", 3)
    attempts = SignInAttempts(AttemptLimits(window=timedelta(minutes=1)))
    for n in range(3):
        attempts.failed(f"u{n}@example.com", "10.0.0.1", T0)
    later = T0 + timedelta(minutes=2)
    attempts.failed("last@example.com", "10.0.0.2", later)
    assert len(attempts._keys) == 2  # only the last failure's email and address remain
