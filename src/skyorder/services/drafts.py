"""Draft orders: saved with their validation errors, edited, submitted (placed) later."""

from __future__ import annotations

from dataclasses import replace

from skyorder.core.clock import Clock
from skyorder.core.drafts import as_request, new_draft, sketch_items, validate
from skyorder.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from skyorder.core.licences import (
    LicenceAcceptance,
    accept_licences,
    kept_licences,
    merge_licences,
)
from skyorder.core.order_requests import OrderingContext, OrderRequest, draft_order
from skyorder.core.orders import Order, OrderStatus
from skyorder.core.products import required_licences
from skyorder.core.quoting import price_request
from skyorder.core.tenants import Principal
from skyorder.core.users import UserRole
from skyorder.services.archive import Archive, read_footprints
from skyorder.services.billing import checkout_url, settle_new_order
from skyorder.services.orders import Placed, Placement, caller_contract, resolve_cloud_configs
from skyorder.services.tasks import sync_tasks
from skyorder.store.uow import UnitOfWork, UnitOfWorkFactory


def _context(
    uow: UnitOfWork, clock: Clock, principal: Principal, request: OrderRequest, max_vertices: int
) -> tuple[OrderingContext, OrderRequest, list[FieldError]]:
    """The ordering context, and the request with its cloud-delivery configurations resolved
    (those the organisation lacks kept as named, each an error of the draft)."""
    contract = caller_contract(uow, principal)
    request, unknown = resolve_cloud_configs(uow, principal, request)
    ctx = OrderingContext(contract, uow.products.all(), clock.now(), principal.actor, max_vertices)
    return ctx, request, unknown


def save_draft(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    principal: Principal,
    request: OrderRequest,
    max_vertices: int,
) -> Order:
    """Keep an order as a draft, whatever its validation says (its errors kept with it)."""
    principal.require_user_role(UserRole.MEMBER, "saving a draft order")
    with new_uow(readonly=True) as uow:
        ctx, request, unknown = _context(uow, clock, principal, request, max_vertices)
    with new_uow() as uow:
        sequence = uow.tenants.next_order_sequence(ctx.contract.organisation_id)
        order = new_draft(request, ctx, sequence, unknown)
        uow.orders.add(order)
        uow.commit()
    return order


def _draft(uow: UnitOfWork, principal: Principal, ref: str) -> Order:
    order = uow.orders.get(principal, ref, for_update=True)
    if order is None:
        raise NotFound(f"order {ref} not found")
    if order.status is not OrderStatus.DRAFT:
        raise Conflict(f"order {order.number} is {order.status.value}; only drafts are edited")
    return order


def edit_draft(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    principal: Principal,
    ref: str,
    request: OrderRequest,
    max_vertices: int,
) -> Order:
    """Replace a draft's content (every field, as sent); its errors are judged again."""
    principal.require_user_role(UserRole.MEMBER, "editing a draft order")
    with new_uow(readonly=True) as uow:
        ctx, request, unknown = _context(uow, clock, principal, request, max_vertices)
    _, errors = validate(request, ctx)
    items = sketch_items(request, ctx, [*errors, *unknown])
    with new_uow() as uow:
        order = _draft(uow, principal, ref)
        order.name = request.name.strip()[:200] or order.name
        order.project_id, order.delivery, order.items = request.project_id, request.delivery, items
        order.licences = kept_licences(request.licences, principal.actor, ctx.now)
        order.updated_at, order.updated_by = ctx.now, principal.actor
        uow.orders.rewrite_draft(order)
        uow.commit()
    return order


def submit_draft(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    archive: Archive,
    principal: Principal,
    ref: str,
    how: Placement,
    licences: tuple[LicenceAcceptance, ...] = (),
) -> Placed:
    """Validate, price and pay for a draft as a new order; it keeps its number and item ids.

    The licences accepted when the draft was saved (or edited) count, with ``licences``
    accepted now; the order records each with who accepted it and when.

    Raises:
        ValidationFailed: what still stops it (the draft is left as it is).
        Conflict: it is not a draft (any more).
    """
    principal.require_user_role(UserRole.MEMBER, "submitting a draft order")
    with new_uow(readonly=True) as uow:
        saved = uow.orders.get(principal, ref)
        if saved is None:
            raise NotFound(f"order {ref} not found")
        request = as_request(saved)
        request = replace(request, licences=request.licences + licences)
        ctx, request, unknown = _context(uow, clock, principal, request, how.max_vertices)
    if unknown:
        raise ValidationFailed.of(unknown)
    draft = draft_order(request, ctx)
    accept_licences(
        required_licences(ctx.products, (item.product for item in draft.items)),
        request.licences,
        ctx.created_by,
        ctx.now,
    )
    accepted = merge_licences(saved.licences, kept_licences(licences, ctx.created_by, ctx.now))
    listed = price_request(
        request.items, ctx.contract, ctx.products, read_footprints(archive, request.items)
    )
    with new_uow() as uow:
        order = _draft(uow, principal, ref)
        items = list(draft.items)
        for kept, item in zip(order.items, items, strict=True):
            item.id = kept.id
        order.items = items
        order.licences = accepted
        order.updated_at, order.updated_by = ctx.now, principal.actor
        order.transition(OrderStatus.PENDING_PAYMENT, ctx.now, "OrderSubmitted")
        prices = {items[p.index].id: p.price for p in listed.items}
        checkout = settle_new_order(uow, order, ctx.contract, prices, None, ctx.now, how.base_url)
        uow.orders.rewrite_draft(order)
        sync_tasks(uow, order, ctx.now)
        uow.commit()
    return Placed(order, checkout_url=checkout_url(how.base_url, checkout.id) if checkout else None)
