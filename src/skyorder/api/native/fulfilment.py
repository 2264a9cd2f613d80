"""Captures and deliverables, globally and per order."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.paging import list_query, openapi_filters, page
from skyorder.core.resolutions import Resolution
from skyorder.facade import filters as queries
from skyorder.schemas.common import Page
from skyorder.schemas.fulfilment import CaptureOut, DeliverableOut

router = APIRouter(prefix="/v1", tags=["captures and deliverables"])

_CAPTURES = openapi_filters(queries.CAPTURE_FILTERS, spatial=True)
_DELIVERABLES = openapi_filters(queries.DELIVERABLE_FILTERS, spatial=True)


@router.get("/captures", response_model=Page[CaptureOut], openapi_extra=_CAPTURES)
def list_captures(request: Request, facade: FacadeDep, principal: PrincipalDep) -> Page[CaptureOut]:
    """List capture attempts, latest first.

    Filters: ``status`` (planned, scheduled, collected, failed, cancelled),
    ``satellite``, ``order`` (order number), ``start`` / ``end`` with
    ``__gt``, ``__gte``, ``__lt``, ``__lte``, and ``bbox``.
    """
    query = list_query(request, queries.CAPTURE_FILTERS, spatial=True)
    return page(request, facade.captures.list(principal, query), CaptureOut.of)


@router.get("/captures/{capture_id}", response_model=CaptureOut)
def get_capture(capture_id: str, facade: FacadeDep, principal: PrincipalDep) -> CaptureOut:
    """Get one capture attempt."""
    return CaptureOut.of(facade.captures.get(principal, capture_id))


@router.get(
    "/orders/{order_ref}/captures", response_model=Page[CaptureOut], openapi_extra=_CAPTURES
)
def order_captures(
    order_ref: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> Page[CaptureOut]:
    """List the capture attempts of one order."""
    query = list_query(request, queries.CAPTURE_FILTERS, spatial=True)
    return page(request, facade.captures.list(principal, query, order_ref), CaptureOut.of)


@router.get("/deliverables", response_model=Page[DeliverableOut], openapi_extra=_DELIVERABLES)
def list_deliverables(
    request: Request, facade: FacadeDep, principal: PrincipalDep
) -> Page[DeliverableOut]:
    """List deliverables, newest first.

    Filters: ``status`` (processing, delivered, failed, rejected; any case),
    ``order`` (order number), ``capture_id``, ``processing_level``,
    ``created_at`` / ``delivered_at`` with ``__gt``, ``__gte``, ``__lt``, ``__lte``, and ``bbox``.
    """
    query = list_query(request, queries.DELIVERABLE_FILTERS, spatial=True)
    return page(request, facade.deliverables.list(principal, query), DeliverableOut.of)


@router.get("/deliverables/{deliverable_id}", response_model=DeliverableOut)
def get_deliverable(
    deliverable_id: str, facade: FacadeDep, principal: PrincipalDep
) -> DeliverableOut:
    """Get one deliverable."""
    return DeliverableOut.of(facade.deliverables.get(principal, deliverable_id))


@router.get(
    "/deliverables/{deliverable_id}/assets/{asset_key}",
    status_code=307,
    response_class=RedirectResponse,
    responses={307: {"description": "Redirect to a signed download link (no token needed)"}},
)
def download_asset(
    deliverable_id: str,
    asset_key: str,
    facade: FacadeDep,
    principal: PrincipalDep,
    resolution: str | None = Query(
        None,
        description="`sandbox` (default): the file as delivered, described by the asset's "
        "size and sha256; `full`: the same file at the server's full resolution, when the "
        "deliverable was made at a sandbox resolution (made on the first ask: seconds).",
    ),
) -> RedirectResponse:
    """Download one file of a deliverable: redirects (307) to a fresh signed link.

    The link (``/files/…?expires=…&signature=…``) works without a token until it
    expires (``SKYORDER_DOWNLOAD_LINK_TTL_SECONDS``, one hour by default), so it can
    be handed to a download manager or a browser. Follow redirects (``curl -L``).
    A sandbox server delivers its products at a sandbox resolution (the deliverable's
    ``metadata.resolution``); ``resolution=full`` links to the full-resolution file,
    whose size and SHA-256 are in the download's ``Content-Length`` and ``Repr-Digest``.
    """
    link = facade.deliverables.asset_link(
        principal, deliverable_id, asset_key, Resolution.parse(resolution)
    )
    return RedirectResponse(link.path, status_code=307, headers={"Cache-Control": "no-store"})


@router.get(
    "/orders/{order_ref}/deliverables",
    response_model=Page[DeliverableOut],
    openapi_extra=_DELIVERABLES,
)
def order_deliverables(
    order_ref: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> Page[DeliverableOut]:
    """List the deliverables of one order."""
    query = list_query(request, queries.DELIVERABLE_FILTERS, spatial=True)
    result = facade.deliverables.list(principal, query, order_ref)
    return page(request, result, DeliverableOut.of)
