"""Order items listed across orders (newest first), each with its order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from skyorder.core.item_listing import ItemQuery, ItemType
from skyorder.core.listing import PageResult
from skyorder.core.orders import Order, OrderItem
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import scoped
from skyorder.store.repositories.orders import OrderRepository

_I, _O = t.order_items.c, t.orders.c


def _recurrence_kind() -> Any:
    return _I.spec["tasking"]["recurrence"]["kind"].as_string()


def _type_condition(kind: ItemType) -> Any:
    if kind is ItemType.ARCHIVE:
        return _I.kind == "archive"
    recurring = and_(_recurrence_kind().is_not(None), _recurrence_kind() != "ONCE")
    if kind is ItemType.RECURRING:
        return and_(_I.kind == "tasking", recurring)
    return and_(
        _I.kind == "tasking", or_(_recurrence_kind().is_(None), _recurrence_kind() == "ONCE")
    )


def _area() -> Any:
    clipped = func.nullif(_I.price["clipped_km2"].as_float(), 0.0)
    return func.coalesce(clipped, _I.price["billable_km2"].as_float(), _I.area_km2)


def _conditions(q: ItemQuery) -> list[Any]:
    found: list[Any] = []
    if q.ids:
        found.append(_I.id.in_(q.ids))
    if q.order_ids:
        found.append(_O.id.in_(q.order_ids))
    if q.project_ids:
        found.append(_O.project_id.in_(q.project_ids))
    if q.user_ids:
        found.append(_I.created_by_user_id.in_(q.user_ids))
    if q.created_by:
        emails = [v.lower() for v in q.created_by if "@" in v]
        others = [v for v in q.created_by if "@" not in v]
        found.append(
            or_(
                _I.created_by_user_id.in_(others),
                _I.created_by.in_(others),
                func.lower(_I.created_by_email).in_(emails),
            )
        )
    if q.types:
        found.append(or_(*(_type_condition(k) for k in q.types)))
    if q.statuses is not None:
        found.append(_I.status.in_([s.value for s in q.statuses]))
    if q.created_after is not None:
        found.append(_I.created_at >= q.created_after)
    if q.created_before is not None:
        found.append(_I.created_at <= q.created_before)
    if q.area_min is not None:
        found.append(_area() >= q.area_min)
    if q.area_max is not None:
        found.append(_area() <= q.area_max)
    return found


class OrderItemListing:
    """Reads the caller's order items across orders; scoped like the orders they belong to."""

    def __init__(self, conn: Connection, orders: OrderRepository) -> None:
        self.conn = conn
        self.orders = orders

    def list(self, principal: Principal, q: ItemQuery) -> PageResult[tuple[Order, OrderItem]]:
        """One page of items matching ``q``, newest first, each with its order."""
        base = (
            select(_I.id, _O.id.label("order_id"))
            .select_from(t.order_items.join(t.orders, t.orders.c.pk == _I.order_pk))
            .where(scoped(t.orders, principal, "contract_id"), *_conditions(q))
        )
        total = int(
            self.conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        )
        rows = self.conn.execute(
            base.order_by(_I.created_at.desc(), _I.pk.desc()).limit(q.limit).offset(q.offset)
        ).all()
        loaded: dict[str, Order] = {}
        page: list[tuple[Order, OrderItem]] = []
        for item_id, order_id in rows:
            order = loaded.get(order_id) or self.orders.get(principal, order_id)
            if order is None:
                continue
            loaded[order_id] = order
            item = order.item(item_id)
            if item is not None:
                page.append((order, item))
        return PageResult(total, page, q.limit, q.offset)
