"""The native API under /v1, with the token endpoint and signed downloads."""

from __future__ import annotations

from skyorder.api import files, oauth
from skyorder.api.errors import Words
from skyorder.api.frontend import FrontEnd
from skyorder.api.native import (
    account,
    billing,
    cloud_delivery,
    drafts,
    fulfilment,
    orders,
    reports,
    sandbox,
    streams,
    subscriptions,
    tasking,
    tasks,
    users,
    webhooks,
)
from skyorder.core.errors import Hint

WORDS = Words(
    hints={
        Hint.LIST_PRODUCTS: "GET /v1/products lists them",
        Hint.LIST_SATELLITES: "GET /v1/satellites lists them",
        Hint.LIST_CONTRACTS: "GET /v1/contracts lists yours",
        Hint.LIST_PROJECTS: "GET /v1/projects",
        Hint.MAKE_QUOTE: "POST /v1/quotes makes one",
        Hint.LIST_CLOUD_DELIVERY_CONFIGS: "GET /v1/cloud-delivery-configs lists yours",
        Hint.FRESH_DOWNLOAD_LINK: "ask for a fresh one at GET /v1/deliverables/{id}/assets/{key}",
    }
)
"""The native API names fields by their paths in the core command, and points at /v1."""

FRONT_END = FrontEnd(
    name="native",
    routers=(
        oauth.router,
        account.router,
        orders.router,
        streams.router,
        fulfilment.router,
        billing.router,
        cloud_delivery.router,
        drafts.router,
        reports.router,
        tasking.router,
        tasks.router,
        webhooks.router,
        users.router,
        subscriptions.router,
        files.router,
    ),
    owns=("/v1", "/oauth", "/files"),
    words=WORDS,
)

SANDBOX = FrontEnd(
    name="sandbox",
    routers=(sandbox.router,),
    owns=("/v1/sandbox",),
    words=WORDS,
    sandbox_only=True,
)
"""The sandbox clock, served only by sandbox servers."""
