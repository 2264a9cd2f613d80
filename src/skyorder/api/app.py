"""The application factory: one server for every front end."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from skyorder import __version__
from skyorder.api import console, native, stac, stapi
from skyorder.api.compat import aleph, datacosmos, oneatlas, pixxel
from skyorder.api.errors import install_error_handlers
from skyorder.api.fairness import FairShare
from skyorder.api.frontend import FrontEnd, Registry
from skyorder.api.limits import RequestGuard
from skyorder.runtime import Runtime, build_runtime
from skyorder.services.agenda import AgendaLoop
from skyorder.settings import Settings

FRONT_ENDS: tuple[FrontEnd, ...] = (
    native.FRONT_END,
    stac.FRONT_END,
    stapi.FRONT_END,
    console.FRONT_END,
    native.SANDBOX,
    aleph.FRONT_END,
    datacosmos.FRONT_END,
    oneatlas.FRONT_END,
    pixxel.FRONT_END,
)
"""Every front end the server serves; the first answers paths no other owns."""

DESCRIPTION = """
skyorder's native ordering API. Authenticate with `POST /oauth/token`
(client credentials) and send `Authorization: Bearer <token>`, or send your
API key as `Authorization: <key>` or `X-API-Key: <key>`. Choose a contract
with `X-Contract-Id` when your organisation has several. Errors are RFC 9457
problem+json.
"""


GC_THRESHOLDS = (10_000, 10, 10)
"""Young-generation collections every 10,000 allocations (Python's default is 700)."""


def settle_heap() -> None:
    """Keep the garbage collector's full passes short while serving.

    The app's start-up leaves ~200,000 long-lived objects (modules, routes, schemas, SQL
    metadata); every full collection walked them all, pausing a request for 60-100 ms.
    They are collected once here and frozen out of later passes; young collections run
    less often, as each request allocates thousands of short-lived objects.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def create_app(
    settings: Settings, runtime: Runtime | None = None, *, run_agenda: bool = True
) -> FastAPI:
    """Build the app from settings (or around an existing runtime, e.g. in tests)."""
    rt = runtime or build_runtime(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.settle_heap:
            settle_heap()
        loop = (
            AgendaLoop(rt.agenda, settings.agenda_interval_seconds, signal=rt.wake_signal)
            if run_agenda
            else None
        )
        if loop:
            loop.start()
        try:
            yield
        finally:
            if loop:
                loop.stop()
            if runtime is None:
                rt.close()

    app = FastAPI(
        title="skyorder",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.facade = rt.facade
    registry = Registry()
    for front_end in FRONT_ENDS:
        registry.register(app, front_end, sandbox=settings.sandbox)
    registry.lend(app)
    install_error_handlers(app, registry)
    app.add_middleware(RequestGuard, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        FairShare,
        per_caller=settings.max_concurrent_per_caller,
        credential_headers=registry.credential_headers(),
        credential_cookies=registry.credential_cookies(),
    )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        """Liveness: answers while the server runs."""
        return {"status": "ok", "version": __version__}

    return app
