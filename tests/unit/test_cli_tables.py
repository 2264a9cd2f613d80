"""Every table column of the API commands reads a field its wire model has."""

from __future__ import annotations

from typing import Any

import pytest

from skyorder.cli.fulfilment import CAPTURE_COLUMNS, DELIVERABLE_COLUMNS
from skyorder.cli.orders import ORDER_COLUMNS, QUOTE_COLUMNS
from skyorder.cli.output import Column, emit
from skyorder.cli.sandbox import CLOCK_COLUMNS
from skyorder.schemas.billing import QuoteOut
from skyorder.schemas.fulfilment import CaptureOut, DeliverableOut
from skyorder.schemas.orders import OrderOut
from skyorder.schemas.tenants import ClockOut
from tests.unit.test_client_downloads import deliverable
from tests.unit.test_client_session import capture
from tests.unit.test_client_wait import order

QUOTE = {
    "id": "q1",
    "contract_id": "c",
    "currency": "CREDITS",
    "total": 48,
    "created_at": "2026-01-01T00:00:00Z",
    "expires_at": "2026-01-02T00:00:00Z",
    "order_id": None,
    "request": {},
    "items": [
        {
            "sku": "ARC-M.NN.NN",
            "requested_km2": 16.0,
            "clipped_km2": 16.0,
            "billable_km2": 16.0,
            "unit_price": "3",
            "quantity": "1",
            "base_amount": 48,
            "uplifts": [],
            "total": 48,
            "estimated": False,
        }
    ],
}


@pytest.mark.parametrize(
    ("value", "columns"),
    [
        (OrderOut.model_validate(order("completed", "e1")), ORDER_COLUMNS),
        (CaptureOut.model_validate(capture("c1")), CAPTURE_COLUMNS),
        (deliverable("0" * 64), DELIVERABLE_COLUMNS),
        (ClockOut(now="2026-01-01T00:00:00Z", sandbox=True, offset_seconds=0), CLOCK_COLUMNS),
        ("quote", QUOTE_COLUMNS),
    ],
)
def test_a_table_prints_every_column(
    value: Any, columns: list[Column], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    if value == "quote":
        value = QuoteOut.model_validate(QUOTE)
    monkeypatch.setenv("SKYORDER_OUTPUT", "table")
    monkeypatch.setenv("COLUMNS", "300")
    emit([value], columns)
    header = capsys.readouterr().out
    assert all(name in header for name, _ in columns)


def test_piped_output_is_json(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import json

    monkeypatch.setenv("SKYORDER_OUTPUT", "json")
    emit([DeliverableOut.model_validate(deliverable("0" * 64).model_dump())], [])
    assert json.loads(capsys.readouterr().out)[0]["id"] == "d1"


def test_a_table_shows_times_in_utc_to_the_second(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import datetime, timedelta, timezone

    when = datetime(2026, 12, 8, 10, 7, 59, 506331, tzinfo=timezone(timedelta(hours=-3)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKYORDER_OUTPUT", "table")
        emit({"at": when}, [("at", lambda r: r["at"])])
    assert "2026-12-08T13:07:59Z" in capsys.readouterr().out
