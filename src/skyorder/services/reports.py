"""Usage reports: what was delivered, billed and charged in a period."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from skyorder.core.deliverables import DeliverableStatus
from skyorder.core.errors import ValidationFailed
from skyorder.core.listing import (
    TEXT_FILTER,
    TIME_FILTER,
    ListQuery,
    choice_filter,
    parse_list_query,
)
from skyorder.core.tenants import Principal
from skyorder.store.repositories.reports import GROUPS, ReportRepository
from skyorder.store.uow import UnitOfWork

REPORT_FILTERS = {
    "delivered_at": TIME_FILTER,
    "contract_id": TEXT_FILTER,
    "project_id": TEXT_FILTER,
    "product": TEXT_FILTER,
    "status": choice_filter([s.value for s in DeliverableStatus]),
}


def parse_report_query(params: Mapping[str, str]) -> tuple[ListQuery, str | None]:
    """The report's filters and its ``group_by`` (``format`` is the front end's business)."""
    group_by = params.get("group_by")
    if group_by is not None and group_by not in GROUPS:
        raise ValidationFailed.on("group_by", f"must be one of {', '.join(GROUPS)}")
    query = parse_list_query(params, REPORT_FILTERS, ignore=frozenset({"group_by", "format"}))
    return query, group_by


def usage_rows(
    new_uow: Callable[..., UnitOfWork], principal: Principal, query: ListQuery
) -> Iterator[dict[str, Any]]:
    """Stream one row per deliverable (the connection stays open while rows are read)."""
    with new_uow(readonly=True) as uow:
        yield from ReportRepository(uow.connection).rows(principal, query)


def usage_totals(
    uow: UnitOfWork, principal: Principal, query: ListQuery, group_by: str
) -> list[dict[str, Any]]:
    """Totals per contract, product, order or month."""
    return ReportRepository(uow.connection).totals(principal, query, group_by)
