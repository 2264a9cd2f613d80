"""Webhook use cases: manage subscriptions, list deliveries, send a test event."""

from __future__ import annotations

from skyorder.core.clock import Clock
from skyorder.core.errors import Conflict, NotFound, ValidationFailed
from skyorder.core.ids import new_id
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.tenants import Principal
from skyorder.core.webhooks import (
    TEST_EVENT,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionChanges,
    SubscriptionSpec,
    check_event_types,
    check_url,
    new_secret,
    probe_body,
)
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.store.uow import UnitOfWork

MAX_DESCRIPTION = 2000


def _description(text: str) -> str:
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed.on("description", f"must be at most {MAX_DESCRIPTION} characters")
    return text


def _receiver_url(url: str, outbound: OutboundPolicy) -> str:
    """A well-formed URL whose host the outbound policy lets webhooks reach (else 422)."""
    checked = check_url(url)
    outbound.check(checked, "url")
    return checked


def create_subscription(
    uow: UnitOfWork,
    clock: Clock,
    principal: Principal,
    spec: SubscriptionSpec,
    outbound: OutboundPolicy,
) -> Subscription:
    """Subscribe a URL to the caller's organisation's events; the answer holds the secret.

    The URL's host is resolved and refused if it is not public (unless ``outbound``
    allows its network); it is checked again before every request.
    """
    url = _receiver_url(spec.url, outbound)
    now = clock.now()
    subscription = Subscription(
        id=new_id(),
        organisation_id=principal.organisation_id,
        url=url,
        event_types=check_event_types(spec.event_types),
        description=_description(spec.description),
        enabled=spec.enabled,
        secret=new_secret(),
        created_at=now,
        updated_at=now,
    )
    uow.webhooks.add(subscription)
    return subscription


def get_subscription(uow: UnitOfWork, principal: Principal, subscription_id: str) -> Subscription:
    """One of the caller's subscriptions (another organisation's is not found)."""
    found = uow.webhooks.get(principal, subscription_id)
    if found is None:
        raise NotFound(f"webhook {subscription_id} not found")
    return found


def list_subscriptions(
    uow: UnitOfWork, principal: Principal, query: ListQuery
) -> PageResult[Subscription]:
    """The caller's subscriptions."""
    return uow.webhooks.list(principal, query)


def update_subscription(
    uow: UnitOfWork,
    clock: Clock,
    principal: Principal,
    subscription_id: str,
    changes: SubscriptionChanges,
    outbound: OutboundPolicy,
) -> Subscription:
    """Change a subscription's URL, event types, description or enabled flag."""
    url = None if changes.url is None else _receiver_url(changes.url, outbound)
    subscription = get_subscription(uow, principal, subscription_id)
    if url is not None:
        subscription.url = url
    if changes.all_events:
        subscription.event_types = None
    elif changes.event_types is not None:
        subscription.event_types = check_event_types(changes.event_types)
    if changes.description is not None:
        subscription.description = _description(changes.description)
    if changes.enabled is not None:
        subscription.enabled = changes.enabled
    subscription.updated_at = clock.now()
    uow.webhooks.update(principal, subscription)
    return subscription


def rotate_secret(
    uow: UnitOfWork, clock: Clock, principal: Principal, subscription_id: str
) -> Subscription:
    """Replace the signing secret; every request from now on (retries too) uses the new one."""
    subscription = get_subscription(uow, principal, subscription_id)
    subscription.secret = new_secret()
    subscription.updated_at = clock.now()
    uow.webhooks.update(principal, subscription)
    return subscription


def delete_subscription(uow: UnitOfWork, principal: Principal, subscription_id: str) -> None:
    """Unsubscribe; deliveries still pending are dropped with the delivery log."""
    if not uow.webhooks.delete(principal, subscription_id):
        raise NotFound(f"webhook {subscription_id} not found")


def list_deliveries(
    uow: UnitOfWork, principal: Principal, subscription_id: str, query: ListQuery
) -> PageResult[Delivery]:
    """A subscription's deliveries, newest first, each with its attempt log."""
    get_subscription(uow, principal, subscription_id)
    return uow.webhooks.deliveries(principal, subscription_id, query)


def send_test(
    uow: UnitOfWork, clock: Clock, principal: Principal, subscription_id: str
) -> Delivery:
    """Queue a ``WebhookTest`` event for this subscription only, to be sent at once."""
    subscription = get_subscription(uow, principal, subscription_id)
    if not subscription.enabled:
        raise Conflict(f"webhook {subscription_id} is disabled; enable it to send a test")
    now = clock.now()
    event_id = new_id()
    delivery = Delivery(
        id=new_id(),
        organisation_id=subscription.organisation_id,
        subscription_id=subscription.id,
        event_id=event_id,
        event_type=TEST_EVENT,
        body=probe_body(subscription, event_id, now),
        status=DeliveryStatus.PENDING,
        created_at=now,
        next_attempt_at=now,
    )
    uow.webhooks.add_delivery(delivery, now)
    return delivery
