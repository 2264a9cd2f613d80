"""The Order aggregate: an order with its archive and tasking items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from skyorder.core.errors import Conflict, FieldError
from skyorder.core.events import EntityType, Event, EventSource, make_event
from skyorder.core.licences import AcceptedLicence
from skyorder.core.pricing import LinePrice
from skyorder.core.products import ItemKind
from skyorder.core.states import StateMachine
from skyorder.core.users import Actor


class OrderStatus(StrEnum):
    """The life of an order, rolled up from its items."""

    DRAFT = "draft"
    PENDING_PAYMENT = "pending_payment"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class ItemStatus(StrEnum):
    """The life of one order item."""

    DRAFT = "draft"
    PENDING = "pending"
    ACTIVE = "active"
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


BOUGHT = frozenset({ItemStatus.ACTIVE, ItemStatus.COMPLETED, ItemStatus.PARTIALLY_COMPLETED})
"""Item statuses from acceptance (paid, held or billed) on, short of a cancellation or a
failure: what such an item buys is its organisation's (an archive scene's data, say)."""


class Priority(StrEnum):
    """Tasking priority: rush beats standard when satellites are contended."""

    STANDARD = "standard"
    RUSH = "rush"


class RecurrenceKind(StrEnum):
    """How often a recurring tasking item repeats (Pixxel's recurrences)."""

    ONCE = "ONCE"
    WEEKLY = "WEEKLY"
    BIWEEKLY = "BIWEEKLY"
    MONTHLY = "MONTHLY"
    BIMONTHLY = "BIMONTHLY"
    QUARTERLY = "QUARTERLY"


class FeasibilityStatus(StrEnum):
    """The latest feasibility verdict of a tasking item."""

    UNSPECIFIED = "UNSPECIFIED"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    SUCCESS = "SUCCESS"
    WEAK_SUCCESS = "WEAK_SUCCESS"
    FAILED = "FAILED"


class PaymentStatus(StrEnum):
    """Where an order's money stands."""

    NOT_REQUIRED = "not_required"
    UNPAID = "unpaid"
    PAID = "paid"
    PARTIAL_REFUND = "partial_refund"
    REFUNDED = "refunded"
    PARTIAL_MONTHLY = "partial_monthly"
    """Billed monthly in arrears: what is delivered is owed, invoiced with the month."""


class DeliveryMethod(StrEnum):
    """Where deliverables go: the download API only, or also pushed to an S3 bucket."""

    API = "api"
    S3 = "s3"


ORDER_STATES: StateMachine[OrderStatus] = StateMachine(
    "order",
    {
        OrderStatus.DRAFT: frozenset(
            {OrderStatus.PENDING_PAYMENT, OrderStatus.ACCEPTED, OrderStatus.CANCELLED}
        ),
        OrderStatus.PENDING_PAYMENT: frozenset(
            {OrderStatus.ACCEPTED, OrderStatus.CANCELLED, OrderStatus.REJECTED}
        ),
        OrderStatus.ACCEPTED: frozenset(
            {
                OrderStatus.IN_PROGRESS,
                OrderStatus.COMPLETED,
                OrderStatus.PARTIALLY_COMPLETED,
                OrderStatus.FAILED,
                OrderStatus.CANCELLED,
            }
        ),
        OrderStatus.IN_PROGRESS: frozenset(
            {
                OrderStatus.COMPLETED,
                OrderStatus.PARTIALLY_COMPLETED,
                OrderStatus.FAILED,
                OrderStatus.CANCELLED,
            }
        ),
    },
)

ITEM_STATES: StateMachine[ItemStatus] = StateMachine(
    "order item",
    {
        ItemStatus.DRAFT: frozenset({ItemStatus.PENDING, ItemStatus.ACTIVE, ItemStatus.CANCELLED}),
        ItemStatus.PENDING: frozenset({ItemStatus.ACTIVE, ItemStatus.CANCELLED, ItemStatus.FAILED}),
        ItemStatus.ACTIVE: frozenset(
            {
                ItemStatus.COMPLETED,
                ItemStatus.PARTIALLY_COMPLETED,
                ItemStatus.FAILED,
                ItemStatus.CANCELLED,
                ItemStatus.EXPIRED,
            }
        ),
    },
)


@dataclass(frozen=True)
class Recurrence:
    """A recurrence rule with its number of occurrences."""

    kind: RecurrenceKind
    occurrences: int


@dataclass(frozen=True)
class ArchiveImage:
    """One catalog scene an archive item buys, with the area to clip it to (None: whole)."""

    item_id: str
    aoi: dict[str, Any] | None = None


@dataclass(frozen=True)
class ArchiveSpec:
    """What an archive item buys: catalog scenes of one collection at one processing level.

    ``item_id`` is its first scene (clipped to the item's AOI); ``more`` are the others.
    """

    collection: str
    item_id: str
    processing_level: str
    more: tuple[ArchiveImage, ...] = ()

    def buys_whole(self, collection: str, scene_id: str, item_aoi: dict[str, Any] | None) -> bool:
        """Whether the item buys scene ``scene_id`` of ``collection`` unclipped: its first
        scene when the item has no AOI (``item_aoi``), another when that one has none."""
        if collection != self.collection:
            return False
        if scene_id == self.item_id and item_aoi is None:
            return True
        return any(m.item_id == scene_id and m.aoi is None for m in self.more)


@dataclass
class TaskingSpec:
    """What a tasking item asks for: new captures of the AOI within a window."""

    window_start: datetime
    window_end: datetime
    max_off_nadir: float | None
    max_cloud_cover: float | None
    priority: Priority
    revisit_period: str | None
    recurrence: Recurrence | None
    processing_levels: tuple[str, ...]
    feasibility_status: FeasibilityStatus = FeasibilityStatus.UNSPECIFIED
    last_feasibility_check: datetime | None = None
    min_off_nadir: float | None = None
    """Smallest off-nadir angle wanted, degrees (None: nadir is fine); Aleph's ``min_ona``."""


@dataclass(kw_only=True)
class OrderItem(EventSource):
    """One line of an order: an archive scene or a tasking request."""

    id: str
    kind: ItemKind
    product: str
    status: ItemStatus
    aoi: dict[str, Any] | None
    options: dict[str, Any]
    archive: ArchiveSpec | None = None
    tasking: TaskingSpec | None = None
    area_km2: float | None = None
    price: LinePrice | None = None
    name: str | None = None
    """What the customer calls the item (Pixxel's order items have names)."""
    validation_errors: tuple[FieldError, ...] = ()
    """What stops a draft item from being submitted (its own fields and the order's)."""
    cloud: CloudConfigRef | None = None
    """The item's own cloud-delivery configuration (None: the order's, if any)."""

    @property
    def images(self) -> list[ArchiveImage]:
        """The scenes an archive item buys, in order (none for a tasking item)."""
        if self.archive is None:
            return []
        return [ArchiveImage(self.archive.item_id, self.aoi), *self.archive.more]

    created_by: Actor | None = None
    updated_by: Actor | None = None
    created_at: datetime
    updated_at: datetime
    task_id: str | None = None
    """A tasking item's task id (the legacy Tasking API's), unique in its organisation."""


TASK_ID_BASE = 1_000_000
"""Task ids count from here: seven digits or more, never a six-digit order number."""


def format_task_id(sequence: int) -> str:
    """The task id of an organisation's ``sequence``-th tasking item (``1000001``)."""
    return str(TASK_ID_BASE + sequence)


@dataclass(frozen=True)
class BucketTarget:
    """A customer's S3-compatible bucket that deliverables are pushed to.

    Files land at ``<prefix>/<order number>/<deliverable id>/<file>``.
    """

    bucket: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None

    def problems(self, path: str) -> list[FieldError]:
        """Every invalid field, named under ``path`` (e.g. ``delivery``)."""
        found: list[FieldError] = []
        if not _BUCKET.fullmatch(self.bucket) or ".." in self.bucket:
            found.append(
                FieldError(
                    f"{path}.bucket",
                    "must be 3-63 lowercase letters, digits, dots or hyphens, starting and "
                    "ending with a letter or digit",
                )
            )
        if not self.access_key_id.strip():
            found.append(FieldError(f"{path}.access_key_id", "is required for method s3"))
        if not self.secret_access_key:
            found.append(FieldError(f"{path}.secret_access_key", "is required for method s3"))
        found.extend(key_path_problems(self.prefix, f"{path}.prefix"))
        if self.endpoint_url is not None and not _ENDPOINT.fullmatch(self.endpoint_url):
            found.append(
                FieldError(
                    f"{path}.endpoint_url",
                    "must be an http:// or https:// URL such as https://s3.example.com",
                )
            )
        if self.region is not None and not _REGION.fullmatch(self.region):
            found.append(FieldError(f"{path}.region", "must be a region name such as eu-west-1"))
        return found


def key_path_problems(value: str, field_name: str) -> list[FieldError]:
    """A bucket key path (prefix) that would not stay where it says, as a field error."""
    parts = value.strip("/").split("/") if value.strip("/") else []
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts) or any(
        ord(c) < 32 or c == "\\" for c in value
    ):
        return [
            FieldError(
                field_name,
                "must be '/'-separated names, none empty or starting with '.', "
                "without control characters or backslashes",
            )
        ]
    return []


_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_ENDPOINT = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+(:\d{1,5})?(/[^\s]*)?")
_REGION = re.compile(r"[a-z0-9-]{1,40}")


@dataclass(frozen=True)
class CloudConfigRef:
    """A stored cloud-delivery configuration an order pushes to, and the path inside it.

    Files land at ``<config prefix>/<path>/<order number>/<deliverable id>/<file>``.
    """

    config: str
    """The configuration's id (as asked for: its id or name, until the order is placed)."""
    path: str = ""
    name: str | None = None
    """The configuration's name when the order was placed."""


@dataclass(frozen=True)
class Delivery:
    """How the order's deliverables reach the customer.

    Every deliverable is downloadable through the API; with method ``s3`` it is
    also pushed to the customer's ``bucket`` when delivered.
    """

    method: DeliveryMethod = DeliveryMethod.API
    bucket: BucketTarget | None = None
    cloud: CloudConfigRef | None = None
    """A stored cloud-delivery configuration to push to instead of an inline bucket."""

    def problems(self, path: str = "delivery") -> list[FieldError]:
        """Every invalid field of the delivery request."""
        if self.cloud is not None:
            if self.bucket is not None:
                return [
                    FieldError(
                        f"{path}.config",
                        "name a stored configuration or give a bucket, not both",
                    )
                ]
            return key_path_problems(self.cloud.path, f"{path}.path")
        if self.method is DeliveryMethod.S3:
            if self.bucket is None:
                return [FieldError(f"{path}.bucket", "is required for method s3")]
            return self.bucket.problems(path)
        if self.bucket is not None:
            return [
                FieldError(
                    f"{path}.method",
                    "bucket, credentials and endpoint_url are only for method 's3'",
                )
            ]
        return []


@dataclass(kw_only=True)
class Order(EventSource):
    """An order: the unit a customer places, pays, follows and cancels."""

    id: str
    number: str
    organisation_id: str
    contract_id: str
    project_id: str | None
    name: str
    status: OrderStatus
    items: list[OrderItem]
    delivery: Delivery = field(default_factory=Delivery)
    created_by: Actor | None = None
    """Who placed the order (the items record the same)."""
    updated_by: Actor | None = None
    """Who last changed the order (the pipeline's own steps do not count)."""
    created_at: datetime
    updated_at: datetime
    quote_id: str | None = None
    currency: str | None = None
    total_amount: int | None = None
    payment_status: PaymentStatus = PaymentStatus.NOT_REQUIRED
    licences: tuple[AcceptedLicence, ...] = ()
    """The licences accepted with the order: which, which version, by whom, when."""
    # The order's and its items' unsaved events in the order they happened.
    journal: list[Event] = field(default_factory=list, repr=False, compare=False)

    @property
    def tasking_items(self) -> list[OrderItem]:
        """The tasking items, in item order."""
        return [i for i in self.items if i.tasking is not None]

    def assign_task_ids(self, first_sequence: int) -> None:
        """Give each tasking item its task id, counting from ``first_sequence``."""
        for n, item in enumerate(self.tasking_items):
            item.task_id = format_task_id(first_sequence + n)

    @property
    def task_id(self) -> str | None:
        """The first tasking item's task id (an order of one task is looked up by it)."""
        return next((i.task_id for i in self.tasking_items), None)

    @property
    def kind(self) -> str:
        """``archive`` or ``tasking`` when all items agree, else ``mixed``."""
        kinds = {item.kind.value for item in self.items}
        return kinds.pop() if len(kinds) == 1 else "mixed"

    @property
    def products(self) -> list[str]:
        """The SKUs ordered, in item order, without repeats."""
        return list(dict.fromkeys(item.product for item in self.items))

    def _emit(self, type_: str, at: datetime, details: dict[str, Any] | None = None) -> None:
        self._log(
            self,
            make_event(
                organisation_id=self.organisation_id,
                entity_type=EntityType.ORDER,
                entity_id=self.id,
                order_id=self.id,
                order_number=self.number,
                type=type_,
                at=at,
                details=details,
            ),
        )

    def _log(self, source: EventSource, event: Event) -> None:
        source.record(event)
        self.journal.append(event)

    def _emit_item(self, item: OrderItem, type_: str, at: datetime, reason: str) -> None:
        self._item_event(item, type_, at, {"reason": reason} if reason else {})

    def _item_event(
        self, item: OrderItem, type_: str, at: datetime, details: dict[str, Any]
    ) -> None:
        self._log(
            item,
            make_event(
                organisation_id=self.organisation_id,
                entity_type=EntityType.ITEM,
                entity_id=item.id,
                order_id=self.id,
                order_number=self.number,
                type=type_,
                at=at,
                details=details,
            ),
        )

    def created(self, at: datetime) -> None:
        """Record the order's creation (called once, by the factory)."""
        self._emit("OrderCreated", at, {"status": self.status.value})

    def transition(
        self, target: OrderStatus, at: datetime, event_type: str, reason: str = ""
    ) -> None:
        """Move the order to ``target`` if its state machine allows it."""
        ORDER_STATES.check(self.status, target)
        self.status = target
        self.updated_at = at
        details: dict[str, Any] = {"status": target.value}
        if reason:
            details["reason"] = reason
        self._emit(event_type, at, details)

    def transition_item(
        self, item: OrderItem, target: ItemStatus, at: datetime, event_type: str, reason: str = ""
    ) -> None:
        """Move one item to ``target`` if its state machine allows it."""
        ITEM_STATES.check(item.status, target)
        item.status = target
        item.updated_at = at
        self.updated_at = at
        self._emit_item(item, event_type, at, reason)

    def set_prices(self, prices: dict[str, LinePrice], currency: str, quote_id: str | None) -> None:
        """Attach each item's price (by item id) and the order total."""
        for item in self.items:
            item.price = prices[item.id]
            item.area_km2 = item.price.areas.billable_km2
        self.currency = currency
        self.quote_id = quote_id
        self.total_amount = sum(p.total for p in prices.values())

    def await_payment(self, at: datetime, checkout_url: str) -> None:
        """The order waits for a hosted checkout to be paid."""
        self.payment_status = PaymentStatus.UNPAID
        self._emit("OrderPaymentRequired", at, {"checkout_url": checkout_url})

    def accept(self, at: datetime, payment: PaymentStatus = PaymentStatus.NOT_REQUIRED) -> None:
        """Accept the order (its payment settled as ``payment``): its items become active."""
        self.payment_status = payment
        self.transition(OrderStatus.ACCEPTED, at, "OrderAccepted")
        for item in self.items:
            self.transition_item(item, ItemStatus.ACTIVE, at, "OrderItemActivated")

    def settle_monthly(self, at: datetime, month: str) -> None:
        """A monthly-billed order whose work all lies in settled months is paid (``month``:
        the last one); again: nothing."""
        if self.payment_status is not PaymentStatus.PARTIAL_MONTHLY:
            return
        self.payment_status = PaymentStatus.PAID
        self.updated_at = at
        self._emit("OrderPaymentSettled", at, {"payment_status": "paid", "month": month})

    def reject(self, at: datetime, reason: str) -> None:
        """Refuse the order before it is accepted (e.g. an insufficient balance); kept as rejected.

        Its items fail with the same reason: nothing of it will be made.
        """
        self.transition(OrderStatus.REJECTED, at, "OrderRejected", reason)
        for item in self.items:
            self.transition_item(item, ItemStatus.FAILED, at, "OrderItemFailed", reason)

    def cancel(
        self, at: datetime, reason: str = "cancelled by the customer", by: Actor | None = None
    ) -> None:
        """Cancel the order and every item still open (``by`` recorded as their last changer)."""
        self.transition(OrderStatus.CANCELLED, at, "OrderCancelled", reason)
        self.updated_by = by or self.updated_by
        for item in self.items:
            if not ITEM_STATES.is_terminal(item.status):
                self.transition_item(item, ItemStatus.CANCELLED, at, "OrderItemCancelled", reason)
                item.updated_by = by or item.updated_by

    def note_item(self, item: OrderItem, type_: str, at: datetime, details: dict[str, Any]) -> None:
        """Record an event about an item that changes no status (e.g. an occurrence ended)."""
        item.updated_at = at
        self._item_event(item, type_, at, details)

    def start(self, at: datetime) -> None:
        """Work on the order has begun (accepted → in progress); again: nothing."""
        if self.status is OrderStatus.ACCEPTED:
            self.transition(OrderStatus.IN_PROGRESS, at, "OrderInProgress")

    def roll_up(self, at: datetime) -> None:
        """Set the order's status from its items' once every item has ended.

        All completed → completed; none completed or partially completed (failed,
        expired, cancelled) → failed; anything between → partially completed.
        """
        if ORDER_STATES.is_terminal(self.status) or not all(
            ITEM_STATES.is_terminal(i.status) for i in self.items
        ):
            return
        done = [i.status for i in self.items if i.status is not ItemStatus.CANCELLED]
        if done and all(s is ItemStatus.COMPLETED for s in done):
            target, event = OrderStatus.COMPLETED, "OrderCompleted"
        elif any(s in (ItemStatus.COMPLETED, ItemStatus.PARTIALLY_COMPLETED) for s in done):
            target, event = OrderStatus.PARTIALLY_COMPLETED, "OrderPartiallyCompleted"
        else:
            target, event = OrderStatus.FAILED, "OrderFailed"
        self.transition(target, at, event)

    def check_feasibility_applies(self, item: OrderItem) -> TaskingSpec:
        """The item's tasking spec, if a feasibility check makes sense for it.

        Raises:
            Conflict: the item is an archive item, or already final.
        """
        if item.tasking is None:
            raise Conflict(f"item {item.id} is an archive item; feasibility is for tasking items")
        if ITEM_STATES.is_terminal(item.status):
            raise Conflict(
                f"item {item.id} is {item.status.value}; feasibility is checked for open items"
            )
        return item.tasking

    def record_feasibility(
        self, item: OrderItem, status: FeasibilityStatus, reason: str, at: datetime
    ) -> None:
        """Stamp a tasking item's latest feasibility verdict (an event says why)."""
        spec = self.check_feasibility_applies(item)
        spec.feasibility_status = status
        spec.last_feasibility_check = at
        self.updated_at = at
        self.note_item(
            item,
            "OrderItemFeasibilityChecked",
            at,
            {"feasibility_status": status.value, "reason": reason},
        )

    def cloud_for(self, item: OrderItem) -> CloudConfigRef | None:
        """The stored configuration an item's products are pushed to: its own, else the order's."""
        return item.cloud or self.delivery.cloud

    def item(self, item_id: str) -> OrderItem | None:
        """The item with ``item_id``, if it belongs to this order."""
        return next((i for i in self.items if i.id == item_id), None)
