"""Password-guessing protection for the console's sign-in: failed attempts, then a pause.

Three counts, each within ``window``, each starting a pause of ``cooling`` at its limit
(refused even with the right password):

* an email from one address (``per_email``): a guesser pauses only themselves for that
  email, so nobody can lock a person out of their account from an address of their own;
* one address (``per_client``), whatever the emails: one guesser cannot try a password
  against many emails;
* an email from any address (``per_email_total``, well above ``per_email``): many
  addresses guessing one account are stopped too; locking a person out this way takes
  failures from at least ``per_email_total / per_email`` addresses.

A successful sign-in clears the email's counts (from that address and in total) but not
the address's: an attacker signing in to an account of their own between guesses gains
nothing. Time is the wall clock (a sandbox advance ends no pause). Counts and pauses are
rows in the database, shared by every process of the server and kept across restarts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from skyorder.core.errors import TooManyAttempts
from skyorder.store.uow import UnitOfWork


@dataclass(frozen=True)
class AttemptLimits:
    """How many failures are allowed, within which window, and how long the pause lasts."""

    per_email: int = 5
    per_client: int = 20
    window: timedelta = timedelta(minutes=15)
    cooling: timedelta = timedelta(minutes=15)
    per_email_total: int = 50


@dataclass(frozen=True)
class _Keys:
    pair: str
    client: str
    email: str

    def described(self) -> tuple[tuple[str, str], ...]:
        """Each key with what a refusal calls it."""
        return (
            (self.pair, "this email from your address"),
            (self.client, "your address"),
            (self.email, "this email"),
        )


def _keys(email: str, client: str) -> _Keys:
    normal = email.strip().lower()
    return _Keys(f"pair:{normal}|{client}", f"client:{client}", f"email:{normal}")


def _wait(until: datetime, now: datetime) -> str:
    minutes = math.ceil((until - now).total_seconds() / 60)
    span = "a minute" if minutes <= 1 else f"{minutes} minutes"
    return f"in {span} (at {until:%H:%M} UTC)"


class SignInAttempts:
    """Counts of failed sign-ins by email and address, read and written in a unit of work."""

    def __init__(self, limits: AttemptLimits | None = None) -> None:
        self.limits = limits or AttemptLimits()

    def check(self, uow: UnitOfWork, email: str, client: str, now: datetime) -> None:
        """Refuse (TooManyAttempts) an attempt that any of its counts has paused."""
        keys = _keys(email, client)
        paused = uow.sign_in_attempts.pauses([k for k, _ in keys.described()], now)
        for key, what in keys.described():
            until = paused.get(key)
            if until is not None:
                seconds = math.ceil((until - now).total_seconds())
                raise TooManyAttempts(
                    f"too many failed sign-ins for {what}: try again {_wait(until, now)}",
                    retry_after=max(seconds, 1),
                )

    def failed(self, uow: UnitOfWork, email: str, client: str, now: datetime) -> None:
        """Count a failed sign-in; a count reaching its limit within the window pauses it."""
        keys = _keys(email, client)
        limits = {
            keys.pair: self.limits.per_email,
            keys.client: self.limits.per_client,
            keys.email: self.limits.per_email_total,
        }
        counts = uow.sign_in_attempts.fail(list(limits), now, now - self.limits.window)
        for key, limit in limits.items():
            if counts.get(key, 0) >= limit:
                uow.sign_in_attempts.pause(key, now + self.limits.cooling)

    def succeeded(self, uow: UnitOfWork, email: str, client: str) -> None:
        """Forget the email's failures, from this address and in total (not the address's)."""
        keys = _keys(email, client)
        uow.sign_in_attempts.forget([keys.pair, keys.email])
