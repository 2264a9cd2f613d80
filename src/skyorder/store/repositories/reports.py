"""Usage reports computed in the database and streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import BigInteger, Float, String, cast, func, literal_column, select
from sqlalchemy.engine import Connection

from skyorder.core.listing import ListQuery
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import apply_conditions, scoped

REPORT_COLUMNS = (
    "contract_name",
    "order_name",
    "order_id",
    "project_name",
    "sku",
    "product_name",
    "capture_time",
    "capture_id",
    "scene_id",
    "status",
    "delivered_at",
    "billable_quantity",
    "amount_charged",
    "currency",
)

FILTER_COLUMNS = {
    "delivered_at": t.deliverables.c.delivered_at,
    "contract_id": t.deliverables.c.contract_id,
    "project_id": t.orders.c.project_id,
    "product": t.order_items.c.product,
    "status": t.deliverables.c.status,
}

GROUPS = ("contract", "product", "order", "month")


class ReportRepository:
    """The accounting report of 000_…: one row per deliverable, or totals per group."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _charged(self) -> Any:
        return (
            select(cast(func.coalesce(func.sum(t.ledger_entries.c.amount), 0), BigInteger))
            .where(
                t.ledger_entries.c.deliverable_id == t.deliverables.c.id,
                t.ledger_entries.c.account == "spent",
            )
            .scalar_subquery()
        )

    def _base(self, principal: Principal, query: ListQuery) -> Any:
        d, o, i, c = t.deliverables, t.orders, t.order_items, t.captures
        billable = func.coalesce(d.c.billing_details["billable_sqkm"].as_float(), 0.0)
        stmt = (
            select(
                t.contracts.c.name.label("contract_name"),
                o.c.name.label("order_name"),
                o.c.number.label("order_id"),
                t.projects.c.name.label("project_name"),
                i.c.product.label("sku"),
                t.products.c.name.label("product_name"),
                c.c.start.label("capture_time"),
                d.c.capture_id.label("capture_id"),
                d.c.metadata["scene_id"].as_string().label("scene_id"),
                d.c.status.label("status"),
                d.c.delivered_at.label("delivered_at"),
                billable.label("billable_quantity"),
                self._charged().label("amount_charged"),
                t.contracts.c.currency.label("currency"),
            )
            .select_from(d)
            .join(o, o.c.pk == d.c.order_pk)
            .join(i, i.c.id == d.c.item_id)
            .join(t.contracts, t.contracts.c.id == d.c.contract_id)
            .outerjoin(t.projects, t.projects.c.id == o.c.project_id)
            .outerjoin(t.products, t.products.c.sku == i.c.product)
            .outerjoin(c, c.c.id == d.c.capture_id)
            .where(scoped(d, principal, "contract_id"), d.c.delivered_at.is_not(None))
        )
        return apply_conditions(stmt, FILTER_COLUMNS, query)

    def rows(self, principal: Principal, query: ListQuery) -> Iterator[dict[str, Any]]:
        """Every deliverable row in the period, oldest delivery first, fetched in batches."""
        stmt = self._base(principal, query).order_by(
            t.deliverables.c.delivered_at, t.deliverables.c.pk
        )
        result = self.conn.execution_options(stream_results=True, yield_per=500).execute(stmt)
        for row in result:
            yield dict(row._mapping)

    def totals(self, principal: Principal, query: ListQuery, group_by: str) -> list[dict[str, Any]]:
        """Deliverable count, billable km² and amount charged per group."""
        base = self._base(principal, query).subquery()
        if group_by == "month":
            if self.conn.dialect.name == "postgresql":
                key: Any = func.to_char(base.c.delivered_at, "YYYY-MM")
            else:
                key = func.strftime("%Y-%m", base.c.delivered_at)
        else:
            key = {
                "contract": base.c.contract_name,
                "product": base.c.sku,
                "order": base.c.order_id,
            }[group_by]
        stmt = (
            select(
                cast(key, String).label(group_by),
                func.count().label("deliverables"),
                cast(func.sum(base.c.billable_quantity), Float).label("billable_quantity"),
                cast(func.sum(base.c.amount_charged), BigInteger).label("amount_charged"),
                func.max(base.c.currency).label("currency"),
            )
            .group_by(literal_column("1"))
            .order_by(literal_column("1"))
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]
