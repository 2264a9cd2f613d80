"""DataCosmos's words: field names and the status vocabulary."""

from __future__ import annotations

import pytest

from skyorder.api.compat.datacosmos.wire import field_name, order_status, processing_status
from skyorder.core.orders import OrderStatus
from tests.unit.builders import T0


@pytest.mark.parametrize(
    ("core", "datacosmos"),
    [
        ("items[0].processing_level", "data.order_line_items[0].level"),
        ("items[2].item_id", "data.order_line_items[2].item"),
        ("items[1].collection", "data.order_line_items[1].collection"),
        ("items[0].aoi.coordinates", "data.order_line_items[0].aoi.coordinates"),
        ("items[3]", "data.order_line_items[3]"),
        ("items", "data.order_line_items"),
        ("licences", "licenses"),
        ("licences[1].name", "licenses[1].license_name"),
        ("organisation_number", "organisation"),
        ("contract_number", "contract_id"),
        ("processing_level", "level"),
        ("item_id", "item"),
        ("collection", "collection"),
    ],
)
def test_core_fields_get_datacosmos_names(core: str, datacosmos: str) -> None:
    assert field_name(core) == datacosmos


class _Order:
    def __init__(self, status: OrderStatus) -> None:
        self.status = status
        self.created_at = T0


@pytest.mark.parametrize(
    ("core", "status", "processing"),
    [
        (OrderStatus.PENDING_PAYMENT, "AWAITING_PAYMENT", None),
        (OrderStatus.ACCEPTED, "PAID", "PROCESSING"),
        (OrderStatus.IN_PROGRESS, "PAID", "PROCESSING"),
        (OrderStatus.COMPLETED, "PAID", "DELIVERED"),
        (OrderStatus.PARTIALLY_COMPLETED, "PAID", "PARTIALLY_DELIVERED"),
        (OrderStatus.FAILED, "FAILED", "FAILED"),
        (OrderStatus.CANCELLED, "CANCELLED", None),
        (OrderStatus.REJECTED, "CANCELLED", None),
    ],
)
def test_every_core_order_status_has_a_datacosmos_status(
    core: OrderStatus, status: str, processing: str | None
) -> None:
    order = _Order(core)
    assert order_status(order) == status  # type: ignore[arg-type]
    assert processing_status(order) == processing  # type: ignore[arg-type]
