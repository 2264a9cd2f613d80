"""Open Cosmos DataCosmos (``/api/data/v0``): the STAC API where its documents put it.

The ordering endpoints (``/api/data/v0/order/...``) are not built yet and answer 404;
the STAC API is lent by the STAC front end at ``/api/data/v0/stac``.
"""

from __future__ import annotations

from skyorder.api.frontend import FrontEnd

STAC_MOUNT = "/api/data/v0/stac"

FRONT_END = FrontEnd(
    name="datacosmos",
    routers=(),
    owns=("/api/data/v0",),
    borrows={"stac": STAC_MOUNT},
)
