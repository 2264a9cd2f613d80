"""Stored cloud-delivery configurations; each secret sealed on the way in, opened on the way out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, or_, select, update
from sqlalchemy.engine import Connection

from skyorder.core.cloud_delivery import CloudDeliveryConfig
from skyorder.core.ids import is_uuid
from skyorder.core.orders import ORDER_STATES, BucketTarget, OrderStatus
from skyorder.core.steps import StepKind
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import actor_columns, actor_from, scoped
from skyorder.store.sealing import SecretSealer

_C = t.cloud_delivery_configs
_I = t.order_items.c
_OPEN = [s.value for s in OrderStatus if not ORDER_STATES.is_terminal(s)]


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

    def users_of(self, config: CloudDeliveryConfig, limit: int = 5) -> tuple[str, ...]:
        """Numbers of the orders that may still push to ``config``: open ones (drafts too),
        and ended ones with a push still due. At most ``limit``; none: it is free to delete.
        """
        pushes = (
            select(t.deliverables.c.item_id)
            .join(t.agenda, t.agenda.c.entity_id == t.deliverables.c.id)
            .where(
                t.agenda.c.kind == StepKind.DELIVERABLE_PUSH.value,
                t.agenda.c.state == "due",
                t.deliverables.c.organisation_id == config.organisation_id,
            )
        )
        rows = self.conn.execute(
            select(t.orders.c.number)
            .join(t.order_items, _I.order_pk == t.orders.c.pk)
            .where(
                _I.cloud_config_id == config.id,
                _I.organisation_id == config.organisation_id,
                or_(t.orders.c.status.in_(_OPEN), _I.id.in_(pushes)),
            )
            .distinct()
            .order_by(t.orders.c.number)
            .limit(limit)
        )
        return tuple(r.number for r in rows)

    def delete(self, config: CloudDeliveryConfig) -> None:
        """Remove a configuration (the caller checked that no open order uses it)."""
        self.conn.execute(
            delete(_C).where(_C.c.id == config.id, _C.c.organisation_id == config.organisation_id)
        )

    def rename(self, config: CloudDeliveryConfig, name: str) -> bool:
        """Give a configuration a new name, shown by every order naming it; False when taken."""
        taken = self.conn.execute(
            select(_C.c.id).where(
                _C.c.organisation_id == config.organisation_id, _C.c.name == name,
                _C.c.id != config.id,
            )
        ).first()  # fmt: skip
        if taken is not None:
            return False
        self.conn.execute(update(_C).where(_C.c.id == config.id).values(name=name))
        self._rename_references(config, name)
        return True

    def _rename_references(self, config: CloudDeliveryConfig, name: str) -> None:
        """Orders and items keep the name they show beside the id; they show the new one."""
        rows = self.conn.execute(
            select(_I.id, _I.cloud_delivery, _I.order_pk).where(
                _I.cloud_config_id == config.id, _I.organisation_id == config.organisation_id
            )
        ).all()
        for item_id, own, _ in rows:
            if own and own.get("config") == config.id:
                self.conn.execute(
                    update(t.order_items)
                    .where(_I.id == item_id)
                    .values(cloud_delivery={**own, "name": name})
                )
        order_pks = {pk for _, _, pk in rows}
        for pk, delivery in self.conn.execute(
            select(t.orders.c.pk, t.orders.c.delivery).where(t.orders.c.pk.in_(order_pks))
        ).all():
            cloud = (delivery or {}).get("cloud")
            if cloud and cloud.get("config") == config.id:
                self.conn.execute(
                    update(t.orders)
                    .where(t.orders.c.pk == pk)
                    .values(delivery={**delivery, "cloud": {**cloud, "name": name}})
                )

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
