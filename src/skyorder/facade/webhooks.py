"""Webhook subscriptions and their deliveries."""

from __future__ import annotations

from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.tenants import Principal
from skyorder.core.webhooks import Delivery, Subscription, SubscriptionChanges, SubscriptionSpec
from skyorder.facade.base import Resource
from skyorder.services import webhooks as service

__all__ = ["SubscriptionChanges", "SubscriptionSpec", "Webhooks"]


class Webhooks(Resource):
    """The caller's organisation's webhook subscriptions."""

    def create(self, principal: Principal, spec: SubscriptionSpec) -> Subscription:
        """Subscribe a URL to events; the answer holds the signing secret."""
        with self._rt.uow() as uow:
            created = service.create_subscription(
                uow, self._clock(principal), principal, spec, self._rt.outbound
            )
            uow.commit()
        return created

    def list(self, principal: Principal, query: ListQuery) -> PageResult[Subscription]:
        """The organisation's subscriptions."""
        with self._rt.uow(readonly=True) as uow:
            return service.list_subscriptions(uow, principal, query)

    def get(self, principal: Principal, subscription_id: str) -> Subscription:
        """One subscription, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            return service.get_subscription(uow, principal, subscription_id)

    def update(
        self, principal: Principal, subscription_id: str, changes: SubscriptionChanges
    ) -> Subscription:
        """Change a subscription's URL, events, description or state."""
        with self._rt.uow() as uow:
            updated = service.update_subscription(
                uow, self._clock(principal), principal, subscription_id, changes, self._rt.outbound
            )
            uow.commit()
        return updated

    def delete(self, principal: Principal, subscription_id: str) -> None:
        """Remove a subscription."""
        with self._rt.uow() as uow:
            service.delete_subscription(uow, principal, subscription_id)
            uow.commit()

    def rotate_secret(self, principal: Principal, subscription_id: str) -> Subscription:
        """A new signing secret, used from now on (retries included)."""
        with self._rt.uow() as uow:
            rotated = service.rotate_secret(uow, self._clock(principal), principal, subscription_id)
            uow.commit()
        return rotated

    def deliveries(
        self, principal: Principal, subscription_id: str, query: ListQuery
    ) -> PageResult[Delivery]:
        """A subscription's deliveries with their attempts."""
        with self._rt.uow(readonly=True) as uow:
            return service.list_deliveries(uow, principal, subscription_id, query)

    def send_test(self, principal: Principal, subscription_id: str) -> Delivery:
        """Queue a ``WebhookTest`` event to this subscription only."""
        with self._rt.uow() as uow:
            delivery = service.send_test(uow, self._clock(principal), principal, subscription_id)
            uow.commit()
        return delivery
