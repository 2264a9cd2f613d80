"""STAPI opportunity search records (asynchronous searches), scoped to their organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.engine import Connection

from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import scoped


@dataclass(frozen=True)
class SearchRecord:
    """One opportunity search: what was asked, its status, and what it found."""

    id: str
    organisation_id: str
    product_id: str
    request: dict[str, Any]
    status: str
    reason: str | None
    result: list[dict[str, Any]] | None
    created_at: datetime
    updated_at: datetime


def _record(row: Row[Any]) -> SearchRecord:
    return SearchRecord(
        row.id, row.organisation_id, row.product_id, dict(row.request), row.status, row.reason,
        list(row.result) if row.result is not None else None, row.created_at, row.updated_at,
    )  # fmt: skip


class OpportunitySearchRepository:
    """Adds and reads search records; every read is scoped to the caller's organisation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, record: SearchRecord) -> None:
        """Store a search record."""
        self.conn.execute(
            t.opportunity_searches.insert(),
            {
                "id": record.id,
                "organisation_id": record.organisation_id,
                "product_id": record.product_id,
                "request": record.request,
                "status": record.status,
                "reason": record.reason,
                "result": record.result,
                "created_at": record.created_at,
                "updated_at": record.updated_at,
            },
        )

    def get(self, principal: Principal, search_id: str) -> SearchRecord | None:
        """A search of the caller's organisation."""
        row = self.conn.execute(
            select(t.opportunity_searches).where(
                scoped(t.opportunity_searches, principal),
                t.opportunity_searches.c.id == search_id,
            )
        ).first()
        return _record(row) if row else None

    def list(self, principal: Principal, limit: int) -> list[SearchRecord]:
        """The caller's latest searches, newest first."""
        rows = self.conn.execute(
            select(t.opportunity_searches)
            .where(scoped(t.opportunity_searches, principal))
            .order_by(t.opportunity_searches.c.pk.desc())
            .limit(limit)
        ).all()
        return [_record(r) for r in rows]
