"""The usage report: one row per deliverable, as ``GET /v1/reports/usage?format=json`` sends it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class UsageRow(BaseModel):
    """One delivered deliverable and what it bills: the columns of the accounting report."""

    contract_name: str | None = None
    order_name: str | None = None
    order_id: str | None = None
    project_name: str | None = None
    sku: str | None = None
    product_name: str | None = None
    capture_time: datetime | None = None
    capture_id: str | None = None
    scene_id: str | None = None
    status: str | None = None
    delivered_at: datetime | None = None
    billable_quantity: float | None = None
    amount_charged: int | None = None
    currency: str | None = None


class UsageReport(BaseModel):
    """The report's JSON body."""

    results: list[UsageRow]
