"""The asynchronous client: one attribute per resource of the native API."""

from __future__ import annotations

from types import TracebackType

import httpx

from skyorder.client.account import AccountClient
from skyorder.client.auth import ApiKey, Auth, ClientCredentials
from skyorder.client.billing import QuotesClient
from skyorder.client.catalog import CatalogClient
from skyorder.client.fulfilment import CapturesClient, DeliverablesClient
from skyorder.client.orders import OrdersClient
from skyorder.client.reports import ReportsClient
from skyorder.client.sandbox import ClockClient
from skyorder.client.session import RetryPolicy, Session
from skyorder.client.tasking import TaskingClient
from skyorder.client.webhooks import WebhooksClient
from skyorder.schemas.tenants import OrganisationOut


def make_auth(
    api_key: str | None, client_id: str | None, client_secret: str | None, auth: Auth | None
) -> Auth:
    """The credentials given: an :class:`Auth`, an API key, or a client id and secret."""
    if auth is not None:
        return auth
    if api_key:
        return ApiKey(api_key)
    if client_id and client_secret:
        return ClientCredentials(client_id, client_secret)
    raise ValueError("give api_key, or client_id and client_secret, or auth")


class AsyncClient:
    """skyorder's native API, asynchronously (``async with AsyncClient(...) as client``)."""

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
        self.session = Session(
            base_url,
            make_auth(api_key, client_id, client_secret, auth),
            retry=retry,
            timeout=timeout,
            contract_id=contract_id,
            transport=transport,
        )
        self.account = AccountClient(self.session)
        self.deliverables = DeliverablesClient(self.session)
        self.orders = OrdersClient(self.session, self.deliverables)
        self.quotes = QuotesClient(self.session)
        self.catalog = CatalogClient(self.session)
        self.captures = CapturesClient(self.session)
        self.reports = ReportsClient(self.session)
        self.clock = ClockClient(self.session)
        self.tasking = TaskingClient(self.session)
        self.webhooks = WebhooksClient(self.session)

    async def organisation(self) -> OrganisationOut:
        """The organisation the credentials act for (a cheap check that they work)."""
        return await self.session.get("/v1/organisation", OrganisationOut)

    async def aclose(self) -> None:
        """Close the connections."""
        await self.session.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
