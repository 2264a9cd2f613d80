"""Core order items, their tasks and money in Pixxel's words.

Enum values are Pixxel's; what does not apply to an item says ``NOT_APPLICABLE`` where the
document lists that value (delivery speed, feasibility, recurrence for archive items) and
is null or empty otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime

from skyorder.api.compat.pixxel.wire import (
    BandOut,
    BandsetOut,
    CloudDeliveryOut,
    ImageOut,
    OccurrenceOut,
    OrderItemOut,
    TaskOut,
    UpliftOut,
)
from skyorder.core.bandsets import item_bandset
from skyorder.core.item_listing import ItemRecord, item_area_km2, item_type
from skyorder.core.orders import (
    DeliveryMethod,
    ItemStatus,
    Order,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    RecurrenceKind,
)
from skyorder.core.recurrence import item_occurrences
from skyorder.core.tasks import Task
from skyorder.core.users import Actor

NOT_APPLICABLE = "NOT_APPLICABLE"

ITEM_STATUS = {
    ItemStatus.DRAFT: "DRAFT",
    ItemStatus.PENDING: "ACTIVE",
    ItemStatus.ACTIVE: "ACTIVE",
    ItemStatus.COMPLETED: "COMPLETED",
    ItemStatus.PARTIALLY_COMPLETED: "PARTIALLY_COMPLETED",
    ItemStatus.FAILED: "FAILED",
    ItemStatus.EXPIRED: "FAILED",
    ItemStatus.CANCELLED: "CANCELLED",
}
"""Pixxel's item statuses; an item awaiting payment is active (and UNPAID)."""

STATUS_FILTER: dict[str, tuple[ItemStatus, ...]] = {
    wire: tuple(s for s, w in ITEM_STATUS.items() if w == wire)
    for wire in dict.fromkeys(ITEM_STATUS.values())
}

PAYMENT_STATUS = {
    PaymentStatus.NOT_REQUIRED: "PAID",
    PaymentStatus.PAID: "PAID",
    PaymentStatus.UNPAID: "UNPAID",
    PaymentStatus.PARTIAL_REFUND: "PARTIAL-REFUND",
    PaymentStatus.REFUNDED: "REFUND",
    PaymentStatus.PARTIAL_MONTHLY: "PARTIAL-MONTHLY",
}


def stamp(at: datetime | None) -> str | None:
    """An RFC 3339 UTC timestamp with microseconds, as Pixxel writes them."""
    if at is None:
        return None
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def day_stamp(at: datetime | None) -> str | None:
    """A UTC date as Pixxel writes a task's dates (``25-05-2024``)."""
    return at.astimezone(UTC).strftime("%d-%m-%Y") if at is not None else None


def _who(actor: Actor | None) -> str | None:
    return (actor.user_id or actor.client_id) if actor is not None else None


def task_out(task: Task) -> TaskOut:
    """One task."""
    return TaskOut(
        created_at=stamp(task.created_at) or "",
        created_by=_who(task.created_by),
        delivery_status=task.delivery_status,
        end_date=day_stamp(task.end),
        id=task.id,
        number_of_strips=task.number_of_strips,
        order_item_id=task.item_id,
        start_date=day_stamp(task.start),
        status=task.status.value,
        tokens_used=task.tokens_used,
        transaction_id=task.transaction_id,
        type=task.kind.value,
        updated_at=stamp(task.updated_at) or "",
        updated_by=_who(task.updated_by),
    )


def _cloud_delivery(order: Order, item: OrderItem) -> CloudDeliveryOut | None:
    cloud = order.cloud_for(item)
    if cloud is not None:
        return CloudDeliveryOut(config=cloud.name or cloud.config, path="/" + cloud.path.strip("/"))
    bucket = order.delivery.bucket
    if order.delivery.method is not DeliveryMethod.S3 or bucket is None:
        return None
    return CloudDeliveryOut(config=bucket.bucket, path="/" + bucket.prefix.strip("/"))


def _bandset(item: OrderItem) -> tuple[BandsetOut | None, str | None, int | None]:
    bandset = item_bandset(item.options)
    if bandset is None:
        return None, None, None
    out = BandsetOut(
        bands=[BandOut(name=b.name, wavelength=b.wavelength_nm) for b in bandset.bands],
        bandset_id=bandset.bandset_id,
        custom=[list(c) for c in bandset.custom],
    )
    return out, bandset.image_type, len(bandset.bands)


def item_out(record: ItemRecord) -> OrderItemOut:
    """One order item with its tasks."""
    order, item, money = record.order, record.item, record.money
    spec, price = item.tasking, item.price
    bandset, image_type, number_of_bands = _bandset(item)
    scene = item.archive.item_id if item.archive is not None else None
    occurrences = item_occurrences(spec) if spec is not None else []
    payment = (
        "UNPAID"
        if order.status is OrderStatus.DRAFT
        else PAYMENT_STATUS[record.payment_status or order.payment_status]
    )
    speed = str(item.options.get("delivery_speed", "STANDARD")).upper()
    return OrderItemOut(
        area=item_area_km2(item),
        bandset=bandset,
        base_amount=price.base_amount if price else None,
        cloud_cover=spec.max_cloud_cover if spec else None,
        cloud_delivery=_cloud_delivery(order, item),
        created_at=stamp(item.created_at) or "",
        created_by=_who(item.created_by),
        delivery_speed=speed if spec is not None else NOT_APPLICABLE,
        end_date=stamp(spec.window_end) if spec else None,
        feasibility_status=spec.feasibility_status.value if spec else NOT_APPLICABLE,
        final_amount=price.total if price else None,
        id=item.id,
        image_type=image_type,
        images=[ImageOut(geometry=i.aoi, item_id=i.item_id) for i in item.images],
        last_feasibility_check=stamp(spec.last_feasibility_check) if spec else None,
        name=item.name,
        no_of_occurrences=len(occurrences),
        number_of_bands=number_of_bands,
        occurrences=[
            OccurrenceOut(start=o.start.isoformat(), end=o.end.isoformat()) for o in occurrences
        ],
        off_nadir=spec.max_off_nadir if spec else None,
        order_id=order.id,
        org_id=order.organisation_id,
        payment_status=payment,
        project_id=order.project_id,
        recurrence=(
            (spec.recurrence.kind.value if spec.recurrence else RecurrenceKind.ONCE.value)
            if spec
            else NOT_APPLICABLE
        ),
        start_date=stamp(spec.window_start) if spec else None,
        status=ITEM_STATUS[item.status],
        tasks=[task_out(t) for t in record.tasks],
        tokens_used=money.spent + money.held if payment != "UNPAID" else None,
        transaction_id=money.transaction_id,
        type=item_type(item).value,
        updated_at=stamp(item.updated_at) or "",
        updated_by=_who(item.updated_by),
        uplifts=[
            UpliftOut(
                amount=u.amount,
                item_id=u.item_id or scene,
                percentage=float(u.percentage),
                subtitle=u.subtitle,
                title=u.title,
            )
            for u in (price.uplifts if price else ())
        ],
        usecase=item.options.get("usecase"),
        user_id=item.created_by.user_id if item.created_by else None,
        validation_errors=[
            {"field": e.field, "message": e.message} for e in item.validation_errors
        ],
    )
