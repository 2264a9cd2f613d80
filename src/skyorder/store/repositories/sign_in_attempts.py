"""Failed console sign-ins and the pauses they started (migration 0025).

Keys name what is counted (see :mod:`skyorder.services.sign_in_attempts`); every process
of a server reads and writes the same rows, so the limits hold for the server as a whole
and a restart keeps every pause.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from skyorder.store.sign_in_tables import sign_in_failures as _failures
from skyorder.store.sign_in_tables import sign_in_pauses as _pauses


class SignInAttemptRepository:
    """Counts of failed sign-ins by key, and pauses by key."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def pauses(self, keys: Sequence[str], now: datetime) -> dict[str, datetime]:
        """The keys among ``keys`` paused at ``now``, with when each pause ends."""
        rows = self.conn.execute(
            select(_pauses.c.key, _pauses.c.until).where(
                _pauses.c.key.in_(list(keys)), _pauses.c.until > now
            )
        )
        return {str(r.key): r.until for r in rows}

    def fail(self, keys: Sequence[str], at: datetime, since: datetime) -> dict[str, int]:
        """Count a failure for each key at ``at``; return each key's failures after ``since``.

        Failures and pauses that have run out (at or before ``since``, resp. ``at``) are
        deleted on the way, so the tables hold only what still counts.
        """
        self.conn.execute(delete(_failures).where(_failures.c.at <= since))
        self.conn.execute(delete(_pauses).where(_pauses.c.until <= at))
        self.conn.execute(_failures.insert(), [{"key": key, "at": at} for key in keys])
        rows = self.conn.execute(
            select(_failures.c.key, func.count())
            .where(_failures.c.key.in_(list(keys)), _failures.c.at > since)
            .group_by(_failures.c.key)
        )
        return {str(key): int(n) for key, n in rows}

    def pause(self, key: str, until: datetime) -> None:
        """Pause ``key`` until ``until``; its failures so far are spent."""
        self.conn.execute(delete(_pauses).where(_pauses.c.key == key))
        self.conn.execute(_pauses.insert(), {"key": key, "until": until})
        self.forget([key])

    def forget(self, keys: Sequence[str]) -> None:
        """Drop the failures counted for ``keys``."""
        self.conn.execute(delete(_failures).where(_failures.c.key.in_(list(keys))))
