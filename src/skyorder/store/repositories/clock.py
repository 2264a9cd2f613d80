"""The sandbox clock's offset, kept in the database so it survives restarts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import Connection

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
