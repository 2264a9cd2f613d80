"""The usage report: the accounting report of delivered deliverables, built by the server."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from skyorder.client.session import Session
from skyorder.schemas.reports import UsageReport, UsageRow

COLUMNS = tuple(UsageRow.model_fields)
"""The report's columns, in order."""


@dataclass(frozen=True)
class Usage:
    """The rows of a usage report, writable as the CSV the accounting report shows."""

    rows: list[UsageRow]

    def __iter__(self) -> Iterator[UsageRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_csv(self, path: str | Path) -> Path:
        """Write the report as CSV (a header row, then one row per deliverable)."""
        target = Path(path)
        with target.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            for row in self.rows:
                data = row.model_dump(mode="json")
                writer.writerow({k: "" if v is None else v for k, v in data.items()})
        return target

    def total_billable(self) -> float:
        """The billable quantity (km²) of every row."""
        return sum(r.billable_quantity or 0.0 for r in self.rows)


class ReportsClient:
    """``/v1/reports``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def usage(
        self,
        start: date | str,
        end: date | str,
        *,
        contract_id: str | None = None,
        project_id: str | None = None,
        product: str | None = None,
    ) -> Usage:
        """One row per deliverable delivered from ``start`` (inclusive) to ``end`` (exclusive)."""
        params = {
            "format": "json",
            "delivered_at__gte": start,
            "delivered_at__lt": end,
            "contract_id": contract_id,
            "project_id": project_id,
            "product": product,
        }
        report = await self._s.get("/v1/reports/usage", UsageReport, params)
        return Usage(report.results)
