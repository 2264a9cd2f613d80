"""Small valid domain objects that the unit tests tweak."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from skyorder.core.captures import Capture, CaptureStatus
from skyorder.core.deliverables import Deliverable, DeliverableStatus
from skyorder.core.ids import new_id
from skyorder.core.order_requests import ArchiveItemRequest, OrderRequest, TaskingItemRequest
from skyorder.core.orders import ItemStatus, Order, OrderItem, OrderStatus, Priority
from skyorder.core.products import ItemKind
from skyorder.core.tenants import Billing, Contract, PaymentMode

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

SQUARE: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [[[1.40, 43.59], [1.40, 43.63], [1.50, 43.63], [1.50, 43.59], [1.40, 43.59]]],
}
POINT: dict[str, Any] = {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}


def square() -> dict[str, Any]:
    """A fresh copy of a small valid polygon near Toulouse."""
    return copy.deepcopy(SQUARE)


def point() -> dict[str, Any]:
    """A fresh copy of a valid point."""
    return copy.deepcopy(POINT)


def make_contract(**overrides: Any) -> Contract:
    values: dict[str, Any] = {
        "id": "con-1",
        "organisation_id": "org-1",
        "name": "Acme contract",
        "billing": Billing.CREDITS,
        "currency": "CREDITS",
        "payment_mode": PaymentMode.BALANCE,
        "allowed_products": [],
        "valid_from": T0 - timedelta(days=30),
        "valid_until": None,
        "created_at": T0 - timedelta(days=30),
    }
    values.update(overrides)
    return Contract(**values)


def tasking(**overrides: Any) -> TaskingItemRequest:
    values: dict[str, Any] = {
        "product": "TSKRSH-M.NN.NN",
        "aoi": point(),
        "window_start": T0 + timedelta(days=1),
        "window_end": T0 + timedelta(days=15),
        "max_off_nadir": 30.0,
        "max_cloud_cover": 20.0,
        "priority": Priority.RUSH,
        "revisit_period": "P1D",
        "processing_levels": ("L1B", "L1D_SR"),
    }
    values.update(overrides)
    return TaskingItemRequest(**values)


def archive(**overrides: Any) -> ArchiveItemRequest:
    values: dict[str, Any] = {
        "collection": "phr",
        "item_id": "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724",
        "processing_level": "ORTHO",
        "aoi": square(),
        "options": {"product_type": "pansharpened", "radiometric_processing": "DISPLAY"},
    }
    values.update(overrides)
    return ArchiveItemRequest(**values)


def order_request(*items: Any, name: str = "Mar del Plata Airport") -> OrderRequest:
    return OrderRequest(name=name, items=tuple(items) if items else (tasking(),))


def make_item(status: ItemStatus = ItemStatus.PENDING) -> OrderItem:
    return OrderItem(
        id=new_id(),
        kind=ItemKind.TASKING,
        product="TSKRSH-M.NN.NN",
        status=status,
        aoi=point(),
        options={},
        created_at=T0,
        updated_at=T0,
    )


def make_order(
    status: OrderStatus = OrderStatus.PENDING_PAYMENT, items: list[OrderItem] | None = None
) -> Order:
    return Order(
        id=new_id(),
        number="000042",
        organisation_id="org-1",
        contract_id="con-1",
        project_id=None,
        name="An order",
        status=status,
        items=items if items is not None else [make_item()],
        created_at=T0,
        updated_at=T0,
    )


def make_capture(status: CaptureStatus = CaptureStatus.PLANNED) -> Capture:
    return Capture(
        id=new_id(),
        organisation_id="org-1",
        order_id="ord-1",
        order_number="000042",
        item_id="item-1",
        satellite="MICRO-1",
        start=T0 + timedelta(days=1),
        end=T0 + timedelta(days=1, seconds=30),
        status=status,
        priority=Priority.STANDARD,
        ground_track=None,
        footprint=None,
        created_at=T0,
        updated_at=T0,
    )


def make_deliverable(status: DeliverableStatus = DeliverableStatus.PROCESSING) -> Deliverable:
    return Deliverable(
        id=new_id(),
        organisation_id="org-1",
        contract_id="con-1",
        order_id="ord-1",
        order_number="000042",
        item_id="item-1",
        capture_id=None,
        processing_level="L1B",
        status=status,
        footprint=None,
        created_at=T0,
        updated_at=T0,
    )
