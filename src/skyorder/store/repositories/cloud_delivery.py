"""Stored cloud-delivery configurations; each secret sealed on the way in, opened on the way out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.engine import Connection

from skyorder.core.cloud_delivery import CloudDeliveryConfig
from skyorder.core.ids import is_uuid
from skyorder.core.orders import BucketTarget
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import actor_columns, actor_from, scoped
from skyorder.store.sealing import SecretSealer

_C = t.cloud_delivery_configs


class CloudDeliveryRepository:
    """An organisation's cloud-delivery configurations, scoped to the caller's organisation."""

    def __init__(self, conn: Connection, sealer: SecretSealer) -> None:
        self.conn = conn
        self.sealer = sealer

    def add(self, config: CloudDeliveryConfig) -> bool:
        """Insert a configuration; False when the organisation already has one of that name."""
        taken = self.conn.execute(
            select(_C.c.id).where(
                _C.c.organisation_id == config.organisation_id, _C.c.name == config.name
            )
        ).first()
        if taken is not None:
            return False
        target = config.target
        self.conn.execute(
            _C.insert(),
            {
                "id": config.id,
                "organisation_id": config.organisation_id,
                "name": config.name,
                "bucket": target.bucket,
                "prefix": target.prefix,
                "access_key_id": target.access_key_id,
                "secret_access_key": self.sealer.seal(target.secret_access_key),
                "endpoint_url": target.endpoint_url,
                "region": target.region,
                "created_at": config.created_at,
                **actor_columns("created", config.created_by),
            },
        )
        return True

    def get(self, principal: Principal, ref: str) -> CloudDeliveryConfig | None:
        """A configuration by id or name, if it is the caller's organisation's."""
        match = or_(_C.c.id == ref, _C.c.name == ref) if is_uuid(ref) else _C.c.name == ref
        row = self.conn.execute(select(_C).where(scoped(_C, principal), match)).first()
        return self._from(row) if row is not None else None

    def list(self, principal: Principal) -> list[CloudDeliveryConfig]:
        """Every configuration of the caller's organisation, by name."""
        rows = self.conn.execute(select(_C).where(scoped(_C, principal)).order_by(_C.c.name))
        return [self._from(r) for r in rows]

    def _from(self, row: Row[Any]) -> CloudDeliveryConfig:
        return CloudDeliveryConfig(
            id=row.id,
            organisation_id=row.organisation_id,
            name=row.name,
            target=BucketTarget(
                bucket=row.bucket,
                access_key_id=row.access_key_id,
                secret_access_key=self.sealer.unseal(row.secret_access_key),
                prefix=row.prefix,
                endpoint_url=row.endpoint_url,
                region=row.region,
            ),
            created_at=row.created_at,
            created_by=actor_from(row, "created"),
        )
