"""km² subscriptions and what orders drew from them, scoped to the caller's organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.engine import Connection

from skyorder.core.subscriptions import Consumption, Subscription
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import scoped

subs = t.km2_subscriptions
draws = t.subscription_draws


def _subscription(r: Row[Any]) -> Subscription:
    return Subscription(
        id=r.id,
        organisation_id=r.organisation_id,
        contract_id=r.contract_id,
        quota_km2=float(r.quota_km2),
        period_months=int(r.period_months),
        starts_at=r.starts_at,
        created_at=r.created_at,
        ends_at=r.ends_at,
    )


class SubscriptionRepository:
    """Subscriptions, their draws and their consumption per period."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, s: Subscription) -> None:
        """Keep a new subscription."""
        self.conn.execute(
            subs.insert().values(
                id=s.id,
                organisation_id=s.organisation_id,
                contract_id=s.contract_id,
                quota_km2=s.quota_km2,
                period_months=s.period_months,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                created_at=s.created_at,
            )
        )

    def get(self, principal: Principal, subscription_id: str) -> Subscription | None:
        """One of the caller's subscriptions."""
        row = self.conn.execute(
            select(subs).where(scoped(subs, principal), subs.c.id == subscription_id)
        ).first()
        return _subscription(row) if row else None

    def of_contract(self, principal: Principal, contract_id: str) -> list[Subscription]:
        """The subscriptions of one of the caller's contracts, oldest first."""
        rows = self.conn.execute(
            select(subs)
            .where(scoped(subs, principal), subs.c.contract_id == contract_id)
            .order_by(subs.c.pk)
        ).all()
        return [_subscription(r) for r in rows]

    def consumption(self, s: Subscription, now: datetime) -> Consumption:
        """The period ``now`` falls in and what orders drew from it."""
        start, end = s.period(now)
        used = self.conn.execute(
            select(func.coalesce(func.sum(draws.c.km2), 0.0)).where(
                draws.c.subscription_id == s.id,
                draws.c.period_start == start,
                draws.c.given_back_at.is_(None),
            )
        ).scalar_one()
        return Consumption(s, start, end, round(float(used), 6))

    def draw(
        self, s: Subscription, order_id: str, km2: float, period_start: datetime, at: datetime
    ) -> None:
        """Record that an order drew ``km2`` from the period starting at ``period_start``."""
        self.conn.execute(
            draws.insert().values(
                subscription_id=s.id,
                organisation_id=s.organisation_id,
                order_id=order_id,
                period_start=period_start,
                km2=km2,
                created_at=at,
            )
        )

    def drawn_by(self, order_id: str) -> str | None:
        """The subscription an order drew from (None: it was paid otherwise)."""
        value = self.conn.execute(
            select(draws.c.subscription_id).where(draws.c.order_id == order_id)
        ).scalar()
        return str(value) if value is not None else None

    def give_back(self, order_id: str, at: datetime) -> bool:
        """Give an order's km² back to its period (once); False if it drew nothing."""
        done = self.conn.execute(
            update(draws)
            .where(draws.c.order_id == order_id, draws.c.given_back_at.is_(None))
            .values(given_back_at=at)
        )
        return done.rowcount > 0
