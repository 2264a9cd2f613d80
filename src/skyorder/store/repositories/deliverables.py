"""Deliverables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from skyorder.core.deliverables import Asset, BillingDetails, Deliverable, DeliverableStatus
from skyorder.core.listing import ListQuery, PageResult
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

DELIVERABLE_COLUMNS = {
    "status": t.deliverables.c.status,
    "order": t.orders.c.number,
    "order_id": t.orders.c.id,
    "capture_id": t.deliverables.c.capture_id,
    "processing_level": t.deliverables.c.processing_level,
    "created_at": t.deliverables.c.created_at,
    "updated_at": t.deliverables.c.updated_at,
    "delivered_at": t.deliverables.c.delivered_at,
}


def _state_row(d: Deliverable) -> dict[str, Any]:
    return {
        **actor_columns("updated", d.updated_by),
        "status": d.status.value,
        "updated_at": d.updated_at,
        "delivered_at": d.delivered_at,
        "rejected_at": d.rejected_at,
        "latest_event": event_json(d.latest_event),
        "footprint": d.footprint,
        "assets": {
            k: {
                "path": a.path,
                "media_type": a.media_type,
                "roles": list(a.roles),
                "size": a.size,
                "sha256": a.sha256,
                "title": a.title,
            }
            for k, a in d.assets.items()
        },
        "metadata": d.metadata,
        "billing_details": (
            {
                "billable_sqkm": d.billing_details.billable_sqkm,
                "billable_sku": d.billing_details.billable_sku,
            }
            if d.billing_details
            else None
        ),
        "tags": d.tags,
        **bbox_columns(d.footprint),
    }


def _deliverable(row: Row[Any]) -> Deliverable:
    billing = row.billing_details
    return Deliverable(
        id=row.id,
        organisation_id=row.organisation_id,
        contract_id=row.contract_id,
        order_id=row.order_id,
        order_number=row.order_number,
        item_id=row.item_id,
        capture_id=row.capture_id,
        processing_level=row.processing_level,
        scene_id=row.scene_id,
        status=DeliverableStatus(row.status),
        footprint=row.footprint,
        assets={
            k: Asset(
                k,
                a["path"],
                a["media_type"],
                tuple(a["roles"]),
                a.get("size"),
                a.get("sha256"),
                a.get("title"),
            )
            for k, a in (row.assets or {}).items()
        },
        metadata=row.metadata,
        billing_details=BillingDetails(**billing) if billing else None,
        tags=list(row.tags or []),
        created_by=actor_from(row, "created"),
        updated_by=actor_from(row, "updated"),
        created_at=row.created_at,
        updated_at=row.updated_at,
        delivered_at=row.delivered_at,
        rejected_at=row.rejected_at,
        latest_event=event_from_json(row.latest_event),
    )


class DeliverableRepository:
    """Reads and writes deliverables; every read is scoped to the caller's organisation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def readable(self, principal: Principal) -> Any:
        """The one statement every deliverable read starts from."""
        return (
            select(
                t.deliverables,
                t.orders.c.id.label("order_id"),
                t.orders.c.number.label("order_number"),
                t.orders.c.name.label("order_name"),
            )
            .join(t.orders, t.orders.c.pk == t.deliverables.c.order_pk)
            .where(scoped(t.deliverables, principal, "contract_id"))
        )

    def add(self, d: Deliverable, order_pk: int) -> None:
        """Insert a deliverable and its pending events."""
        self.conn.execute(
            t.deliverables.insert(),
            {
                **_state_row(d),
                "id": d.id,
                "organisation_id": d.organisation_id,
                "contract_id": d.contract_id,
                "order_pk": order_pk,
                "item_id": d.item_id,
                "capture_id": d.capture_id,
                "processing_level": d.processing_level,
                "scene_id": d.scene_id,
                **actor_columns("created", d.created_by),
                "created_at": d.created_at,
            },
        )
        insert_events(self.conn, d.pending_events)
        d.pending_events.clear()

    def save(self, d: Deliverable) -> None:
        """Write a deliverable's changed state and pending events."""
        self.conn.execute(
            update(t.deliverables).where(t.deliverables.c.id == d.id).values(_state_row(d))
        )
        insert_events(self.conn, d.pending_events)
        d.pending_events.clear()

    def get(self, principal: Principal, deliverable_id: str) -> Deliverable | None:
        """A deliverable by id, if the caller may see it."""
        row = self.conn.execute(
            self.readable(principal).where(t.deliverables.c.id == deliverable_id)
        ).first()
        return _deliverable(row) if row else None

    def owner_of(self, deliverable_id: str) -> str | None:
        """The organisation a deliverable belongs to (for background steps; see orders)."""
        value = self.conn.execute(
            select(t.deliverables.c.organisation_id).where(t.deliverables.c.id == deliverable_id)
        ).scalar()
        return str(value) if value is not None else None

    def asset_paths(self, deliverable_ids: Iterable[str]) -> dict[str, set[str]]:
        """The object keys each known deliverable's assets point at (for housekeeping).

        Deliverables missing from the database are missing from the answer.
        """
        ids = list(deliverable_ids)
        found: dict[str, set[str]] = {}
        for start in range(0, len(ids), 500):
            rows = self.conn.execute(
                select(t.deliverables.c.id, t.deliverables.c.assets).where(
                    t.deliverables.c.id.in_(ids[start : start + 500])
                )
            )
            for row in rows:
                assets = row.assets or {}
                found[str(row.id)] = {str(a.get("path")) for a in assets.values()}
        return found

    def of_item(self, principal: Principal, item_id: str) -> list[Deliverable]:
        """Every deliverable of one order item, oldest first."""
        rows = self.conn.execute(
            self.readable(principal)
            .where(t.deliverables.c.item_id == item_id)
            .order_by(t.deliverables.c.created_at, t.deliverables.c.pk)
        ).all()
        return [_deliverable(r) for r in rows]

    def list(
        self, principal: Principal, query: ListQuery, order_id: str | None = None
    ) -> PageResult[Deliverable]:
        """One page of the caller's deliverables, newest first."""
        stmt = apply_conditions(self.readable(principal), DELIVERABLE_COLUMNS, query)
        if order_id is not None:
            stmt = stmt.where(t.orders.c.id == order_id)
        if query.bbox is not None:
            stmt = stmt.where(intersects_bbox(self.conn, t.deliverables, query.bbox))
        total, rows = page_rows(
            self.conn, stmt, query, t.deliverables.c.created_at.desc(), t.deliverables.c.pk.desc()
        )
        return PageResult(total, [_deliverable(r) for r in rows], query.limit, query.offset)
