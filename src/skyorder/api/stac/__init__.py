"""The STAC API front end, served at ``/stac`` (and lent to DataCosmos at its own path)."""

from __future__ import annotations

from skyorder.api.frontend import FrontEnd
from skyorder.api.stac.responses import stac_error
from skyorder.api.stac.routes import router

STAC_PREFIX = "/stac"

FRONT_END = FrontEnd(
    name="stac",
    routers=(router,),
    prefixes=(STAC_PREFIX,),
    owns=(STAC_PREFIX,),
    render_error=stac_error,
)
