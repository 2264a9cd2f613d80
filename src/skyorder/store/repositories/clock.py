"""The sandbox clocks' offsets (the server's, each organisation's), kept across restarts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from skyorder.core.clock import SharedTime
from skyorder.store import tables as t


class ClockRepository:
    """One row: how far sandbox time runs ahead of the wall clock."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def load_offset(self) -> timedelta:
        """The stored offset (zero when never advanced)."""
        value = self.conn.execute(
            select(t.clock_state.c.offset_seconds).where(t.clock_state.c.id == 1)
        ).scalar()
        return timedelta(seconds=float(value or 0.0))

    def save_offset(self, offset: timedelta) -> None:
        """Store the offset."""
        seconds = offset.total_seconds()
        if self.conn.execute(select(t.clock_state.c.id).where(t.clock_state.c.id == 1)).first():
            self.conn.execute(
                t.clock_state.update().where(t.clock_state.c.id == 1), {"offset_seconds": seconds}
            )
        else:
            self.conn.execute(t.clock_state.insert(), {"id": 1, "offset_seconds": seconds})

    def organisation_offsets(self) -> dict[str, timedelta]:
        """How far each organisation's time runs ahead of the server's (those with a clock)."""
        rows = self.conn.execute(select(t.organisation_clocks))
        return {str(r.organisation_id): timedelta(seconds=float(r.offset_seconds)) for r in rows}

    def save_organisation_offset(self, organisation_id: str, offset: timedelta) -> None:
        """Store an organisation's offset."""
        self._put_organisation(organisation_id, {"offset_seconds": offset.total_seconds()})

    def _put_organisation(self, organisation_id: str, values: dict[str, Any]) -> None:
        c = t.organisation_clocks.c
        if self.conn.execute(
            select(c.organisation_id).where(c.organisation_id == organisation_id)
        ).first():
            self.conn.execute(
                t.organisation_clocks.update().where(c.organisation_id == organisation_id), values
            )
        else:
            self.conn.execute(
                t.organisation_clocks.insert(), {"organisation_id": organisation_id, **values}
            )

    def reset_organisation(self, organisation_id: str) -> int:
        """Put an organisation back on the server's time; return how many resets it has had.

        The row stays (offset 0), counting the reset, so that other processes tell a
        reset from an advance they have not seen saved (migration 0024).
        """
        c = t.organisation_clocks.c
        resets = self.conn.execute(
            select(c.resets).where(c.organisation_id == organisation_id)
        ).scalar()
        count = int(resets or 0) + 1
        self._put_organisation(organisation_id, {"offset_seconds": 0.0, "resets": count})
        return count

    def shared_time(self, organisation_id: str) -> SharedTime:
        """The server's offset and the organisation's, as the last process to move them saved
        them (one statement)."""
        row = self.conn.execute(_SHARED_TIME, {"organisation_id": organisation_id}).one()
        return SharedTime(
            timedelta(seconds=float(row[0] or 0.0)),
            timedelta(seconds=float(row[1] or 0.0)),
            int(row[2] or 0),
        )


_own = t.organisation_clocks.c
_SHARED_TIME = select(
    select(t.clock_state.c.offset_seconds).where(t.clock_state.c.id == 1).scalar_subquery(),
    *(
        select(column).where(_own.organisation_id == bindparam("organisation_id")).scalar_subquery()
        for column in (_own.offset_seconds, _own.resets)
    ),
)
"""Built once: read before every use of sandbox time where processes share it."""
