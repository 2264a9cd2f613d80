from __future__ import annotations

from skyorder.api.errors import domain_problem
from skyorder.core.errors import TooManyAttempts


def test_a_pause_answers_as_problem_json_429_with_retry_after() -> None:
    answer = domain_problem(TooManyAttempts("try again in a minute", retry_after=42))
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "42"
