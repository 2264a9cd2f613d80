"""Drafts: an order kept as asked for, with what stops it being placed, to finish later.

A draft is saved whatever its validation says: its items are stored as sent (a product
or window the rules refuse included) with the fields in error, under a number, in status
``draft``, and the licences accepted with it are kept (by whom, when), so that submitting
it later needs them no more; a required licence not yet accepted is one of its errors.
It is edited by sending the whole order again (its licences too), and submitted by
validating and pricing it as a new order would be: then it is placed under the same
number, its items keeping their ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.ids import format_order_number, new_id
from skyorder.core.licences import accept_licences, as_acceptances, kept_licences
from skyorder.core.order_requests import (
    ArchiveItemRequest,
    ItemRequest,
    OrderDraft,
    OrderingContext,
    OrderRequest,
    TaskingItemRequest,
    draft_order,
)
from skyorder.core.orders import (
    ArchiveSpec,
    FeasibilityStatus,
    ItemStatus,
    Order,
    OrderItem,
    OrderStatus,
    TaskingSpec,
)
from skyorder.core.products import ItemKind, required_licences


def validate(req: OrderRequest, ctx: OrderingContext) -> tuple[OrderDraft | None, list[FieldError]]:
    """The order the request makes, or every error that stops it (licences not accepted too)."""
    missing = licence_problems(req, ctx)
    try:
        draft = draft_order(req, ctx)
    except ValidationFailed as exc:
        return None, [*exc.errors, *missing]
    return (None, missing) if missing else (draft, [])


def _sku(req: ItemRequest, ctx: OrderingContext) -> str:
    if isinstance(req, ArchiveItemRequest):
        return req.product or next(
            (p.sku for p in ctx.products.values() if p.collection == req.collection), ""
        )
    return req.product


def licence_problems(req: OrderRequest, ctx: OrderingContext) -> list[FieldError]:
    """What the request's licences lack for its items' products (as ``licences`` errors)."""
    required = required_licences(ctx.products, (_sku(r, ctx) for r in req.items))
    try:
        accept_licences(required, req.licences, ctx.created_by, ctx.now)
    except ValidationFailed as exc:
        return list(exc.errors)
    return []


def _errors_of(index: int, errors: Sequence[FieldError]) -> tuple[FieldError, ...]:
    """An item's own errors and the order's (those of no item)."""
    own = f"items[{index}]"
    return tuple(
        e
        for e in errors
        if e.field == own or e.field.startswith(own + ".") or not e.field.startswith("items[")
    )


def _sketch(req: ItemRequest, ctx: OrderingContext, errors: tuple[FieldError, ...]) -> OrderItem:
    product = _sku(req, ctx)
    if isinstance(req, ArchiveItemRequest):
        archive, tasking, kind = (
            ArchiveSpec(req.collection, req.item_id, req.processing_level, req.more_images),
            None,
            ItemKind.ARCHIVE,
        )
    else:
        assert isinstance(req, TaskingItemRequest)
        archive, kind = None, ItemKind.TASKING
        tasking = TaskingSpec(
            window_start=req.window_start,
            window_end=req.window_end,
            max_off_nadir=req.max_off_nadir,
            max_cloud_cover=req.max_cloud_cover,
            priority=req.priority,
            revisit_period=req.revisit_period,
            recurrence=req.recurrence,
            processing_levels=req.processing_levels,
            feasibility_status=FeasibilityStatus.UNSPECIFIED,
        )
    return OrderItem(
        id=new_id(),
        kind=kind,
        product=product,
        status=ItemStatus.DRAFT,
        aoi=req.aoi,
        options=dict(req.options),
        archive=archive,
        tasking=tasking,
        name=(req.name or "").strip() or None,
        validation_errors=errors,
        cloud=req.cloud,
        created_by=ctx.created_by,
        updated_by=ctx.created_by,
        created_at=ctx.now,
        updated_at=ctx.now,
    )


def sketch_items(
    req: OrderRequest, ctx: OrderingContext, errors: Sequence[FieldError]
) -> list[OrderItem]:
    """The request's items as sent, each with its errors (none may be placed as they are).

    Raises:
        ValidationFailed: the draft has no item to keep.
    """
    if not req.items:
        raise ValidationFailed.on("items", "a draft needs at least one item")
    return [_sketch(r, ctx, _errors_of(i, errors)) for i, r in enumerate(req.items)]


def new_draft(
    req: OrderRequest, ctx: OrderingContext, sequence: int, found: Sequence[FieldError] = ()
) -> Order:
    """A draft order numbered ``sequence``: its items as sent, with every validation error
    (and ``found``: errors only the caller could tell, e.g. a configuration it lacks)."""
    _, errors = validate(req, ctx)
    errors = [*errors, *found]
    by = ctx.created_by
    order = Order(
        id=new_id(),
        number=format_order_number(sequence),
        organisation_id=ctx.contract.organisation_id,
        contract_id=ctx.contract.id,
        project_id=req.project_id,
        name=req.name.strip()[:200] or "draft",
        status=OrderStatus.DRAFT,
        items=sketch_items(req, ctx, errors),
        delivery=req.delivery,
        licences=kept_licences(req.licences, by, ctx.now),
        created_by=by,
        updated_by=by,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    order.created(ctx.now)
    return order


def as_request(order: Order) -> OrderRequest:
    """A stored draft as the request it was saved from."""
    items: list[ItemRequest] = []
    for item in order.items:
        if item.archive is not None:
            a = item.archive
            items.append(
                ArchiveItemRequest(
                    a.collection,
                    a.item_id,
                    a.processing_level,
                    item.product or None,
                    item.aoi,
                    dict(item.options),
                    name=item.name,
                    more_images=a.more,
                    cloud=item.cloud,
                )
            )
        else:
            t = item.tasking
            assert t is not None and item.aoi is not None
            items.append(
                TaskingItemRequest(
                    item.product,
                    item.aoi,
                    t.window_start,
                    t.window_end,
                    t.max_off_nadir,
                    t.max_cloud_cover,
                    t.priority,
                    t.revisit_period,
                    t.recurrence,
                    t.processing_levels,
                    dict(item.options),
                    min_off_nadir=t.min_off_nadir,
                    name=item.name,
                    cloud=item.cloud,
                )  # fmt: skip
            )
    return OrderRequest(
        order.name, tuple(items), order.project_id, order.delivery, as_acceptances(order.licences)
    )
