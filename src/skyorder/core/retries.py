"""Retry policies: how long to wait after each failed attempt, and when to give up.

Three kinds of work retry on their own schedule, all with this one type: webhook
deliveries (Standard Webhooks' schedule, jittered per delivery), push deliveries to
a customer's bucket (about 22 hours), and agenda steps whose handler raised
(processing, captures and every other step; doubling from 30 seconds). A policy is
plain data: the caller counts attempts and schedules the next one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Wait ``delays[n - 1]`` after the n-th failed attempt; give up after the last one.

    ``jitter`` moves each delay by up to ± that fraction, derived from a key (e.g. a
    delivery id) and the attempt, so retries of many pieces of work spread apart yet
    one piece's schedule is the same every time (stable tests).
    """

    delays: tuple[timedelta, ...]
    jitter: float = 0.0

    @classmethod
    def doubling(cls, first: timedelta, attempts: int) -> RetryPolicy:
        """``attempts`` attempts, the delay doubling from ``first``."""
        return cls(tuple(first * 2**n for n in range(attempts - 1)))

    @property
    def attempts(self) -> int:
        """How many attempts are made in all (the first one and every retry)."""
        return len(self.delays) + 1

    @property
    def span(self) -> timedelta:
        """The time from the first attempt to the last (without jitter)."""
        return sum(self.delays, timedelta())

    def gives_up(self, attempts_made: int) -> bool:
        """Whether no attempt follows once ``attempts_made`` attempts have failed."""
        return attempts_made >= self.attempts

    def next_delay(self, attempts_made: int, key: str = "") -> timedelta | None:
        """How long to wait after the ``attempts_made``-th failure; None once they run out."""
        if self.gives_up(attempts_made):
            return None
        base = self.delays[attempts_made - 1]
        if not self.jitter:
            return base
        digest = hashlib.sha256(f"{key}:{attempts_made}".encode()).digest()
        unit = int.from_bytes(digest[:8], "big") / 2**64  # [0, 1)
        factor = 1 + self.jitter * (2 * unit - 1)
        return timedelta(seconds=round(base.total_seconds() * factor, 3))
