"""Airbus OneAtlas Data ordering (``/api/v1``): callers send ``Authorization: Bearer <token>``.

Prices and orders of catalogue scenes clipped to an AOI, the listing with the guide's
statuses and paging, each order's deliveries and payments, contracts, subscriptions and
downloads (``routes``); the guide's bodies (``wire``) and answers (``render``). Errors are
problem+json, with the guide's field names (``products[0].crsCode``). The native API is
at ``/v1``: a distinct prefix, so each keeps its own errors.
"""

from __future__ import annotations

from skyorder.api.compat.oneatlas.routes import MOUNT, TAG, router
from skyorder.api.compat.oneatlas.wire import field_name
from skyorder.api.errors import Words
from skyorder.api.frontend import FrontEnd
from skyorder.core.errors import Hint

FRONT_END = FrontEnd(
    name="oneatlas",
    routers=(router,),
    prefixes=(MOUNT,),
    owns=(MOUNT,),
    words=Words(
        hints={
            Hint.LIST_PRODUCTS: "search the catalogue (GET /stac/search) for a scene's UUID",
            Hint.LIST_CONTRACTS: "GET /api/v1/contracts/{id} shows yours",
        },
        field_name=field_name,
    ),
    tag=TAG,
    description="Airbus OneAtlas Data ordering: prices, orders and their deliveries.",
)
