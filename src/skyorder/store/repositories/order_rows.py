"""Orders and their items as rows: what is stored for each, and how it is read back."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from skyorder.core.errors import FieldError
from skyorder.core.licences import AcceptedLicence
from skyorder.core.orders import (
    ArchiveImage,
    ArchiveSpec,
    BucketTarget,
    CloudConfigRef,
    Delivery,
    DeliveryMethod,
    FeasibilityStatus,
    ItemStatus,
    Order,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    Priority,
    Recurrence,
    RecurrenceKind,
    TaskingSpec,
)
from skyorder.core.pricing import line_from_json, line_to_json
from skyorder.core.products import ItemKind
from skyorder.store import tables as t
from skyorder.store.repositories.base import (
    actor_columns,
    actor_from,
    bbox_columns,
    event_from_json,
    event_json,
)
from skyorder.store.sealing import SecretSealer


def spec_json(item: OrderItem) -> dict[str, Any]:
    """The stored form of an item's archive or tasking spec."""
    if item.archive is not None:
        return {"archive": asdict(item.archive)}
    assert item.tasking is not None
    spec = item.tasking
    return {
        "tasking": {
            "window_start": spec.window_start.isoformat(),
            "window_end": spec.window_end.isoformat(),
            "max_off_nadir": spec.max_off_nadir,
            "max_cloud_cover": spec.max_cloud_cover,
            "priority": spec.priority.value,
            "revisit_period": spec.revisit_period,
            "recurrence": (
                {"kind": spec.recurrence.kind.value, "occurrences": spec.recurrence.occurrences}
                if spec.recurrence
                else None
            ),
            "processing_levels": list(spec.processing_levels),
            "feasibility_status": spec.feasibility_status.value,
            "last_feasibility_check": (
                spec.last_feasibility_check.isoformat() if spec.last_feasibility_check else None
            ),
            "min_off_nadir": spec.min_off_nadir,
        }
    }


def spec_from(data: dict[str, Any]) -> tuple[ArchiveSpec | None, TaskingSpec | None]:
    """An item's archive or tasking spec from its stored form."""
    if "archive" in data:
        a = data["archive"]
        more = tuple(ArchiveImage(m["item_id"], m.get("aoi")) for m in a.get("more") or ())
        return ArchiveSpec(a["collection"], a["item_id"], a["processing_level"], more), None
    s = data["tasking"]
    rec = s.get("recurrence")
    check = s.get("last_feasibility_check")
    return None, TaskingSpec(
        window_start=datetime.fromisoformat(s["window_start"]),
        window_end=datetime.fromisoformat(s["window_end"]),
        max_off_nadir=s.get("max_off_nadir"),
        max_cloud_cover=s.get("max_cloud_cover"),
        priority=Priority(s["priority"]),
        revisit_period=s.get("revisit_period"),
        recurrence=Recurrence(RecurrenceKind(rec["kind"]), rec["occurrences"]) if rec else None,
        processing_levels=tuple(s.get("processing_levels") or ()),
        feasibility_status=FeasibilityStatus(s.get("feasibility_status", "UNSPECIFIED")),
        last_feasibility_check=datetime.fromisoformat(check) if check else None,
        min_off_nadir=s.get("min_off_nadir"),
    )


def item_row(item: OrderItem) -> dict[str, Any]:
    """The columns an item's change writes."""
    return {
        **actor_columns("updated", item.updated_by),
        "status": item.status.value,
        "spec": spec_json(item),
        "area_km2": item.area_km2,
        "price": line_to_json(item.price) if item.price else None,
        "updated_at": item.updated_at,
        "latest_event": event_json(item.latest_event),
        "aoi": item.aoi,
        **bbox_columns(item.aoi),
        "validation_errors": [
            {"field": e.field, "message": e.message} for e in item.validation_errors
        ]
        or None,
    }


def item_from(row: Any) -> OrderItem:
    """An item from its row (or from the item columns of a joined row)."""
    archive, tasking = spec_from(row.spec)
    return OrderItem(
        id=row.id,
        kind=ItemKind(row.kind),
        product=row.product,
        status=ItemStatus(row.status),
        aoi=row.aoi,
        options=dict(row.options or {}),
        archive=archive,
        tasking=tasking,
        area_km2=row.area_km2,
        price=line_from_json(row.price) if row.price else None,
        name=row.name,
        validation_errors=tuple(
            FieldError(e["field"], e["message"]) for e in row.validation_errors or ()
        ),
        created_by=actor_from(row, "created"),
        updated_by=actor_from(row, "updated"),
        created_at=row.created_at,
        updated_at=row.updated_at,
        latest_event=event_from_json(row.latest_event),
        task_id=row.task_id,
        cloud=CloudConfigRef(**row.cloud_delivery) if row.cloud_delivery else None,
    )


def item_cloud_columns(order: Order, item: OrderItem) -> dict[str, Any]:
    """An item's own configuration and the one its products go to (its own or the order's)."""
    pushed_to = order.cloud_for(item)
    return {
        "cloud_delivery": asdict(item.cloud) if item.cloud is not None else None,
        # A draft may name a configuration its organisation lacks (no id: not resolved).
        "cloud_config_id": pushed_to.config if pushed_to and pushed_to.name else None,
    }


def delivery_json(delivery: Delivery, sealer: SecretSealer) -> dict[str, Any]:
    """The stored form of an order's delivery request (the bucket secret sealed)."""
    data: dict[str, Any] = {"method": delivery.method.value}
    if delivery.cloud is not None:
        data["cloud"] = asdict(delivery.cloud)
    if delivery.bucket is not None:
        bucket = asdict(delivery.bucket)
        bucket["secret_access_key"] = sealer.seal(delivery.bucket.secret_access_key)
        data["bucket"] = bucket
    return data


def delivery_from_json(data: dict[str, Any] | None, sealer: SecretSealer) -> Delivery:
    """An order's delivery request from its stored form (the bucket secret opened)."""
    data = data or {}
    bucket = data.get("bucket")
    if isinstance(bucket, dict):
        secret = sealer.unseal(bucket.get("secret_access_key") or "")
        target: BucketTarget | None = BucketTarget(**{**bucket, "secret_access_key": secret})
    else:
        target = None
    cloud = data.get("cloud")
    ref = CloudConfigRef(**cloud) if isinstance(cloud, dict) else None
    return Delivery(DeliveryMethod(data.get("method", "api")), target, ref)


def order_from(row: Row[Any], items: list[OrderItem], sealer: SecretSealer) -> Order:
    """An order from its row and its items."""
    return Order(
        id=row.id,
        number=row.number,
        organisation_id=row.organisation_id,
        contract_id=row.contract_id,
        project_id=row.project_id,
        name=row.name,
        status=OrderStatus(row.status),
        items=items,
        delivery=delivery_from_json(row.delivery, sealer),
        created_by=actor_from(row, "created"),
        updated_by=actor_from(row, "updated"),
        created_at=row.created_at,
        updated_at=row.updated_at,
        latest_event=event_from_json(row.latest_event),
        quote_id=row.quote_id,
        currency=row.currency,
        total_amount=row.total_amount,
        payment_status=PaymentStatus(row.payment_status or "not_required"),
        licences=tuple(AcceptedLicence.from_json(lic) for lic in row.licences or []),
    )


def order_state(order: Order) -> dict[str, Any]:
    """The columns an order's change writes."""
    return {
        **actor_columns("updated", order.updated_by),
        "status": order.status.value,
        "updated_at": order.updated_at,
        "latest_event": event_json(order.latest_event),
        "quote_id": order.quote_id,
        "currency": order.currency,
        "total_amount": order.total_amount,
        "payment_status": order.payment_status.value,
    }


ITEM_LABELS = [c.label(f"item_{c.name}") for c in t.order_items.c]
ItemColumns: Any = namedtuple(  # type: ignore[misc]  # noqa: PYI024
    "ItemColumns", [c.name for c in t.order_items.c]
)
"""An order item's columns, cut from a row that joins orders and items (items last)."""
FIRST_ITEM_COLUMN = len(t.orders.c)
