"""Retry policies: one type, and the three schedules the platform keeps."""

from __future__ import annotations

from datetime import timedelta

from skyorder.core.retries import RetryPolicy
from skyorder.core.webhooks import WEBHOOK_RETRIES
from skyorder.delivery.push import PUSH_RETRIES
from skyorder.services.agenda import STEP_RETRIES

S, MIN, H = timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1)


def test_a_policy_waits_the_delay_of_the_attempt_that_failed() -> None:
    policy = RetryPolicy((MIN, 5 * MIN))
    assert [policy.next_delay(n) for n in (1, 2)] == [MIN, 5 * MIN]


def test_a_policy_gives_up_after_its_last_attempt() -> None:
    policy = RetryPolicy((MIN, 5 * MIN))
    assert policy.attempts == 3
    assert (policy.gives_up(2), policy.gives_up(3)) == (False, True)
    assert policy.next_delay(3) is None


def test_a_doubling_policy_doubles_from_its_first_delay() -> None:
    assert RetryPolicy.doubling(10 * S, attempts=4).delays == (10 * S, 20 * S, 40 * S)


def test_jitter_moves_a_delay_by_at_most_its_fraction_the_same_way_each_time() -> None:
    policy = RetryPolicy((H,), jitter=0.1)
    delays = {policy.next_delay(1, f"key-{i}") for i in range(20)}
    assert len(delays) > 1
    assert all(d is not None and 0.9 * H <= d <= 1.1 * H for d in delays)
    assert policy.next_delay(1, "key-1") == policy.next_delay(1, "key-1")


def test_webhooks_retry_after_5s_5min_30min_2h_5h_10h_10h() -> None:
    assert WEBHOOK_RETRIES.delays == (5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 10 * H)
    assert WEBHOOK_RETRIES.jitter == 0.1


def test_pushes_retry_over_about_22_hours_in_8_attempts() -> None:
    assert PUSH_RETRIES.delays == (MIN, 5 * MIN, 15 * MIN, H, 3 * H, 6 * H, 12 * H)
    assert PUSH_RETRIES.attempts == 8
    assert PUSH_RETRIES.jitter == 0


def test_a_failing_step_retries_after_30s_doubling_in_8_attempts() -> None:
    assert STEP_RETRIES.delays == tuple(30 * S * 2**n for n in range(7))
    assert STEP_RETRIES.jitter == 0
