"""Webhooks: subscribe to your organisation's events, follow their deliveries."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.paging import list_query, openapi_filters, page
from skyorder.facade.filters import WEBHOOK_DELIVERY_FILTERS
from skyorder.schemas.common import Page
from skyorder.schemas.webhooks import (
    DeliveryOut,
    WebhookCreate,
    WebhookOut,
    WebhookUpdate,
    WebhookWithSecret,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


@router.post("", status_code=201, response_model=WebhookWithSecret)
def create_webhook(
    body: WebhookCreate, response: Response, facade: FacadeDep, principal: PrincipalDep
) -> WebhookWithSecret:
    """Subscribe a URL to your organisation's events (all, or the listed types).

    Each event is POSTed as JSON ``{"type", "timestamp", "data"}`` with the Standard
    Webhooks headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``.
    The answer holds the signing ``secret``: keep it, it is not shown again (rotate it
    with ``POST /v1/webhooks/{id}/rotate-secret``). Receivers answer 2xx to
    acknowledge; anything else is retried with backoff for about a day. A ``url``
    whose host resolves to a loopback, private, link-local or other non-public address
    (or names a cloud metadata service) is refused with 422, saying which rule applied.
    """
    created = facade.webhooks.create(principal, body.to_spec())
    response.headers["Location"] = f"/v1/webhooks/{created.id}"
    return WebhookWithSecret.of(created)


@router.get("", response_model=Page[WebhookOut], openapi_extra=openapi_filters({}))
def list_webhooks(request: Request, facade: FacadeDep, principal: PrincipalDep) -> Page[WebhookOut]:
    """List your organisation's webhook subscriptions."""
    query = list_query(request, {})
    return page(request, facade.webhooks.list(principal, query), WebhookOut.of)


@router.get("/{webhook_id}", response_model=WebhookOut)
def get_webhook(webhook_id: str, facade: FacadeDep, principal: PrincipalDep) -> WebhookOut:
    """Get one webhook subscription."""
    return WebhookOut.of(facade.webhooks.get(principal, webhook_id))


@router.patch("/{webhook_id}", response_model=WebhookOut)
def update_webhook(
    webhook_id: str, body: WebhookUpdate, facade: FacadeDep, principal: PrincipalDep
) -> WebhookOut:
    """Change a subscription's ``url``, ``event_types``, ``description`` or ``enabled``.

    A disabled subscription receives nothing: events are not queued for it, and
    deliveries still pending when it is disabled end as failed.
    """
    return WebhookOut.of(facade.webhooks.update(principal, webhook_id, body.to_changes()))


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
def delete_webhook(webhook_id: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """Unsubscribe: the subscription, its delivery log and pending deliveries go."""
    facade.webhooks.delete(principal, webhook_id)
    return Response(status_code=204)


@router.post("/{webhook_id}/rotate-secret", response_model=WebhookWithSecret)
def rotate_webhook_secret(
    webhook_id: str, facade: FacadeDep, principal: PrincipalDep
) -> WebhookWithSecret:
    """Replace the signing secret; every request from now on, retries included, uses it."""
    return WebhookWithSecret.of(facade.webhooks.rotate_secret(principal, webhook_id))


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[DeliveryOut],
    openapi_extra=openapi_filters(WEBHOOK_DELIVERY_FILTERS),
)
def list_deliveries(
    webhook_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> Page[DeliveryOut]:
    """A subscription's deliveries, newest first, each with its attempts (time, status
    code or error, duration). Filter by ``status`` (pending, delivered, failed),
    ``event_type`` or ``created_at__gte`` and friends."""
    query = list_query(request, WEBHOOK_DELIVERY_FILTERS)
    result = facade.webhooks.deliveries(principal, webhook_id, query)
    return page(request, result, DeliveryOut.of)


@router.post("/{webhook_id}/test", status_code=202, response_model=DeliveryOut)
def test_webhook(webhook_id: str, facade: FacadeDep, principal: PrincipalDep) -> DeliveryOut:
    """Send a ``WebhookTest`` event to this subscription only (queued now, sent at once);
    follow it in ``GET /v1/webhooks/{id}/deliveries``."""
    return DeliveryOut.of(facade.webhooks.send_test(principal, webhook_id))
