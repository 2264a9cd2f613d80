"""Captures: one attempt of a satellite to image a tasking item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from skyorder.core.events import EntityType, EventSource, make_event
from skyorder.core.imaging import PRIORITY_RANK, imaged_centre_line
from skyorder.core.orders import Priority
from skyorder.core.states import StateMachine
from skyorder.core.users import Actor


class CaptureStatus(StrEnum):
    """planned → scheduled → collected | failed | cancelled."""

    PLANNED = "planned"
    SCHEDULED = "scheduled"
    COLLECTED = "collected"
    FAILED = "failed"
    CANCELLED = "cancelled"


CAPTURE_STATES: StateMachine[CaptureStatus] = StateMachine(
    "capture",
    {
        CaptureStatus.PLANNED: frozenset(
            {CaptureStatus.SCHEDULED, CaptureStatus.CANCELLED, CaptureStatus.FAILED}
        ),
        CaptureStatus.SCHEDULED: frozenset(
            {CaptureStatus.COLLECTED, CaptureStatus.FAILED, CaptureStatus.CANCELLED}
        ),
    },
)

_EVENT_FOR = {
    CaptureStatus.SCHEDULED: "CaptureScheduled",
    CaptureStatus.COLLECTED: "CaptureCollected",
    CaptureStatus.FAILED: "CaptureCollectionFailed",
    CaptureStatus.CANCELLED: "CaptureCancelled",
}


@dataclass(frozen=True)
class CaptureGeometry:
    """Viewing geometry recorded for a capture (Aleph's capture ``metadata``)."""

    min_absolute_off_nadir: float | None = None
    max_absolute_off_nadir: float | None = None
    min_sun_elevation: float | None = None
    max_sun_elevation: float | None = None


@dataclass(kw_only=True)
class Capture(EventSource):
    """A capture attempt: satellite, time span, ground track, outcome."""

    id: str
    organisation_id: str
    order_id: str
    order_number: str
    item_id: str
    satellite: str
    start: datetime
    end: datetime
    status: CaptureStatus
    priority: Priority
    ground_track: dict[str, Any] | None  # GeoJSON LineString, altitude as 3rd coordinate
    footprint: dict[str, Any] | None
    geometry: CaptureGeometry = field(default_factory=CaptureGeometry)
    cloud_cover: float | None = None
    strip: int = 0  # which strip of the item's AOI it images
    strips: int = 1  # how many strips cover the AOI
    created_by: Actor | None = None
    """Who requested the capture: the creator of its order item."""
    updated_by: Actor | None = None
    """Who last changed it (cancelled it with its order); the pipeline's steps do not count."""
    created_at: datetime
    updated_at: datetime

    @property
    def priority_rank(self) -> int:
        """The numeric priority (``core.imaging.PRIORITY_RANK``): 75 rush, 50 standard."""
        return PRIORITY_RANK[self.priority]

    @property
    def center_line(self) -> dict[str, Any] | None:
        """The line along the middle of the imaged strip, on the ground (3-D LineString)."""
        return imaged_centre_line(self.ground_track, self.footprint)

    def transition(self, target: CaptureStatus, at: datetime, reason: str = "") -> None:
        """Move the capture to ``target`` and record the matching event."""
        CAPTURE_STATES.check(self.status, target)
        self.status = target
        self.updated_at = at
        self.record(
            make_event(
                organisation_id=self.organisation_id,
                entity_type=EntityType.CAPTURE,
                entity_id=self.id,
                order_id=self.order_id,
                order_number=self.order_number,
                type=_EVENT_FOR[target],
                at=at,
                details={"reason": reason} if reason else {},
            )
        )
