"""Open Cosmos DataCosmos (``/api/data/v0``): catalogue ordering where its documents put it.

``/api/data/v0/order`` prices catalogue scenes, places IMAGE orders with their
licences, answers where to pay (``checkout``) and how an order stands, every answer
wrapped in ``{"data": ...}`` (``routes.py``, wire format and statuses in ``wire.py``).
The STAC API is lent by the STAC front end at ``/api/data/v0/stac``. Errors are
problem+json naming DataCosmos's fields (``data.order_line_items[0].level``,
``contract_id``, ``licenses``).
"""

from __future__ import annotations

from skyorder.api.compat.datacosmos.routes import CALLERS, router
from skyorder.api.compat.datacosmos.wire import field_name
from skyorder.api.errors import Words
from skyorder.api.frontend import FrontEnd
from skyorder.core.errors import Hint

STAC_MOUNT = "/api/data/v0/stac"

FRONT_END = FrontEnd(
    name="datacosmos",
    routers=(router,),
    prefixes=("/api/data/v0",),
    owns=("/api/data/v0",),
    callers=CALLERS,
    words=Words(
        hints={
            Hint.LIST_CONTRACTS: "your contracts and their numbers are at GET /v1/contracts",
            Hint.LIST_PRODUCTS: "GET /v1/products lists the products and their licences",
        },
        field_name=field_name,
    ),
    tag="DataCosmos",
    description="Open Cosmos DataCosmos ordering: price, order with licences, checkout.",
    borrows={"stac": STAC_MOUNT},
)
