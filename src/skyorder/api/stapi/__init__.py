"""STAPI, the SpatioTemporal Asset Tasking API, over the native tasking engine."""

from __future__ import annotations

from skyorder.api.errors import Words
from skyorder.api.frontend import FrontEnd
from skyorder.api.stapi.routes import router
from skyorder.core.errors import Hint

FRONT_END = FrontEnd(
    name="stapi",
    routers=(router,),
    owns=("/stapi",),
    words=Words(
        hints={
            Hint.LIST_PRODUCTS: "GET /stapi/products lists them",
            Hint.LIST_CONTRACTS: "GET /v1/contracts lists yours",
            Hint.LIST_SATELLITES: "GET /v1/satellites lists them",
        }
    ),
)
