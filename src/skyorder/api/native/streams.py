"""Live events: an order's events as Server-Sent Events, so a page follows it without polling.

The stream sends every event of the order from the position the client names (the
standard ``Last-Event-ID`` header, which browsers send when they reconnect; 0 without
it), then each new event as it is recorded. The server looks for new events once a
second; the browser only listens. A stream ends after a few minutes and the browser's
``EventSource`` reconnects by itself from where it was, so no connection is held forever.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.core.events import Event
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.tenants import Principal
from skyorder.facade import Facade
from skyorder.schemas.common import EventOut

router = APIRouter(prefix="/v1/orders", tags=["orders"])

BATCH = 100
LOOK_EVERY_SECONDS = 1.0
KEEP_ALIVE_SECONDS = 15.0
STREAM_SECONDS = 300.0
RECONNECT_MS = 1000


def _position(last_event_id: str | None) -> int:
    """Where to resume: the Last-Event-ID the browser sent (a count of events seen), or 0."""
    try:
        return max(0, int(last_event_id or 0))
    except ValueError:
        return 0


def _message(position: int, event: Event) -> str:
    data = EventOut.from_event(event).model_dump_json()
    return f"id: {position}\nevent: order-event\ndata: {data}\n\n"


async def _events(
    facade: Facade, principal: Principal, ref: str, offset: int
) -> PageResult[Event]:
    query = ListQuery(limit=BATCH, offset=offset)
    return await run_in_threadpool(facade.orders.events, principal, query, ref)


@router.get(
    "/{order_ref}/events/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "an event stream"}},
)
async def stream_order_events(
    order_ref: str,
    request: Request,
    facade: FacadeDep,
    principal: PrincipalDep,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> StreamingResponse:
    """Follow an order's events live, as Server-Sent Events (``text/event-stream``).

    Each message is ``event: order-event`` with an event of ``GET /v1/orders/{ref}/events``
    as its data and its position in that list as its ``id``. Send ``Last-Event-ID`` to
    resume after a position; browsers' ``EventSource`` does it on reconnecting.
    """
    position = _position(last_event_id)
    first = await _events(facade, principal, order_ref, position)  # 404 before streaming

    async def stream() -> AsyncIterator[str]:
        nonlocal position
        batch, started, quiet = first, time.monotonic(), time.monotonic()
        yield f"retry: {RECONNECT_MS}\n\n"
        while True:
            for event in batch.items:
                position += 1
                quiet = time.monotonic()
                yield _message(position, event)
            if len(batch.items) < BATCH:
                if time.monotonic() - started > STREAM_SECONDS or await request.is_disconnected():
                    return
                if time.monotonic() - quiet > KEEP_ALIVE_SECONDS:
                    quiet = time.monotonic()
                    yield ": keep-alive\n\n"
                await asyncio.sleep(LOOK_EVERY_SECONDS)
            batch = await _events(facade, principal, order_ref, position)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )

