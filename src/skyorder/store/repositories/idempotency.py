"""Idempotency keys: a retried create returns what the first one made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from skyorder.store import tables as t


@dataclass(frozen=True)
class IdempotencyRecord:
    """What a key was first used for."""

    key: str
    request_hash: str
    order_id: str


_FIND = select(t.idempotency_keys).where(
    t.idempotency_keys.c.organisation_id == bindparam("organisation_id"),
    t.idempotency_keys.c.key == bindparam("key"),
)
"""Built once: a statement made per call costs more to build and key than to run."""


class IdempotencyRepository:
    """Keys are per organisation: two tenants may use the same key."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, organisation_id: str, key: str) -> IdempotencyRecord | None:
        """The record of a key, if it was used."""
        row = self.conn.execute(_FIND, {"organisation_id": organisation_id, "key": key}).first()
        return IdempotencyRecord(row.key, row.request_hash, row.order_id) if row else None

    def add(self, organisation_id: str, record: IdempotencyRecord, at: datetime) -> None:
        """Remember a key (the primary key makes a concurrent duplicate fail)."""
        self.conn.execute(
            t.idempotency_keys.insert(),
            {
                "organisation_id": organisation_id,
                "key": record.key,
                "request_hash": record.request_hash,
                "order_id": record.order_id,
                "created_at": at,
            },
        )
