"""Pixxel's order-item wire models (``GET /v0/order-items``), as its document shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class BandOut(BaseModel):
    """One band of a bandset."""

    name: str
    wavelength: float


class BandsetOut(BaseModel):
    """The bands an item delivers."""

    bands: list[BandOut]
    bandset_id: str | None
    custom: list[list[int]]


class CloudDeliveryOut(BaseModel):
    """Where deliverables are pushed: the configuration's name and the path inside it."""

    config: str
    path: str


class ImageOut(BaseModel):
    """One archive image of an item."""

    geometry: Any
    item_id: str


class OccurrenceOut(BaseModel):
    """One occurrence window of a tasking item."""

    start: str
    end: str


class TaskOut(BaseModel):
    """One task of an order item."""

    created_at: str
    created_by: str | None
    delivery_status: str | None
    end_date: str | None
    id: str
    number_of_strips: int | None
    order_item_id: str
    start_date: str | None
    status: str
    tokens_used: int | None
    transaction_id: str | None
    type: str
    updated_at: str
    updated_by: str | None


class UpliftOut(BaseModel):
    """A surcharge (positive amount) or discount (negative)."""

    amount: int
    item_id: str | None
    percentage: float
    subtitle: str
    title: str


class OrderItemOut(BaseModel):
    """One order item."""

    area: float | None
    bandset: BandsetOut | None
    base_amount: int | None
    cloud_cover: float | None
    cloud_delivery: CloudDeliveryOut | None
    created_at: str
    created_by: str | None
    delivery_speed: str
    end_date: str | None
    feasibility_status: str
    final_amount: int | None
    id: str
    image_type: str | None
    images: list[ImageOut]
    last_feasibility_check: str | None
    name: str | None
    no_of_occurrences: int
    number_of_bands: int | None
    occurrences: list[OccurrenceOut]
    off_nadir: float | None
    order_id: str
    org_id: str
    payment_status: str
    project_id: str | None
    recurrence: str
    start_date: str | None
    status: str
    tasks: list[TaskOut]
    tokens_used: int | None
    transaction_id: str | None
    type: str
    updated_at: str
    updated_by: str | None
    uplifts: list[UpliftOut]
    usecase: str | None
    user_id: str | None
    validation_errors: list[dict[str, Any]]


class PaginationOut(BaseModel):
    """Where the page is in the whole list."""

    limit: int
    offset: int
    total: int


class OrderItemsOut(BaseModel):
    """One page of order items."""

    order_items: list[OrderItemOut]
    pagination: PaginationOut
