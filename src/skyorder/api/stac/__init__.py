"""The STAC API front end, mounted at ``/stac`` and where DataCosmos documents it."""

from __future__ import annotations

from fastapi import FastAPI

from skyorder.api.stac.routes import router

STAC_PREFIX = "/stac"
DATACOSMOS_PREFIX = "/api/data/v0/stac"


def install(app: FastAPI) -> None:
    """Mount the STAC API at ``/stac`` and (undocumented twice) at ``/api/data/v0/stac``."""
    app.include_router(router, prefix=STAC_PREFIX)
    app.include_router(router, prefix=DATACOSMOS_PREFIX, include_in_schema=False)
