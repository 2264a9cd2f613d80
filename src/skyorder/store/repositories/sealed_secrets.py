"""The sweep that keeps every stored secret sealed with the first key.

At start-up and by ``skyorder admin rotate-secrets-key``: plain-text secrets (written
before sealing existed) are sealed, and secrets sealed with an older key are sealed
again with the first one. The ``secret_seal`` row records the key of the last complete
sweep, so a start with the same first key reads one row and sweeps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from skyorder.store import tables as t
from skyorder.store.sealing import SecretSealer

SUBS = t.webhook_subscriptions
CONFIGS = t.cloud_delivery_configs
_STATE_ID = 1


@dataclass(frozen=True)
class Resealed:
    """What a sweep did: how many secrets it (re)sealed, of how many, and with which key."""

    key_id: str
    resealed: int
    stored: int


class SealedSecretRepository:
    """Reads and rewrites every stored secret, for the platform (no tenant: a maintenance job)."""

    def __init__(self, conn: Connection, sealer: SecretSealer) -> None:
        self.conn = conn
        self.sealer = sealer

    def swept_with(self) -> str | None:
        """The key id of the last complete sweep (``None``: never swept)."""
        return self.conn.execute(
            select(t.secret_seal.c.key_id).where(t.secret_seal.c.id == _STATE_ID)
        ).scalar()

    def sweep(self, *, force: bool = False) -> Resealed:
        """Seal every stored secret with the first key, unless the last sweep already did.

        Idempotent: a secret already sealed with the first key is left as it is.

        Raises:
            SecretKeysUnusable: a stored secret was sealed with a key not in the keyring.
        """
        primary = self.sealer.keyring.primary_id
        if not force and self.swept_with() == primary:
            return Resealed(primary, 0, 0)
        stored = resealed = 0
        for table, key, column in (
            (SUBS, SUBS.c.pk, SUBS.c.secret),
            (CONFIGS, CONFIGS.c.id, CONFIGS.c.secret_access_key),
        ):
            for pk, secret in self.conn.execute(select(key, column)).all():
                stored += 1
                new = self.sealer.reseal(secret)
                if new is not None:
                    self.conn.execute(update(table).where(key == pk).values({column.name: new}))
                    resealed += 1
        o = t.orders
        pushed = select(o.c.pk, o.c.delivery).where(o.c.delivery["method"].as_string() == "s3")
        for pk, delivery in self.conn.execute(pushed).all():
            bucket = dict(delivery.get("bucket") or {})
            if not bucket.get("secret_access_key"):
                continue
            stored += 1
            new = self.sealer.reseal(bucket["secret_access_key"])
            if new is not None:
                bucket["secret_access_key"] = new
                self.conn.execute(
                    update(o).where(o.c.pk == pk).values(delivery={**delivery, "bucket": bucket})
                )
                resealed += 1
        self._record(primary)
        return Resealed(primary, resealed, stored)

    def _record(self, key_id: str) -> None:
        # An upsert: processes starting together may both sweep (the result is the same).
        insert = postgresql_insert if self.conn.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(t.secret_seal).values(id=_STATE_ID, key_id=key_id)
        self.conn.execute(
            stmt.on_conflict_do_update(index_elements=["id"], set_={"key_id": key_id})
        )
