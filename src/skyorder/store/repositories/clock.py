"""The sandbox clocks' offsets (the server's, each organisation's), kept across restarts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
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

    def organisation_offsets(self) -> dict[str, timedelta]:
        """How far each organisation's time runs ahead of the server's (those with a clock)."""
        rows = self.conn.execute(select(t.organisation_clocks))
        return {str(r.organisation_id): timedelta(seconds=float(r.offset_seconds)) for r in rows}

    def save_organisation_offset(self, organisation_id: str, offset: timedelta) -> None:
        """Store an organisation's offset."""
        c = t.organisation_clocks.c
        values = {"offset_seconds": offset.total_seconds()}
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

    def reset_organisation(self, organisation_id: str) -> None:
        """Put an organisation back on the server's time."""
        c = t.organisation_clocks.c
        self.conn.execute(delete(t.organisation_clocks).where(c.organisation_id == organisation_id))
