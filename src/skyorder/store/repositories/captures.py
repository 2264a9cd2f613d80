"""Capture attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from skyorder.core.captures import Capture, CaptureGeometry, CaptureStatus
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.mission import Booking
from skyorder.core.orders import Priority
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import (
    actor_columns,
    actor_from,
    apply_conditions,
    bbox_columns,
    event_from_json,
    event_json,
    insert_events,
    page_rows,
    scoped,
)
from skyorder.store.spatial import intersects_bbox

CAPTURE_COLUMNS = {
    "status": t.captures.c.status,
    "satellite": t.captures.c.satellite,
    "start": t.captures.c.start,
    "end": t.captures.c.end,
    "order": t.orders.c.number,
    "order_id": t.orders.c.id,
    "item_id": t.captures.c.item_id,
    "created_at": t.captures.c.created_at,
    "updated_at": t.captures.c.updated_at,
}


def _geometry_row(capture: Capture) -> dict[str, Any]:
    g = capture.geometry
    return {
        **actor_columns("updated", capture.updated_by),
        "status": capture.status.value,
        "updated_at": capture.updated_at,
        "latest_event": event_json(capture.latest_event),
        "cloud_cover": capture.cloud_cover,
        "metadata": {
            "min_absolute_off_nadir": g.min_absolute_off_nadir,
            "max_absolute_off_nadir": g.max_absolute_off_nadir,
            "min_sun_elevation": g.min_sun_elevation,
            "max_sun_elevation": g.max_sun_elevation,
            "strip": capture.strip,
            "strips": capture.strips,
        },
        "footprint": capture.footprint,
        **bbox_columns(capture.footprint),
    }


def _capture(row: Row[Any]) -> Capture:
    m = row.metadata or {}
    return Capture(
        id=row.id,
        organisation_id=row.organisation_id,
        order_id=row.order_id,
        order_number=row.order_number,
        item_id=row.item_id,
        satellite=row.satellite,
        start=row.start,
        end=row.end,
        status=CaptureStatus(row.status),
        priority=Priority(row.priority),
        ground_track=row.ground_track,
        footprint=row.footprint,
        geometry=CaptureGeometry(
            m.get("min_absolute_off_nadir"),
            m.get("max_absolute_off_nadir"),
            m.get("min_sun_elevation"),
            m.get("max_sun_elevation"),
        ),
        cloud_cover=row.cloud_cover,
        strip=int(m.get("strip", 0)),
        strips=int(m.get("strips", 1)),
        created_by=actor_from(row, "created"),
        updated_by=actor_from(row, "updated"),
        created_at=row.created_at,
        updated_at=row.updated_at,
        latest_event=event_from_json(row.latest_event),
    )


class CaptureRepository:
    """Reads and writes captures; every read is scoped to the caller's organisation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def readable(self, principal: Principal) -> Any:
        """The one statement every capture read starts from."""
        return (
            select(
                t.captures, t.orders.c.id.label("order_id"), t.orders.c.number.label("order_number")
            )
            .join(t.orders, t.orders.c.pk == t.captures.c.order_pk)
            .where(scoped(t.captures, principal), scoped(t.orders, principal, "contract_id"))
        )

    def add(self, capture: Capture, order_pk: int) -> None:
        """Insert a capture and its pending events."""
        self.conn.execute(
            t.captures.insert(),
            {
                **_geometry_row(capture),
                "id": capture.id,
                "organisation_id": capture.organisation_id,
                "order_pk": order_pk,
                "item_id": capture.item_id,
                "satellite": capture.satellite,
                "start": capture.start,
                "end": capture.end,
                "priority": capture.priority.value,
                "ground_track": capture.ground_track,
                **actor_columns("created", capture.created_by),
                "created_at": capture.created_at,
            },
        )
        insert_events(self.conn, capture.pending_events)
        capture.pending_events.clear()

    def save(self, capture: Capture) -> None:
        """Write a capture's changed state and pending events."""
        self.conn.execute(
            update(t.captures).where(t.captures.c.id == capture.id).values(_geometry_row(capture))
        )
        insert_events(self.conn, capture.pending_events)
        capture.pending_events.clear()

    def owner_of(self, capture_id: str) -> str | None:
        """The organisation a capture belongs to (for background steps that act for it)."""
        value = self.conn.execute(
            select(t.captures.c.organisation_id).where(t.captures.c.id == capture_id)
        ).scalar()
        return str(value) if value is not None else None

    def get(self, principal: Principal, capture_id: str) -> Capture | None:
        """A capture by id, if the caller may see it."""
        row = self.conn.execute(
            self.readable(principal).where(t.captures.c.id == capture_id)
        ).first()
        return _capture(row) if row else None

    def of_item(self, principal: Principal, item_id: str) -> list[Capture]:
        """Every capture of one order item, earliest start first."""
        rows = self.conn.execute(
            self.readable(principal)
            .where(t.captures.c.item_id == item_id)
            .order_by(t.captures.c.start, t.captures.c.pk)
        ).all()
        return [_capture(r) for r in rows]

    def bookings(self, start: datetime, end: datetime) -> list[Booking]:
        """Satellite time held by planned or scheduled captures between ``start`` and ``end``.

        The ground segment's view across organisations: one satellite serves every
        customer, so planning must see all of its booked time. Only satellite, time,
        pointing and priority are read; nothing about the customer leaves this method.
        """
        rows = self.conn.execute(
            select(
                t.captures.c.id,
                t.captures.c.satellite,
                t.captures.c.start,
                t.captures.c.end,
                t.captures.c.priority,
                t.captures.c.metadata,
            ).where(
                t.captures.c.status.in_(
                    (CaptureStatus.PLANNED.value, CaptureStatus.SCHEDULED.value)
                ),
                t.captures.c.start < end,
                t.captures.c.end > start,
            )
        ).all()
        return [
            Booking(
                capture_id=r.id,
                satellite=r.satellite,
                start=r.start,
                end=r.end,
                off_nadir=float((r.metadata or {}).get("max_absolute_off_nadir") or 0.0),
                priority=Priority(r.priority),
            )
            for r in rows
        ]

    def list(
        self, principal: Principal, query: ListQuery, order_id: str | None = None
    ) -> PageResult[Capture]:
        """One page of the caller's captures, latest start first."""
        stmt = apply_conditions(self.readable(principal), CAPTURE_COLUMNS, query)
        if order_id is not None:
            stmt = stmt.where(t.orders.c.id == order_id)
        if query.bbox is not None:
            stmt = stmt.where(intersects_bbox(self.conn, t.captures, query.bbox))
        total, rows = page_rows(
            self.conn, stmt, query, t.captures.c.start.desc(), t.captures.c.pk.desc()
        )
        return PageResult(total, [_capture(r) for r in rows], query.limit, query.offset)
