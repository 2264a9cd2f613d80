"""Orders: place, list, read, cancel, follow until done."""

from __future__ import annotations

import builtins
import time
import uuid
from collections.abc import AsyncIterator, Callable, Collection
from datetime import datetime
from pathlib import Path
from typing import Any

from skyorder.client import downloads
from skyorder.client.errors import OrderEnded, WaitTimeout
from skyorder.client.fulfilment import DeliverablesClient
from skyorder.client.session import Session
from skyorder.schemas.common import EventOut
from skyorder.schemas.orders import OrderCreate, OrderOut

FINAL = frozenset({"completed", "partially_completed", "failed", "cancelled", "rejected"})
"""Statuses an order never leaves."""

Progress = Callable[[OrderOut], None]
"""Called with the order each time its status or latest event changes."""


def _ref(order: str | OrderOut) -> str:
    return order.id if isinstance(order, OrderOut) else order


class OrdersClient:
    """``/v1/orders``."""

    def __init__(self, session: Session, deliverables: DeliverablesClient) -> None:
        self._s = session
        self._deliverables = deliverables

    async def create(self, order: OrderCreate, idempotency_key: str | None = None) -> OrderOut:
        """Place an order. Sent with an ``Idempotency-Key`` (one is made if none is given), so a
        retry after a lost answer returns the order the first attempt placed, never a second."""
        key = idempotency_key or str(uuid.uuid4())
        return await self._s.post("/v1/orders", OrderOut, order, {"Idempotency-Key": key})

    async def get(self, order: str | OrderOut) -> OrderOut:
        """One order, by its id or its order number."""
        return await self._s.get(f"/v1/orders/{_ref(order)}", OrderOut)

    async def list(
        self,
        *,
        status: Collection[str] | None = None,
        created_after: datetime | None = None,
        limit: int | None = None,
        **filters: Any,
    ) -> AsyncIterator[OrderOut]:
        """Every order matching the filters, newest first, across all pages (``limit``: page
        size). Other filters as the API names them (``kind``, ``product``, ``name__contains``)."""
        params = {"status": status, "created_at__gt": created_after, "limit": limit, **filters}
        async for order in self._s.pages("/v1/orders", OrderOut, params):
            yield order

    async def cancel(self, order: str | OrderOut) -> OrderOut:
        """Cancel an order (:class:`~skyorder.client.errors.Conflict` if it is already final)."""
        answer = await self._s.send("POST", f"/v1/orders/{_ref(order)}/cancel")
        return OrderOut.model_validate_json(answer.content)

    async def events(self, order: str | OrderOut) -> AsyncIterator[EventOut]:
        """Every event of an order, its items, captures and deliverables, oldest first."""
        async for event in self._s.pages(f"/v1/orders/{_ref(order)}/events", EventOut):
            yield event

    async def wait(
        self,
        order: str | OrderOut,
        until: Collection[str] = FINAL,
        timeout: float = 3600.0,
        *,
        progress: Progress | None = None,
        interval: float = 1.0,
        max_interval: float = 30.0,
    ) -> OrderOut:
        """Poll an order until its status is one of ``until``; answer it then.

        Polls back off from ``interval`` to ``max_interval`` (with jitter) while nothing
        changes and start again quickly after a change.

        Raises:
            WaitTimeout: ``timeout`` seconds passed first.
            OrderEnded: the order reached another final status.
        """
        wanted = frozenset(until)
        deadline = time.monotonic() + timeout
        delay, seen = interval, None
        while True:
            current = await self.get(order)
            mark = (current.status, current.latest_event.id if current.latest_event else None)
            if mark != seen:
                seen, delay = mark, interval
                if progress is not None:
                    progress(current)
            if current.status in wanted:
                return current
            if current.status in FINAL:
                raise OrderEnded(
                    f"order {current.order_number} ended {current.status}, "
                    f"not {' or '.join(sorted(wanted))}",
                    current.status,
                )
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeout(
                    f"order {current.order_number} is still {current.status} after {timeout:g}s",
                    current.status,
                )
            await self._s.retry.sleep(min(left, delay * (0.5 + self._s.retry.jitter())))
            delay = min(max_interval, delay * 1.5)

    async def download(
        self,
        order: str | OrderOut,
        dest: str | Path,
        *,
        concurrency: int = 4,
        progress: downloads.Progress | None = None,
    ) -> builtins.list[downloads.Fetched]:
        """Every file of the order's delivered deliverables (as ``DeliverablesClient.download``)."""
        found = self._deliverables.list(order=_ref(order), status=["delivered"])
        delivered = [d async for d in found]
        return await self._deliverables.download(
            delivered, dest, concurrency=concurrency, progress=progress
        )
