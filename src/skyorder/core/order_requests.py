"""What a customer asks for when placing an order, and the rules that turn it into an Order.

Every rule here is checked for every item before anything is written, so a
bad request changes nothing and its error lists each invalid field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import isodate

from skyorder.core.bandsets import bandset_problems, with_image_type
from skyorder.core.errors import FieldError, Hint, ValidationFailed
from skyorder.core.geometry import DEFAULT_MAX_VERTICES, parse_aoi
from skyorder.core.ids import format_order_number, new_id
from skyorder.core.imagery import canonical_options, imagery_problems
from skyorder.core.licences import LicenceAcceptance
from skyorder.core.orders import (
    ArchiveImage,
    ArchiveSpec,
    CloudConfigRef,
    Delivery,
    FeasibilityStatus,
    ItemStatus,
    Order,
    OrderItem,
    OrderStatus,
    Priority,
    Recurrence,
    RecurrenceKind,
    TaskingSpec,
    key_path_problems,
)
from skyorder.core.products import ItemKind, Product, collection_product
from skyorder.core.recurrence import occurrences, revisit_slots
from skyorder.core.tenants import Contract
from skyorder.core.users import Actor

MAX_ITEMS = 100
MAX_NAME = 200
MAX_WINDOW = timedelta(days=366)
MAX_LEAD = timedelta(days=5 * 366)
MAX_OCCURRENCES = 104
MAX_IMAGES = 50


@dataclass(frozen=True)
class ArchiveItemRequest:
    """An archive scene to buy."""

    collection: str
    item_id: str
    processing_level: str
    product: str | None = None
    aoi: dict[str, Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    by_volume: bool = False
    """Without ``product``: buy it from the collection's volume-priced product (GB mode)."""
    name: str | None = None
    more_images: tuple[ArchiveImage, ...] = ()
    """Further scenes of the same collection, each with its own AOI (or whole)."""
    cloud: CloudConfigRef | None = None
    """The item's own cloud-delivery configuration and path (None: the order's)."""

    @property
    def images(self) -> list[ArchiveImage]:
        """Every scene the item asks for, the first being ``item_id`` clipped to ``aoi``."""
        return [ArchiveImage(self.item_id, self.aoi), *self.more_images]


@dataclass(frozen=True)
class TaskingItemRequest:
    """A new capture to plan."""

    product: str
    aoi: dict[str, Any]
    window_start: datetime
    window_end: datetime
    max_off_nadir: float | None = None
    max_cloud_cover: float | None = None
    priority: Priority = Priority.STANDARD
    revisit_period: str | None = None
    recurrence: Recurrence | None = None
    processing_levels: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    min_off_nadir: float | None = None
    name: str | None = None
    cloud: CloudConfigRef | None = None
    """The item's own cloud-delivery configuration and path (None: the order's)."""


ItemRequest = ArchiveItemRequest | TaskingItemRequest


@dataclass(frozen=True)
class OrderRequest:
    """A whole order as the customer asked for it."""

    name: str
    items: tuple[ItemRequest, ...]
    project_id: str | None = None
    delivery: Delivery = field(default_factory=Delivery)
    licences: tuple[LicenceAcceptance, ...] = ()
    """The licences the caller accepts (every product's required ones must be among them)."""


@dataclass(frozen=True)
class OrderingContext:
    """What the rules need to know besides the request."""

    contract: Contract
    products: Mapping[str, Product]
    now: datetime
    created_by: Actor | None
    max_vertices: int = DEFAULT_MAX_VERTICES


class _Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def check(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except ValidationFailed as exc:
            self.items.extend(exc.errors or [FieldError("", exc.detail)])
            return None

    def add(self, field_name: str, message: str, hint: Hint | None = None) -> None:
        self.items.append(FieldError(field_name, message, hint))


def parse_duration(value: str, field_name: str) -> timedelta:
    """Parse a positive ISO 8601 duration (``P1D``, ``PT12H``); a month counts as 30 days."""
    message = f"{value!r} is not an ISO 8601 duration such as P1D or PT12H"
    try:
        parsed = isodate.parse_duration(value)
        if isinstance(parsed, timedelta):
            delta = parsed
        else:
            days = float(parsed.years) * 365 + float(parsed.months) * 30
            delta = parsed.tdelta + timedelta(days=days)
    except (isodate.ISO8601Error, ValueError, OverflowError, TypeError):
        raise ValidationFailed.on(field_name, message) from None
    if delta <= timedelta(0):
        raise ValidationFailed.on(field_name, "must be a positive duration")
    if delta > MAX_WINDOW:
        raise ValidationFailed.on(field_name, "may be at most 366 days")
    return delta


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _product_for(
    req: ItemRequest, ctx: OrderingContext, path: str, errors: _Errors
) -> Product | None:
    sku = req.product
    if sku is None and isinstance(req, ArchiveItemRequest):
        match = collection_product(ctx.products, req.collection, req.by_volume)
        if match is None:
            how = "by volume " if req.by_volume else ""
            errors.add(
                f"{path}.collection",
                f"no archive product sells collection {req.collection!r} {how}".rstrip(),
            )
            return None
        sku = match.sku
    assert sku is not None
    product = ctx.products.get(sku)
    kind = ItemKind.ARCHIVE if isinstance(req, ArchiveItemRequest) else ItemKind.TASKING
    if product is None:
        errors.add(f"{path}.product", f"unknown product {sku!r}", Hint.LIST_PRODUCTS)
        return None
    if product.kind is not kind:
        errors.add(
            f"{path}.product", f"{sku} is {_a(product.kind.value)} product, not {kind.value}"
        )
        return None
    errors.check(lambda: ctx.contract.check_orderable(sku, ctx.now, f"{path}.product"))
    return product


def _archive_spec(
    req: ArchiveItemRequest, product: Product, path: str, errors: _Errors
) -> ArchiveSpec:
    if product.collection is not None and req.collection != product.collection:
        errors.add(
            f"{path}.collection",
            f"{product.sku} sells collection {product.collection}, not {req.collection!r}",
        )
    if not req.item_id.strip():
        errors.add(f"{path}.item_id", "must not be empty")
    errors.check(lambda: product.validate_level(req.processing_level, f"{path}.processing_level"))
    seen = {req.item_id}
    for i, image in enumerate(req.more_images, start=1):
        where = f"{path}.images[{i}]"
        if not image.item_id.strip():
            errors.add(f"{where}.item_id", "must not be empty")
        elif image.item_id in seen:
            errors.add(f"{where}.item_id", f"scene {image.item_id!r} is listed twice")
        seen.add(image.item_id)
        if image.aoi is not None:
            geom = errors.check(partial(parse_aoi, image.aoi, f"{where}.aoi"))
            if geom is not None and geom.geom_type == "Point":
                errors.add(f"{where}.aoi.type", "an archive AOI clips the scene: use a Polygon")
    if len(req.more_images) >= MAX_IMAGES:
        errors.add(f"{path}.images", f"an item may buy at most {MAX_IMAGES} scenes")
    return ArchiveSpec(req.collection, req.item_id, req.processing_level, req.more_images)


def _tasking_spec(
    req: TaskingItemRequest, product: Product, ctx: OrderingContext, path: str, errors: _Errors
) -> TaskingSpec:
    _check_window(req, ctx, path, errors)
    _check_constraints(req, product, path, errors)
    levels = req.processing_levels or product.processing_levels[:1]
    for i, level in enumerate(levels):
        errors.check(partial(product.validate_level, level, f"{path}.processing_levels[{i}]"))
    if len(set(levels)) != len(levels):
        errors.add(f"{path}.processing_levels", "lists a level twice")
    spec = _bare_tasking(req)
    spec.processing_levels = tuple(levels)
    return spec


def _check_window(
    req: TaskingItemRequest, ctx: OrderingContext, path: str, errors: _Errors
) -> None:
    naive = False
    for name, value in (("window.start", req.window_start), ("window.end", req.window_end)):
        if value.tzinfo is None:
            errors.add(f"{path}.{name}", "must carry a time zone, e.g. 2026-01-01T00:00:00Z")
            naive = True
    if naive:
        return
    if req.window_end <= req.window_start:
        errors.add(f"{path}.window.end", "must be after window.start")
    elif req.window_end - req.window_start > MAX_WINDOW:
        errors.add(f"{path}.window.end", "the window may last at most 366 days")
    if req.window_end <= ctx.now:
        errors.add(f"{path}.window.end", f"is in the past (now is {ctx.now.isoformat()})")
    elif req.window_start > ctx.now + MAX_LEAD:
        errors.add(f"{path}.window.start", "may start at most 5 years from now")


def _check_constraints(
    req: TaskingItemRequest, product: Product, path: str, errors: _Errors
) -> None:
    if req.max_off_nadir is not None and not 0 <= req.max_off_nadir <= product.max_off_nadir:
        errors.add(
            f"{path}.max_off_nadir", f"must be between 0 and {product.max_off_nadir} degrees"
        )
    if req.min_off_nadir is not None:
        top = req.max_off_nadir if req.max_off_nadir is not None else product.max_off_nadir
        if not 0 <= req.min_off_nadir <= top:
            errors.add(
                f"{path}.min_off_nadir",
                f"must be between 0 and {top:g} degrees (max_off_nadir, or the product's limit)",
            )
    if req.max_cloud_cover is not None and not 0 <= req.max_cloud_cover <= 100:
        errors.add(f"{path}.max_cloud_cover", "must be a percentage between 0 and 100")
    period = None
    if req.revisit_period is not None:
        period = errors.check(
            lambda: parse_duration(req.revisit_period or "", f"{path}.revisit_period")
        )
    schedule_ok = (
        req.window_start.tzinfo is not None
        and req.window_end.tzinfo is not None
        and req.window_start < req.window_end
    )
    if req.recurrence is not None:
        occ = req.recurrence.occurrences
        if req.recurrence.kind is RecurrenceKind.ONCE and occ != 1:
            errors.add(f"{path}.recurrence.occurrences", "must be 1 for ONCE")
            schedule_ok = False
        elif not 1 <= occ <= MAX_OCCURRENCES:
            errors.add(f"{path}.recurrence.occurrences", f"must be between 1 and {MAX_OCCURRENCES}")
            schedule_ok = False
    if schedule_ok:
        _check_schedule(req, period, path, errors)


def _check_schedule(
    req: TaskingItemRequest, period: timedelta | None, path: str, errors: _Errors
) -> None:
    """Occurrences must not overlap; revisit slots must be feasible and not too many."""
    try:
        occurrences(req.window_start, req.window_end, req.recurrence)
        revisit_slots(req.window_start, req.window_end, period)
    except ValidationFailed as exc:
        for e in exc.errors:
            errors.add(f"{path}.{e.field}", e.message)


def _bare_tasking(req: TaskingItemRequest) -> TaskingSpec:
    return TaskingSpec(
        window_start=req.window_start,
        window_end=req.window_end,
        max_off_nadir=req.max_off_nadir,
        max_cloud_cover=req.max_cloud_cover,
        priority=req.priority,
        revisit_period=req.revisit_period,
        recurrence=req.recurrence,
        processing_levels=req.processing_levels,
        feasibility_status=FeasibilityStatus.UNSPECIFIED,
        min_off_nadir=req.min_off_nadir,
    )


def checked_options(
    product: Product, options: Mapping[str, Any], path: str, errors: _Errors
) -> dict[str, Any]:
    """The options in their documented spelling, checked by the imagery rules, then the schema."""
    canonical = canonical_options(options)
    declared = product.parameters.get("properties", {})
    problems = imagery_problems(
        product.sensor, {k: v for k, v in canonical.items() if k in declared}, path
    )
    errors.items.extend(problems)
    said = {p.field for p in problems}
    try:
        product.validate_options(canonical, path)
    except ValidationFailed as exc:
        errors.items.extend(e for e in exc.errors if e.field not in said)
    return canonical


def _item(req: ItemRequest, ctx: OrderingContext, path: str, errors: _Errors) -> OrderItem | None:
    product = _product_for(req, ctx, path, errors)
    aoi = None
    if req.aoi is not None:
        geom = errors.check(lambda: parse_aoi(req.aoi, f"{path}.aoi", ctx.max_vertices))
        aoi = req.aoi if geom is not None else None
        if geom is not None and isinstance(req, ArchiveItemRequest) and geom.geom_type == "Point":
            errors.add(
                f"{path}.aoi.type", "an archive AOI clips the scene: use a Polygon or MultiPolygon"
            )
    if product is None:
        if isinstance(req, TaskingItemRequest):
            _check_window(req, ctx, path, errors)
        return None
    options = with_image_type(
        checked_options(product, req.options, f"{path}.options", errors), product.parameters
    )
    errors.items.extend(bandset_problems(options, f"{path}.options"))
    item_name = (req.name or "").strip() or None
    if item_name is not None and len(item_name) > MAX_NAME:
        errors.add(f"{path}.name", f"must be at most {MAX_NAME} characters")
    if req.cloud is not None:
        errors.items.extend(key_path_problems(req.cloud.path, f"{path}.cloud_delivery.path"))
    item = OrderItem(
        id=new_id(),
        kind=product.kind,
        product=product.sku,
        status=ItemStatus.PENDING,
        aoi=aoi,
        options=options,
        name=item_name,
        cloud=req.cloud,
        created_by=ctx.created_by,
        updated_by=ctx.created_by,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    if isinstance(req, ArchiveItemRequest):
        item.archive = _archive_spec(req, product, path, errors)
    else:
        item.tasking = _tasking_spec(req, product, ctx, path, errors)
    return item


@dataclass(frozen=True)
class OrderDraft:
    """A validated order request, everything decided but its number.

    Drafting checks every rule and builds the items (geometry, windows, options:
    the costly part); numbering is left for the short write transaction that
    takes the organisation's next order number.
    """

    request: OrderRequest
    ctx: OrderingContext
    name: str
    items: tuple[OrderItem, ...]

    @property
    def tasks(self) -> int:
        """How many task ids the order needs: one per tasking item."""
        return sum(1 for i in self.items if i.tasking is not None)

    def numbered(self, sequence: int) -> Order:
        """The new Order, awaiting payment, numbered ``sequence`` (its creation recorded)."""
        by = self.ctx.created_by
        order = Order(
            id=new_id(),
            number=format_order_number(sequence),
            organisation_id=self.ctx.contract.organisation_id,
            contract_id=self.ctx.contract.id,
            project_id=self.request.project_id,
            name=self.name,
            status=OrderStatus.PENDING_PAYMENT,
            items=list(self.items),
            delivery=self.request.delivery,
            created_by=by,
            updated_by=by,
            created_at=self.ctx.now,
            updated_at=self.ctx.now,
        )
        order.created(self.ctx.now)
        return order


def draft_order(req: OrderRequest, ctx: OrderingContext) -> OrderDraft:
    """Validate ``req`` against every rule; the draft numbers the order later.

    Raises:
        ValidationFailed: listing every invalid field; nothing is created.
    """
    errors = _Errors()
    name = req.name.strip()
    if not name:
        errors.add("name", "must not be empty")
    elif len(name) > MAX_NAME:
        errors.add("name", f"must be at most {MAX_NAME} characters")
    if not req.items:
        errors.add("items", "an order needs at least one item")
    elif len(req.items) > MAX_ITEMS:
        errors.add("items", f"an order may have at most {MAX_ITEMS} items")
    items = [_item(r, ctx, f"items[{i}]", errors) for i, r in enumerate(req.items[:MAX_ITEMS])]
    errors.items.extend(req.delivery.problems("delivery"))
    if errors.items:
        raise ValidationFailed.of(errors.items)
    return OrderDraft(req, ctx, name, tuple(i for i in items if i is not None))


def build_order(req: OrderRequest, ctx: OrderingContext, sequence: int) -> Order:
    """Validate ``req`` against every rule and return the new Order, awaiting payment.

    Raises:
        ValidationFailed: listing every invalid field; nothing is created.
    """
    return draft_order(req, ctx).numbered(sequence)


_BARE = "<item>"


def build_tasking_item(req: TaskingItemRequest, ctx: OrderingContext) -> OrderItem:
    """Validate one tasking item on its own, by the rules an order's items follow.

    Field names in errors are the item's own (``aoi``, ``window.end``), as when the item
    is the whole request body (e.g. a feasibility check).

    Raises:
        ValidationFailed: listing every invalid field.
    """
    return build_item(req, ctx)


def build_item(req: ItemRequest, ctx: OrderingContext) -> OrderItem:
    """Validate one item on its own (errors name the item's own fields: ``processing_level``).

    Raises:
        ValidationFailed: listing every invalid field.
    """
    errors = _Errors()
    item = _item(req, ctx, _BARE, errors)
    if errors.items:
        raise ValidationFailed.of(bare_fields(errors.items, _BARE))
    assert item is not None
    return item


def bare_fields(errors: list[FieldError], prefix: str) -> list[FieldError]:
    """The errors with ``prefix`` taken off their field names (``items[0].aoi`` -> ``aoi``)."""
    return [FieldError(e.field.removeprefix(prefix).lstrip("."), e.message, e.hint) for e in errors]
