"""The sandbox clock: move an organisation's business time forward on demand."""

from __future__ import annotations

from datetime import datetime

from skyorder.client.session import Session
from skyorder.schemas.tenants import ClockAdvance, ClockOut


class ClockClient:
    """``/v1/sandbox/clock`` (sandbox servers only)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def now(self) -> ClockOut:
        """The sandbox time and how far it runs ahead of the wall clock."""
        return await self._s.get("/v1/sandbox/clock", ClockOut)

    async def advance(
        self, seconds: float | None = None, to: datetime | None = None, timeout: float = 900.0
    ) -> ClockOut:
        """Move time forward by ``seconds`` or to ``to``; answers once the work due has run
        (which may take minutes: ``timeout`` is this call's own)."""
        body = ClockAdvance(seconds=seconds, to=to)
        return await self._s.post("/v1/sandbox/clock/advance", ClockOut, body, timeout=timeout)
