"""Usage reports: one row per delivered deliverable, or totals."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from skyorder.core.listing import ListQuery
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.services import reports as service
from skyorder.store.repositories.reports import REPORT_COLUMNS

__all__ = ["REPORT_COLUMNS", "Reports"]


class Reports(Resource):
    """The caller's usage, for reconciling what was billed."""

    @staticmethod
    def parse_query(params: Mapping[str, str]) -> tuple[ListQuery, str | None]:
        """A report's filters and its ``group_by``, from query parameters."""
        return service.parse_report_query(params)

    def usage_rows(self, principal: Principal, query: ListQuery) -> Iterator[dict[str, Any]]:
        """Stream one row per deliverable (a connection stays open while rows are read)."""
        return service.usage_rows(self._rt.uow, principal, query)

    def usage_totals(
        self, principal: Principal, query: ListQuery, group_by: str
    ) -> list[dict[str, Any]]:
        """Totals per contract, product, order or month."""
        with self._rt.uow(readonly=True) as uow:
            return service.usage_totals(uow, principal, query, group_by)
