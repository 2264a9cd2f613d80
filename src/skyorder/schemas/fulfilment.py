"""Captures and deliverables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from skyorder.core.captures import Capture
from skyorder.core.deliverables import Deliverable
from skyorder.schemas.common import EventSummary
from skyorder.schemas.users import Authorship, authorship


class CaptureMetadata(BaseModel):
    """Viewing geometry and priority of a capture."""

    min_absolute_off_nadir: float | None
    max_absolute_off_nadir: float | None
    min_sun_elevation: float | None
    max_sun_elevation: float | None
    priority: str


class CaptureOut(Authorship):
    """A capture attempt."""

    id: str
    order_id: str
    order_number: str
    item_id: str
    satellite: str
    status: str
    start: datetime
    end: datetime
    ground_track: dict[str, Any] | None
    footprint: dict[str, Any] | None
    cloud_cover: float | None
    metadata: CaptureMetadata
    created_at: datetime
    updated_at: datetime
    latest_event: EventSummary | None

    @classmethod
    def of(cls, c: Capture) -> CaptureOut:
        """Render a capture."""
        g = c.geometry
        return cls(
            id=c.id,
            order_id=c.order_id,
            order_number=c.order_number,
            item_id=c.item_id,
            satellite=c.satellite,
            status=c.status.value,
            start=c.start,
            end=c.end,
            ground_track=c.ground_track,
            footprint=c.footprint,
            cloud_cover=c.cloud_cover,
            metadata=CaptureMetadata(
                min_absolute_off_nadir=g.min_absolute_off_nadir,
                max_absolute_off_nadir=g.max_absolute_off_nadir,
                min_sun_elevation=g.min_sun_elevation,
                max_sun_elevation=g.max_sun_elevation,
                priority=c.priority.value,
            ),
            created_at=c.created_at,
            updated_at=c.updated_at,
            latest_event=EventSummary.of(c.latest_event),
            **authorship(c.created_by, c.updated_by),
        )


class AssetOut(BaseModel):
    """One file of a deliverable."""

    href: str
    type: str
    roles: list[str]
    title: str | None = None
    size: int | None = None
    sha256: str | None = None


class BillingOut(BaseModel):
    """What a deliverable bills."""

    billable_sqkm: float
    billable_sku: str


class DeliverableOut(Authorship):
    """A deliverable with its assets, metadata and billing details."""

    id: str
    order_id: str
    order_number: str
    item_id: str
    capture_id: str | None
    contract_id: str
    processing_level: str
    status: str
    footprint: dict[str, Any] | None
    assets: dict[str, AssetOut]
    metadata: dict[str, Any] | None
    billing_details: BillingOut | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None
    rejected_at: datetime | None
    latest_event: EventSummary | None

    @classmethod
    def of(cls, d: Deliverable) -> DeliverableOut:
        """Render a deliverable (asset links point at the authorised download route)."""
        return cls(
            id=d.id,
            order_id=d.order_id,
            order_number=d.order_number,
            item_id=d.item_id,
            capture_id=d.capture_id,
            contract_id=d.contract_id,
            processing_level=d.processing_level,
            status=d.status.value,
            footprint=d.footprint,
            assets={
                k: AssetOut(
                    href=f"/v1/deliverables/{d.id}/assets/{k}",
                    type=a.media_type,
                    roles=list(a.roles),
                    title=a.title,
                    size=a.size,
                    sha256=a.sha256,
                )
                for k, a in d.assets.items()
            },
            metadata=d.metadata,
            billing_details=(
                BillingOut(
                    billable_sqkm=d.billing_details.billable_sqkm,
                    billable_sku=d.billing_details.billable_sku,
                )
                if d.billing_details
                else None
            ),
            tags=d.tags,
            created_at=d.created_at,
            updated_at=d.updated_at,
            delivered_at=d.delivered_at,
            rejected_at=d.rejected_at,
            latest_event=EventSummary.of(d.latest_event),
            **authorship(d.created_by, d.updated_by),
        )
