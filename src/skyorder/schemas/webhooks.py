"""Webhook subscriptions and deliveries."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from skyorder.core.webhooks import (
    ALL_EVENTS,
    Attempt,
    Delivery,
    Subscription,
    SubscriptionChanges,
    SubscriptionSpec,
)

URL_FIELD = Field(
    max_length=2000,
    description="Where events are POSTed: an absolute http:// or https:// URL.",
    examples=["https://example.com/skyorder/hooks"],
)
TYPES_FIELD = Field(
    None,
    max_length=100,
    description="Event types to receive (e.g. OrderAccepted, DeliverableDelivered); "
    'omit, null or ["*"] for every event.',
    examples=[["OrderAccepted", "DeliverableDelivered"]],
)


class WebhookCreate(BaseModel):
    """A new webhook subscription."""

    model_config = ConfigDict(extra="forbid")

    url: str = URL_FIELD
    event_types: list[str] | None = TYPES_FIELD
    description: str = Field("", max_length=2000)
    enabled: bool = True

    def to_spec(self) -> SubscriptionSpec:
        """The service's view of the request."""
        return SubscriptionSpec(self.url, self.event_types, self.description, self.enabled)


class WebhookUpdate(BaseModel):
    """Changes to a subscription; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2000)
    event_types: list[str] | None = TYPES_FIELD
    description: str | None = Field(None, max_length=2000)
    enabled: bool | None = None

    def to_changes(self) -> SubscriptionChanges:
        """The service's view of the request (``"event_types": null`` means every event)."""
        sent = self.model_fields_set
        return SubscriptionChanges(
            url=self.url,
            event_types=self.event_types,
            all_events="event_types" in sent and self.event_types is None,
            description=self.description,
            enabled=self.enabled,
        )


class WebhookOut(BaseModel):
    """A webhook subscription (its secret is shown only when created or rotated)."""

    id: str
    url: str
    event_types: list[str] = Field(description='["*"] when every event is sent.')
    description: str
    enabled: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, s: Subscription) -> WebhookOut:
        """Render a subscription without its secret."""
        return cls(**_fields(s))


class WebhookWithSecret(WebhookOut):
    """A subscription with its signing secret: keep it, it is not shown again."""

    secret: str = Field(
        description="Standard Webhooks signing secret (whsec_ + base64 key); verify "
        "webhook-signature with it."
    )

    @classmethod
    def of(cls, s: Subscription) -> WebhookWithSecret:
        """Render a subscription with its secret."""
        return cls(**_fields(s), secret=s.secret)


def _fields(s: Subscription) -> dict[str, Any]:
    return {
        "id": s.id,
        "url": s.url,
        "event_types": s.event_types if s.event_types is not None else [ALL_EVENTS],
        "description": s.description,
        "enabled": s.enabled,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    }


class AttemptOut(BaseModel):
    """One try at delivering."""

    number: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @classmethod
    def of(cls, a: Attempt) -> AttemptOut:
        """Render an attempt."""
        return cls(
            number=a.number,
            at=a.at,
            status_code=a.status_code,
            error=a.error,
            duration_ms=a.duration_ms,
        )


class DeliveryOut(BaseModel):
    """One event sent (or being sent) to one webhook, with its attempt log."""

    id: str = Field(description="Sent as webhook-id on every attempt: de-duplicate on it.")
    webhook_id: str
    event_id: str
    event_type: str
    status: str = Field(description="pending, delivered or failed")
    attempt_count: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    attempts: list[AttemptOut]
    payload: dict[str, Any] = Field(description="The JSON body sent.")

    @classmethod
    def of(cls, d: Delivery) -> DeliveryOut:
        """Render a delivery."""
        return cls(
            id=d.id,
            webhook_id=d.subscription_id,
            event_id=d.event_id,
            event_type=d.event_type,
            status=d.status.value,
            attempt_count=len(d.attempts),
            next_attempt_at=d.next_attempt_at,
            delivered_at=d.delivered_at,
            created_at=d.created_at,
            attempts=[AttemptOut.of(a) for a in d.attempts],
            payload=json.loads(d.body),
        )
