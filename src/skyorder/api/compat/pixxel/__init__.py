"""Pixxel (``/v0``): order items with their tasks; callers send ``Authorization: <api-key>``."""

from __future__ import annotations

from skyorder.api.compat.pixxel.errors import pixxel_problem
from skyorder.api.compat.pixxel.routes import CALLERS, router
from skyorder.api.frontend import FrontEnd

FRONT_END = FrontEnd(
    name="pixxel",
    routers=(router,),
    owns=("/v0",),
    callers=CALLERS,
    render_error=pixxel_problem,
    tag="pixxel",
    description="Pixxel-compatible order items (`/v0/order-items`); `Authorization: <api-key>`.",
)
