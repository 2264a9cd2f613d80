"""The synchronous facade: the asynchronous client run on its own event loop.

Each call runs the asynchronous method to completion; each list is a plain iterator
that fetches pages as it is read. Not for use inside a running event loop (use
:class:`~skyorder.client.core.AsyncClient` there).
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterator, Awaitable, Collection, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx

from skyorder.client.auth import Auth
from skyorder.client.catalog import CatalogItem
from skyorder.client.core import AsyncClient
from skyorder.client.downloads import Fetched, Progress
from skyorder.client.orders import FINAL
from skyorder.client.orders import Progress as OrderProgress
from skyorder.client.reports import Usage
from skyorder.client.session import RetryPolicy
from skyorder.schemas.billing import BalanceOut, QuoteCreate, QuoteOut
from skyorder.schemas.common import EventOut
from skyorder.schemas.fulfilment import CaptureOut, DeliverableOut
from skyorder.schemas.orders import OrderCreate, OrderOut
from skyorder.schemas.tasking import (
    FeasibilityIn,
    FeasibilityOut,
    OpportunityList,
    OpportunitySearchIn,
    SatelliteList,
)
from skyorder.schemas.tenants import ClockOut, ContractOut, OrganisationOut, ProductOut
from skyorder.schemas.webhooks import DeliveryOut, WebhookCreate, WebhookOut, WebhookWithSecret

T = TypeVar("T")


class _Loop:
    def __init__(self) -> None:
        self.runner = asyncio.Runner()

    def run(self, work: Awaitable[T]) -> T:
        async def call() -> T:
            return await work

        return self.runner.run(call())

    def iterate(self, items: AsyncIterator[T]) -> Iterator[T]:
        try:
            while True:
                try:
                    yield self.run(anext(items))
                except StopAsyncIteration:
                    return
        finally:
            aclose = getattr(items, "aclose", None)
            if aclose is not None:
                self.run(aclose())


class _Orders:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.orders

    def create(self, order: OrderCreate, idempotency_key: str | None = None) -> OrderOut:
        """Place an order (see ``OrdersClient.create``)."""
        return self._l.run(self._a.create(order, idempotency_key))

    def get(self, order: str | OrderOut) -> OrderOut:
        """One order, by its id or number."""
        return self._l.run(self._a.get(order))

    def list(self, **filters: Any) -> Iterator[OrderOut]:
        """Every order matching the filters, across all pages."""
        return self._l.iterate(self._a.list(**filters))

    def cancel(self, order: str | OrderOut) -> OrderOut:
        """Cancel an order."""
        return self._l.run(self._a.cancel(order))

    def events(self, order: str | OrderOut) -> Iterator[EventOut]:
        """Every event of an order, oldest first."""
        return self._l.iterate(self._a.events(order))

    def wait(
        self,
        order: str | OrderOut,
        until: Collection[str] = FINAL,
        timeout: float = 3600.0,
        *,
        progress: OrderProgress | None = None,
        interval: float = 1.0,
        max_interval: float = 30.0,
    ) -> OrderOut:
        """Poll until the order's status is one of ``until`` (see ``OrdersClient.wait``)."""
        return self._l.run(
            self._a.wait(
                order,
                until,
                timeout,
                progress=progress,
                interval=interval,
                max_interval=max_interval,
            )
        )

    def download(
        self,
        order: str | OrderOut,
        dest: str | Path,
        *,
        concurrency: int = 4,
        progress: Progress | None = None,
    ) -> builtins.list[Fetched]:
        """Every file of the order's delivered deliverables, resumable and sha256-checked."""
        return self._l.run(
            self._a.download(order, dest, concurrency=concurrency, progress=progress)
        )


class _Quotes:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.quotes

    def create(self, request: QuoteCreate) -> QuoteOut:
        """Price items."""
        return self._l.run(self._a.create(request))

    def get(self, quote_id: str) -> QuoteOut:
        """One quote."""
        return self._l.run(self._a.get(quote_id))


class _Catalog:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.catalog

    def search(self, **query: Any) -> Iterator[CatalogItem]:
        """Every archive scene matching the search (see ``CatalogClient.search``)."""
        return self._l.iterate(self._a.search(**query))


class _Captures:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.captures

    def list(self, **filters: Any) -> Iterator[CaptureOut]:
        """Every capture attempt matching the filters."""
        return self._l.iterate(self._a.list(**filters))

    def get(self, capture_id: str) -> CaptureOut:
        """One capture attempt."""
        return self._l.run(self._a.get(capture_id))


class _Deliverables:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.deliverables

    def list(self, **filters: Any) -> Iterator[DeliverableOut]:
        """Every deliverable matching the filters."""
        return self._l.iterate(self._a.list(**filters))

    def get(self, deliverable_id: str) -> DeliverableOut:
        """One deliverable."""
        return self._l.run(self._a.get(deliverable_id))

    def download(
        self,
        deliverables: Iterable[DeliverableOut],
        dest: str | Path,
        *,
        concurrency: int = 4,
        progress: Progress | None = None,
    ) -> builtins.list[Fetched]:
        """Every file of the deliverables, resumable and sha256-checked."""
        return self._l.run(
            self._a.download(deliverables, dest, concurrency=concurrency, progress=progress)
        )


class _Reports:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.reports

    def usage(self, start: date | str, end: date | str, **filters: str | None) -> Usage:
        """The usage report of a period (see ``ReportsClient.usage``)."""
        return self._l.run(self._a.usage(start, end, **filters))


class _Account:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.account

    def products(self) -> builtins.list[ProductOut]:
        """The products on offer."""
        return self._l.run(self._a.products())

    def contracts(self) -> builtins.list[ContractOut]:
        """Your organisation's contracts."""
        return self._l.run(self._a.contracts())

    def balance(self, contract_id: str) -> BalanceOut:
        """A contract's balances."""
        return self._l.run(self._a.balance(contract_id))


class _Clock:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.clock

    def now(self) -> ClockOut:
        """The sandbox time."""
        return self._l.run(self._a.now())

    def advance(self, seconds: float | None = None, to: datetime | None = None) -> ClockOut:
        """Move sandbox time forward."""
        return self._l.run(self._a.advance(seconds, to))


class _Tasking:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.tasking

    def opportunities(self, search: OpportunitySearchIn) -> OpportunityList:
        """Every access window over an AOI (see ``TaskingClient.opportunities``)."""
        return self._l.run(self._a.opportunities(search))

    def feasibility(self, item: FeasibilityIn) -> FeasibilityOut:
        """The feasibility verdict on a tasking item; nothing is ordered."""
        return self._l.run(self._a.feasibility(item))

    def recheck(self, order: str, item_id: str) -> FeasibilityOut:
        """Judge an ordered tasking item again and stamp the verdict on it."""
        return self._l.run(self._a.recheck(order, item_id))

    def satellites(self) -> SatelliteList:
        """The constellation's satellites."""
        return self._l.run(self._a.satellites())


class _Webhooks:
    def __init__(self, loop: _Loop, client: AsyncClient) -> None:
        self._l, self._a = loop, client.webhooks

    def create(self, webhook: WebhookCreate) -> WebhookWithSecret:
        """Subscribe a URL; the answer holds the signing secret, shown only once."""
        return self._l.run(self._a.create(webhook))

    def list(self) -> Iterator[WebhookOut]:
        """Every subscription, across all pages."""
        return self._l.iterate(self._a.list())

    def get(self, webhook_id: str) -> WebhookOut:
        """One subscription."""
        return self._l.run(self._a.get(webhook_id))

    def delete(self, webhook_id: str) -> None:
        """Unsubscribe."""
        self._l.run(self._a.delete(webhook_id))

    def test(self, webhook_id: str) -> DeliveryOut:
        """Send a ``WebhookTest`` event to this subscription only."""
        return self._l.run(self._a.test(webhook_id))

    def deliveries(self, webhook_id: str, **filters: Any) -> Iterator[DeliveryOut]:
        """A subscription's delivery log, newest first, with each delivery's attempts."""
        return self._l.iterate(self._a.deliveries(webhook_id, **filters))


class Client:
    """skyorder's native API, synchronously: the same resources as :class:`AsyncClient`."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        auth: Auth | None = None,
        contract_id: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._loop = _Loop()
        self.aio = AsyncClient(
            base_url,
            api_key=api_key,
            client_id=client_id,
            client_secret=client_secret,
            auth=auth,
            contract_id=contract_id,
            retry=retry,
            timeout=timeout,
            transport=transport,
        )
        self.account = _Account(self._loop, self.aio)
        self.orders = _Orders(self._loop, self.aio)
        self.quotes = _Quotes(self._loop, self.aio)
        self.catalog = _Catalog(self._loop, self.aio)
        self.captures = _Captures(self._loop, self.aio)
        self.deliverables = _Deliverables(self._loop, self.aio)
        self.reports = _Reports(self._loop, self.aio)
        self.clock = _Clock(self._loop, self.aio)
        self.tasking = _Tasking(self._loop, self.aio)
        self.webhooks = _Webhooks(self._loop, self.aio)

    def organisation(self) -> OrganisationOut:
        """The organisation the credentials act for."""
        return self._loop.run(self.aio.organisation())

    def close(self) -> None:
        """Close the connections and the event loop."""
        self._loop.run(self.aio.aclose())
        self._loop.runner.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
