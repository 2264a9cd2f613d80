"""Usage reports (CSV or JSON), streamed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.paging import query_params
from skyorder.core.errors import ValidationFailed
from skyorder.facade.reports import REPORT_COLUMNS

router = APIRouter(prefix="/v1/reports", tags=["reports"])

_DOC = {
    "parameters": [
        {"name": n, "in": "query", "schema": {"type": "string"}}
        for n in (
            "delivered_at__gte",
            "delivered_at__lt",
            "contract_id",
            "project_id",
            "product",
            "status",
            "format",
            "group_by",
        )
    ]
}


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _csv(rows: Iterator[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else _text(row[c]) for c in columns])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield '{"results": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + json.dumps({k: _text(v) for k, v in row.items()})
    yield "]}"


@router.get("/usage", openapi_extra=_DOC)
def usage(request: Request, facade: FacadeDep, principal: PrincipalDep) -> Any:
    """The accounting report: one row per delivered deliverable in the period.

    Columns: contract name, order name, order id, project name, SKU, product
    name, capture time, capture id, scene id, status, delivered at, billable
    quantity (km²), amount charged and currency. Filter with
    ``delivered_at__gte`` / ``delivered_at__lt``, ``contract_id``,
    ``project_id``, ``product``; ``format=csv`` (default) or ``json``;
    ``group_by=contract|product|order|month`` for totals instead of rows.
    Rows are streamed: memory stays flat however long the period.
    """
    params = query_params(request)
    fmt = params.get("format", "csv")
    if fmt not in ("csv", "json"):
        raise ValidationFailed.on("format", "must be csv or json")
    query, group_by = facade.reports.parse_query(params)
    if group_by is not None:
        totals = facade.reports.usage_totals(principal, query, group_by)
        if fmt == "json":
            return JSONResponse({"group_by": group_by, "results": totals})
        cols = (group_by, "deliverables", "billable_quantity", "amount_charged", "currency")
        return StreamingResponse(_csv(iter(totals), cols), media_type="text/csv")
    rows = facade.reports.usage_rows(principal, query)
    if fmt == "json":
        return StreamingResponse(_json(rows), media_type="application/json")
    return StreamingResponse(
        _csv(rows, REPORT_COLUMNS),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="usage.csv"'},
    )
