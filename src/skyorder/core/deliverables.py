"""Deliverables: a product made from a capture or archive scene at one processing level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from skyorder.core.events import EntityType, EventSource, make_event
from skyorder.core.states import StateMachine
from skyorder.core.users import Actor


class DeliverableStatus(StrEnum):
    """processing → delivered | failed; a delivered product may be rejected."""

    PROCESSING = "processing"
    DELIVERED = "delivered"
    FAILED = "failed"
    REJECTED = "rejected"


DELIVERABLE_STATES: StateMachine[DeliverableStatus] = StateMachine(
    "deliverable",
    {
        DeliverableStatus.PROCESSING: frozenset(
            {DeliverableStatus.DELIVERED, DeliverableStatus.FAILED}
        ),
        DeliverableStatus.DELIVERED: frozenset({DeliverableStatus.REJECTED}),
    },
)

_EVENT_FOR = {
    DeliverableStatus.DELIVERED: "DeliverableDelivered",
    DeliverableStatus.FAILED: "DeliverableFailed",
    DeliverableStatus.REJECTED: "DeliverableRejected",
}


@dataclass(frozen=True)
class Asset:
    """One file of a deliverable (``visual``, ``preview``, ``delivery``, ``thumbnail``...)."""

    key: str
    path: str
    media_type: str
    roles: tuple[str, ...]
    size: int | None = None
    sha256: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class BillingDetails:
    """What a deliverable bills: area and SKU."""

    billable_sqkm: float
    billable_sku: str


def billable_shares(total_km2: float, parts: Sequence[int], price: int) -> list[float]:
    """Each deliverable's billable km², in proportion to its part of an item's charge.

    An item priced ``price`` for ``total_km2`` billable km² (its area times its
    occurrences) and charged ``parts`` (one per deliverable) bills each deliverable
    ``total_km2 * part / price``; the shares are rounded to 6 decimals, the last taking
    the rounding, so they add up to what the ledger charged for (a full charge: the
    whole billable area, however many deliverables the captures made).
    """
    if not parts:
        return []
    if price <= 0:
        even = round(total_km2 / len(parts), 6)
        return [even] * (len(parts) - 1) + [round(total_km2 - even * (len(parts) - 1), 6)]
    exact = [Decimal(str(total_km2)) * part / price for part in parts]
    shares = [round(float(x), 6) for x in exact[:-1]]
    return [*shares, round(float(sum(exact)) - sum(shares), 6)]


@dataclass(kw_only=True)
class Deliverable(EventSource):
    """A deliverable and its assets, metadata and billing details."""

    id: str
    organisation_id: str
    contract_id: str
    order_id: str
    order_number: str
    item_id: str
    capture_id: str | None
    processing_level: str
    scene_id: str | None = None
    """The archive scene it is made from, when its item buys several (None: the item's)."""
    status: DeliverableStatus
    footprint: dict[str, Any] | None
    assets: dict[str, Asset] = field(default_factory=dict)
    metadata: dict[str, Any] | None = None
    billing_details: BillingDetails | None = None
    tags: list[str] = field(default_factory=list)
    created_by: Actor | None = None
    """On whose behalf it was made: the creator of its order item."""
    updated_by: Actor | None = None
    """Who last changed it; the pipeline's steps do not count."""
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None = None
    rejected_at: datetime | None = None

    @property
    def image_bytes(self) -> int:
        """The size of its images (the analytic files): the volume a volume price counts."""
        return sum(a.size or 0 for k, a in self.assets.items() if k.startswith("analytic"))

    def created(self, at: datetime) -> None:
        """Record the deliverable's creation."""
        self._emit("DeliverableCreated", at, {})

    def _emit(self, type_: str, at: datetime, details: dict[str, Any]) -> None:
        self.record(
            make_event(
                organisation_id=self.organisation_id,
                entity_type=EntityType.DELIVERABLE,
                entity_id=self.id,
                order_id=self.order_id,
                order_number=self.order_number,
                type=type_,
                at=at,
                details=details,
            )
        )

    def transition(
        self, target: DeliverableStatus, at: datetime, details: dict[str, Any] | None = None
    ) -> None:
        """Move the deliverable to ``target`` and record the matching event."""
        DELIVERABLE_STATES.check(self.status, target)
        self.status = target
        self.updated_at = at
        if target is DeliverableStatus.DELIVERED:
            self.delivered_at = at
        elif target is DeliverableStatus.REJECTED:
            self.rejected_at = at
        self._emit(_EVENT_FOR[target], at, dict(details or {}))

    def bill(self, details: BillingDetails, at: datetime) -> None:
        """Set what the deliverable bills (when its item's charge is settled)."""
        if details != self.billing_details:
            self.billing_details = details
            self.updated_at = at

    def pushed(self, at: datetime, bucket: str, keys: list[str]) -> None:
        """Every file landed in the customer's bucket with a matching checksum."""
        self.updated_at = at
        self._emit("DeliverablePushed", at, {"bucket": bucket, "keys": keys})

    def push_retrying(self, at: datetime, attempt: int, reason: str, retry_at: datetime) -> None:
        """A push attempt failed; another follows at ``retry_at``."""
        self.updated_at = at
        self._emit(
            "DeliverablePushRetrying",
            at,
            {"attempt": attempt, "reason": reason, "retry_at": retry_at.isoformat()},
        )

    def push_failed(self, at: datetime, attempts: int, reason: str) -> None:
        """Push delivery gave up; the deliverable stays downloadable through the API."""
        self.updated_at = at
        self._emit("DeliverablePushFailed", at, {"attempts": attempts, "reason": reason})
