"""Webhooks: subscribe a URL to the organisation's events, read each delivery's attempts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from typing import Any

from skyorder.client.session import Session
from skyorder.schemas.webhooks import (
    DeliveryOut,
    WebhookCreate,
    WebhookOut,
    WebhookUpdate,
    WebhookWithSecret,
)


class WebhooksClient:
    """``/v1/webhooks``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def create(self, webhook: WebhookCreate) -> WebhookWithSecret:
        """Subscribe a URL; the answer holds the signing secret, shown only this once."""
        return await self._s.post("/v1/webhooks", WebhookWithSecret, webhook)

    async def list(self) -> AsyncIterator[WebhookOut]:
        """Every subscription of the organisation, across all pages."""
        async for webhook in self._s.pages("/v1/webhooks", WebhookOut):
            yield webhook

    async def get(self, webhook_id: str) -> WebhookOut:
        """One subscription."""
        return await self._s.get(f"/v1/webhooks/{webhook_id}", WebhookOut)

    async def update(self, webhook_id: str, changes: WebhookUpdate) -> WebhookOut:
        """Change a subscription's url, event types, description or enabled flag (fields
        left unset stay as they are)."""
        data = changes.model_dump(mode="json", exclude_unset=True)
        answer = await self._s.send("PATCH", f"/v1/webhooks/{webhook_id}", json=data)
        return WebhookOut.model_validate_json(answer.content)

    async def delete(self, webhook_id: str) -> None:
        """Unsubscribe: the subscription, its delivery log and pending deliveries go."""
        await self._s.send("DELETE", f"/v1/webhooks/{webhook_id}")

    async def rotate_secret(self, webhook_id: str) -> WebhookWithSecret:
        """A new signing secret, used from now on (retries included)."""
        return await self._s.post(f"/v1/webhooks/{webhook_id}/rotate-secret", WebhookWithSecret)

    async def test(self, webhook_id: str) -> DeliveryOut:
        """Send a ``WebhookTest`` event to this subscription only; answers its delivery."""
        return await self._s.post(f"/v1/webhooks/{webhook_id}/test", DeliveryOut)

    async def deliveries(
        self,
        webhook_id: str,
        *,
        status: Collection[str] | None = None,
        event_type: str | None = None,
        **filters: Any,
    ) -> AsyncIterator[DeliveryOut]:
        """A subscription's delivery log, newest first, each delivery with its attempts
        (``status``: pending, delivered, failed; others as the API names them)."""
        params = {"status": status, "event_type": event_type, **filters}
        url = f"/v1/webhooks/{webhook_id}/deliveries"
        async for delivery in self._s.pages(url, DeliveryOut, params):
            yield delivery
