"""Orders and order items."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from skyorder.core.errors import ValidationFailed
from skyorder.core.licences import MAX_LICENCES
from skyorder.core.order_requests import (
    ArchiveItemRequest,
    ItemRequest,
    OrderRequest,
    TaskingItemRequest,
)
from skyorder.core.orders import (
    ArchiveImage,
    BucketTarget,
    CloudConfigRef,
    Delivery,
    DeliveryMethod,
    Order,
    OrderItem,
    Priority,
    Recurrence,
    RecurrenceKind,
)
from skyorder.schemas.common import EventSummary, event_summary_json
from skyorder.schemas.licences import AcceptedLicenceOut, LicenceIn, accepted_licence_json
from skyorder.schemas.prices import PriceOut, price_json
from skyorder.schemas.users import Authorship, authorship


class Window(BaseModel):
    """A time window; both ends carry a time zone."""

    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime
    end: AwareDatetime


class RecurrenceIn(BaseModel):
    """How a tasking item repeats."""

    model_config = ConfigDict(extra="forbid")

    kind: RecurrenceKind
    occurrences: int = Field(1, ge=1)


class ArchiveImageIn(BaseModel):
    """One scene of an archive item, optionally clipped to its own AOI."""

    model_config = ConfigDict(extra="forbid")

    item_id: str = Field(min_length=1, max_length=200)
    aoi: dict[str, Any] | None = Field(None, description="GeoJSON Polygon/MultiPolygon to clip to")


class ItemCloudDeliveryIn(BaseModel):
    """A stored cloud-delivery configuration this item's products are pushed to.

    It overrides the order's ``delivery`` for this item: files land at
    ``<config prefix>/<path>/<order number>/<deliverable id>/<file>``.
    """

    model_config = ConfigDict(extra="forbid")

    config: str = Field(min_length=1, max_length=100, description="The configuration's name or id")
    path: str = Field("", max_length=500, description="Key path inside the configuration")

    def to_core(self) -> CloudConfigRef:
        """The core's reference (resolved to the configuration's id at placement)."""
        return CloudConfigRef(self.config, self.path)


class ItemCloudDeliveryOut(BaseModel):
    """The item's own cloud-delivery configuration (by name) and path."""

    config: str
    path: str


def item_cloud_json(ref: CloudConfigRef | None) -> dict[str, str] | None:
    """``ItemCloudDeliveryOut`` of an item's own configuration, as a dict."""
    return {"config": ref.name or ref.config, "path": ref.path} if ref is not None else None


class ArchiveItemIn(BaseModel):
    """Archive scenes to buy: one (``item_id``, ``aoi``) or several (``images``)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["archive"]
    collection: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="The scene's collection; omit it when item_id is its catalogue UUID",
    )
    item_id: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="The scene's id, or its catalogue UUID (or give images)",
    )
    images: list[ArchiveImageIn] = Field(
        default_factory=list,
        max_length=50,
        description="Several scenes of the collection, each priced and delivered "
        "(instead of item_id and aoi)",
    )
    processing_level: str = Field(min_length=1, max_length=40)
    product: str | None = Field(None, description="SKU; default: the collection's archive product")
    aoi: dict[str, Any] | None = Field(None, description="GeoJSON Polygon/MultiPolygon to clip to")
    options: dict[str, Any] = Field(default_factory=dict, description="Per the product's schema")
    name: str | None = Field(None, max_length=200, description="What you call this item")
    cloud_delivery: ItemCloudDeliveryIn | None = Field(
        None, description="Push this item's products to a stored configuration"
    )

    def to_request(self) -> ArchiveItemRequest:
        """The core's view of this item."""
        if self.images and (self.item_id is not None or self.aoi is not None):
            raise ValidationFailed.on(
                "images", "give the scenes as images, or one scene as item_id and aoi, not both"
            )
        first = self.images[0] if self.images else ArchiveImageIn(item_id="-", aoi=self.aoi)
        return ArchiveItemRequest(
            collection=self.collection or "",
            item_id=first.item_id if self.images else (self.item_id or ""),
            processing_level=self.processing_level,
            product=self.product,
            aoi=first.aoi,
            more_images=tuple(ArchiveImage(i.item_id, i.aoi) for i in self.images[1:]),
            options=self.options,
            name=self.name,
            cloud=self.cloud_delivery.to_core() if self.cloud_delivery else None,
        )


class TaskingItemIn(BaseModel):
    """New captures of an AOI within a window."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["tasking"]
    product: str = Field(min_length=1, max_length=64)
    aoi: dict[str, Any] = Field(description="GeoJSON Point, Polygon or MultiPolygon")
    window: Window
    max_off_nadir: float | None = Field(None, ge=0, le=90)
    min_off_nadir: float | None = Field(
        None, ge=0, le=90, description="Smallest off-nadir angle wanted, degrees (oblique views)"
    )
    max_cloud_cover: float | None = Field(None, ge=0, le=100)
    priority: Priority = Priority.STANDARD
    revisit_period: str | None = Field(None, description="ISO 8601 duration, e.g. P1D")
    recurrence: RecurrenceIn | None = None
    processing_levels: list[str] = Field(default_factory=list, max_length=10)
    options: dict[str, Any] = Field(default_factory=dict, description="Per the product's schema")
    name: str | None = Field(None, max_length=200, description="What you call this item")
    cloud_delivery: ItemCloudDeliveryIn | None = Field(
        None, description="Push this item's products to a stored configuration"
    )

    def to_request(self) -> TaskingItemRequest:
        """The core's view of this item."""
        return TaskingItemRequest(
            product=self.product,
            aoi=self.aoi,
            window_start=self.window.start,
            window_end=self.window.end,
            max_off_nadir=self.max_off_nadir,
            max_cloud_cover=self.max_cloud_cover,
            priority=self.priority,
            revisit_period=self.revisit_period,
            recurrence=(
                Recurrence(self.recurrence.kind, self.recurrence.occurrences)
                if self.recurrence
                else None
            ),
            processing_levels=tuple(self.processing_levels),
            options=self.options,
            min_off_nadir=self.min_off_nadir,
            name=self.name,
            cloud=self.cloud_delivery.to_core() if self.cloud_delivery else None,
        )


ItemIn = Annotated[ArchiveItemIn | TaskingItemIn, Field(discriminator="kind")]


class DeliveryIn(BaseModel):
    """Where deliverables go.

    ``api``: downloaded through the API. ``s3``: also pushed, when delivered, to the
    customer's S3-compatible bucket at ``<prefix>/<order number>/<deliverable id>/<file>``.
    The secret is kept to push with and never shown again. An ``endpoint_url`` whose
    host resolves to a loopback, private, link-local or other non-public address is
    refused (422), unless the operator allows its network.
    """

    model_config = ConfigDict(extra="forbid")

    method: DeliveryMethod = DeliveryMethod.API
    endpoint_url: str | None = Field(
        None, max_length=500, description="S3-compatible endpoint; default: AWS S3"
    )
    bucket: str | None = Field(None, max_length=63)
    prefix: str = Field("", max_length=500, description="Key prefix inside the bucket")
    access_key_id: str | None = Field(None, max_length=200)
    secret_access_key: str | None = Field(None, max_length=500)
    region: str | None = Field(None, max_length=40)
    config: str | None = Field(
        None,
        max_length=100,
        description="A stored cloud-delivery configuration (name or id) to push to, "
        "instead of a bucket given here",
    )
    path: str = Field("", max_length=500, description="Key path inside the configuration")

    def to_core(self) -> Delivery:
        """The core's view (validated with the rest of the order)."""
        if self.path and self.config is None:
            raise ValidationFailed.on(
                "delivery.path", "is a path inside a stored configuration: name delivery.config"
            )
        if self.config is not None:
            inline = (self.bucket, self.access_key_id, self.secret_access_key, self.endpoint_url)
            return Delivery(
                DeliveryMethod.S3,
                None if not any(inline) else self._target(),
                CloudConfigRef(self.config, self.path),
            )
        fields = (
            self.endpoint_url,
            self.bucket,
            self.access_key_id,
            self.secret_access_key,
            self.region,
        )
        if self.method is DeliveryMethod.API and not any(fields) and not self.prefix:
            return Delivery()
        return Delivery(self.method, self._target())

    def _target(self) -> BucketTarget:
        return BucketTarget(
            bucket=self.bucket or "",
            access_key_id=self.access_key_id or "",
            secret_access_key=self.secret_access_key or "",
            prefix=self.prefix,
            endpoint_url=self.endpoint_url,
            region=self.region,
        )


SECRET_MASK = "********"


class DeliveryOut(BaseModel):
    """Where deliverables go (the bucket's secret is masked)."""

    method: DeliveryMethod
    endpoint_url: str | None = None
    bucket: str | None = None
    prefix: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    region: str | None = None
    config: str | None = None
    """The stored cloud-delivery configuration's name (its id before placement)."""
    path: str | None = None

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryOut:
        """Render a delivery request, never its secret."""
        b, c = delivery.bucket, delivery.cloud
        if c is not None:
            return cls(method=delivery.method, config=c.name or c.config, path=c.path)
        if b is None:
            return cls(method=delivery.method)
        return cls(
            method=delivery.method,
            endpoint_url=b.endpoint_url,
            bucket=b.bucket,
            prefix=b.prefix,
            access_key_id=b.access_key_id,
            secret_access_key=SECRET_MASK,
            region=b.region,
        )


class OrderCreate(BaseModel):
    """A new order."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    project_id: str | None = None
    items: list[ItemIn] = Field(max_length=100)
    quote_id: str | None = None
    delivery: DeliveryIn | None = None
    dry_run: bool = Field(False, description="Validate and price only; nothing is placed")
    licences: list[LicenceIn] = Field(
        default_factory=list,
        max_length=MAX_LICENCES,
        description="The licences you accept; every licence your products require must be here",
    )
    draft: bool = Field(
        False,
        description="Keep it as a draft, whatever its validation says (each item lists its "
        "validation_errors); edit it with PUT /v1/orders/{id}, place it with "
        "POST /v1/orders/{id}/submit",
    )

    def to_request(self) -> OrderRequest:
        """The core's view of this order."""
        items: tuple[ItemRequest, ...] = tuple(i.to_request() for i in self.items)
        return OrderRequest(
            name=self.name,
            items=items,
            project_id=self.project_id,
            delivery=self.delivery.to_core() if self.delivery else Delivery(),
            licences=tuple(lic.to_core() for lic in self.licences),
        )


class DraftSubmit(BaseModel):
    """Licences accepted on submitting a draft, besides those kept when it was saved."""

    model_config = ConfigDict(extra="forbid")

    licences: list[LicenceIn] = Field(default_factory=list, max_length=MAX_LICENCES)


class FieldErrorOut(BaseModel):
    """One field that stops a draft from being placed."""

    field: str
    message: str


class ItemOut(Authorship):
    """An order item with its status."""

    id: str
    kind: str
    product: str
    status: str
    aoi: dict[str, Any] | None
    options: dict[str, Any]
    area_km2: float | None
    collection: str | None = None
    item_id: str | None = None
    processing_level: str | None = None
    window: Window | None = None
    max_off_nadir: float | None = None
    min_off_nadir: float | None = None
    task_id: str | None = None
    max_cloud_cover: float | None = None
    priority: str | None = None
    revisit_period: str | None = None
    recurrence: RecurrenceIn | None = None
    processing_levels: list[str] | None = None
    feasibility_status: str | None = None
    last_feasibility_check: datetime | None = None
    price: PriceOut | None = None
    created_at: datetime
    updated_at: datetime
    latest_event: EventSummary | None
    name: str | None = None
    validation_errors: list[FieldErrorOut] = Field(default_factory=list)
    cloud_delivery: ItemCloudDeliveryOut | None = None
    """The item's own cloud-delivery configuration (null: the order's ``delivery``)."""

    @classmethod
    def of(cls, item: OrderItem) -> ItemOut:
        """Render an item."""
        cloud = item_cloud_json(item.cloud)
        fields: dict[str, Any] = {
            "name": item.name,
            "cloud_delivery": ItemCloudDeliveryOut(**cloud) if cloud else None,
            "validation_errors": [
                FieldErrorOut(field=e.field, message=e.message) for e in item.validation_errors
            ],
        }
        if item.archive is not None:
            fields.update(
                collection=item.archive.collection,
                item_id=item.archive.item_id,
                processing_level=item.archive.processing_level,
            )
        if (t := item.tasking) is not None:
            fields.update(
                window=Window(start=t.window_start, end=t.window_end),
                max_off_nadir=t.max_off_nadir,
                min_off_nadir=t.min_off_nadir,
                task_id=item.task_id,
                max_cloud_cover=t.max_cloud_cover,
                priority=t.priority.value,
                revisit_period=t.revisit_period,
                recurrence=(
                    RecurrenceIn(kind=t.recurrence.kind, occurrences=t.recurrence.occurrences)
                    if t.recurrence
                    else None
                ),
                processing_levels=list(t.processing_levels),
                feasibility_status=t.feasibility_status.value,
                last_feasibility_check=t.last_feasibility_check,
            )
        return cls(
            id=item.id,
            kind=item.kind.value,
            product=item.product,
            status=item.status.value,
            aoi=item.aoi,
            options=item.options,
            area_km2=item.area_km2,
            price=PriceOut.of(item.price) if item.price else None,
            created_at=item.created_at,
            updated_at=item.updated_at,
            latest_event=EventSummary.of(item.latest_event),
            **authorship(item.created_by, item.updated_by),
            **fields,
        )


class OrderOut(Authorship):
    """An order with its items and latest event."""

    id: str
    order_number: str
    name: str
    status: str
    kind: str
    organisation_id: str
    contract_id: str
    project_id: str | None
    products: list[str]
    items: list[ItemOut]
    delivery: DeliveryOut
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    latest_event: EventSummary | None
    quote_id: str | None = None
    currency: str | None = None
    total_amount: int | None = None
    payment_status: str
    checkout_url: str | None = None
    dry_run: bool = False
    licences: list[AcceptedLicenceOut] = []

    @classmethod
    def of(cls, order: Order, checkout_url: str | None = None, dry_run: bool = False) -> OrderOut:
        """Render an order."""
        return cls(
            id=order.id,
            order_number=order.number,
            name=order.name,
            status=order.status.value,
            kind=order.kind,
            organisation_id=order.organisation_id,
            contract_id=order.contract_id,
            project_id=order.project_id,
            products=order.products,
            items=[ItemOut.of(i) for i in order.items],
            delivery=DeliveryOut.of(order.delivery),
            created_at=order.created_at,
            updated_at=order.updated_at,
            latest_event=EventSummary.of(order.latest_event),
            quote_id=order.quote_id,
            currency=order.currency,
            total_amount=order.total_amount,
            payment_status=order.payment_status.value,
            checkout_url=checkout_url,
            dry_run=dry_run,
            licences=[
                AcceptedLicenceOut.model_validate(accepted_licence_json(lic))
                for lic in order.licences
            ],
            **authorship(order.created_by, order.updated_by),
        )


# Long lists render orders straight to JSON-ready dicts: building and validating the models
# above costs more than reading the orders. These give exactly what ``OrderOut.of(order)``
# dumps (tests/integration/test_order_listing.py compares them); datetimes stay objects for
# the JSON encoder (``api.paging.JSON_OPTIONS`` writes UTC as "Z", as pydantic does).


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    """``DeliveryOut.of(delivery)`` as a dict (the secret masked)."""
    b, c = delivery.bucket, delivery.cloud
    return {
        "config": (c.name or c.config) if c else None,
        "path": c.path if c else None,
        "method": delivery.method.value,
        "endpoint_url": b.endpoint_url if b else None,
        "bucket": b.bucket if b else None,
        "prefix": b.prefix if b else None,
        "access_key_id": b.access_key_id if b else None,
        "secret_access_key": SECRET_MASK if b else None,
        "region": b.region if b else None,
    }


def item_json(item: OrderItem) -> dict[str, Any]:
    """``ItemOut.of(item)`` as a dict."""
    a, t = item.archive, item.tasking
    return {
        "id": item.id,
        "kind": item.kind.value,
        "product": item.product,
        "status": item.status.value,
        "aoi": item.aoi,
        "options": item.options,
        "area_km2": item.area_km2,
        "collection": a.collection if a else None,
        "item_id": a.item_id if a else None,
        "processing_level": a.processing_level if a else None,
        "window": {"start": t.window_start, "end": t.window_end} if t else None,
        "max_off_nadir": t.max_off_nadir if t else None,
        "min_off_nadir": t.min_off_nadir if t else None,
        "task_id": item.task_id,
        "max_cloud_cover": t.max_cloud_cover if t else None,
        "priority": t.priority.value if t else None,
        "revisit_period": t.revisit_period if t else None,
        "recurrence": (
            {"kind": t.recurrence.kind.value, "occurrences": t.recurrence.occurrences}
            if t and t.recurrence
            else None
        ),
        "processing_levels": list(t.processing_levels) if t else None,
        "feasibility_status": t.feasibility_status.value if t else None,
        "last_feasibility_check": t.last_feasibility_check if t else None,
        "price": price_json(item.price) if item.price else None,  # PriceOut's very fields
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "latest_event": event_summary_json(item.latest_event),
        "name": item.name,
        "validation_errors": [
            {"field": e.field, "message": e.message} for e in item.validation_errors
        ],
        "cloud_delivery": item_cloud_json(item.cloud),
        **authorship(item.created_by, item.updated_by),
    }


def order_json(order: Order) -> dict[str, Any]:
    """``OrderOut.of(order)`` as a dict."""
    return {
        "id": order.id,
        "order_number": order.number,
        "name": order.name,
        "status": order.status.value,
        "kind": order.kind,
        "organisation_id": order.organisation_id,
        "contract_id": order.contract_id,
        "project_id": order.project_id,
        "products": order.products,
        "items": [item_json(i) for i in order.items],
        "delivery": delivery_json(order.delivery),
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "latest_event": event_summary_json(order.latest_event),
        "quote_id": order.quote_id,
        "currency": order.currency,
        "total_amount": order.total_amount,
        "payment_status": order.payment_status.value,
        "checkout_url": None,
        "dry_run": False,
        "licences": [accepted_licence_json(lic) for lic in order.licences],
        **authorship(order.created_by, order.updated_by),
    }
