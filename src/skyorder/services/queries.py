"""Read-side use cases: which filters each list offers, and the scoped reads themselves."""

from __future__ import annotations

from collections.abc import Iterable

from skyorder.core.captures import Capture, CaptureStatus
from skyorder.core.deliverables import Deliverable, DeliverableStatus
from skyorder.core.errors import NotFound
from skyorder.core.events import EntityType, Event
from skyorder.core.listing import (
    TEXT_FILTER,
    TIME_FILTER,
    FieldSpec,
    FieldType,
    ListQuery,
    Op,
    PageResult,
    choice_filter,
)
from skyorder.core.names import Names
from skyorder.core.orders import OrderStatus
from skyorder.core.tenants import Principal
from skyorder.core.webhooks import DeliveryStatus
from skyorder.services.orders import get_order
from skyorder.store.uow import UnitOfWork

ORDER_FILTERS: dict[str, FieldSpec] = {
    "status": choice_filter([s.value for s in OrderStatus]),
    "kind": choice_filter(["archive", "tasking", "mixed"]),
    "product": TEXT_FILTER,
    "project_id": TEXT_FILTER,
    "contract_id": TEXT_FILTER,
    "created_by": TEXT_FILTER,  # a user id, a user's email or an API client id
    "task_id": TEXT_FILTER,  # a tasking item's task id
    "name": FieldSpec(FieldType.TEXT, frozenset({Op.EQ, Op.CONTAINS})),
    "created_at": TIME_FILTER,
    "updated_at": TIME_FILTER,
}

CAPTURE_FILTERS: dict[str, FieldSpec] = {
    "status": choice_filter([s.value for s in CaptureStatus]),
    "satellite": TEXT_FILTER,
    "order": TEXT_FILTER,
    "order_id": TEXT_FILTER,
    "item_id": TEXT_FILTER,
    "start": TIME_FILTER,
    "end": TIME_FILTER,
    "created_at": TIME_FILTER,
    "updated_at": TIME_FILTER,
}

DELIVERABLE_FILTERS: dict[str, FieldSpec] = {
    "status": choice_filter([s.value for s in DeliverableStatus]),
    "order": TEXT_FILTER,
    "order_id": TEXT_FILTER,
    "capture_id": TEXT_FILTER,
    "processing_level": TEXT_FILTER,
    "created_at": TIME_FILTER,
    "updated_at": TIME_FILTER,
    "delivered_at": TIME_FILTER,
}

EVENT_FILTERS: dict[str, FieldSpec] = {
    "type": TEXT_FILTER,
    "entity": choice_filter([e.value for e in EntityType]),
    "entity_id": TEXT_FILTER,
    "order_id": TEXT_FILTER,
    "timestamp": TIME_FILTER,
}

WEBHOOK_DELIVERY_FILTERS: dict[str, FieldSpec] = {
    "status": choice_filter([s.value for s in DeliveryStatus]),
    "event_type": TEXT_FILTER,
    "created_at": TIME_FILTER,
}


def list_captures(
    uow: UnitOfWork, principal: Principal, query: ListQuery, order_ref: str | None = None
) -> PageResult[Capture]:
    """The caller's captures, optionally of one order (404 if that order is not theirs)."""
    order_id = get_order(uow, principal, order_ref).id if order_ref else None
    return uow.captures.list(principal, query, order_id)


def get_capture(uow: UnitOfWork, principal: Principal, capture_id: str) -> Capture:
    """One of the caller's captures."""
    capture = uow.captures.get(principal, capture_id)
    if capture is None:
        raise NotFound(f"capture {capture_id} not found")
    return capture


def list_deliverables(
    uow: UnitOfWork, principal: Principal, query: ListQuery, order_ref: str | None = None
) -> PageResult[Deliverable]:
    """The caller's deliverables, optionally of one order (404 if that order is not theirs)."""
    order_id = get_order(uow, principal, order_ref).id if order_ref else None
    return uow.deliverables.list(principal, query, order_id)


def get_deliverable(uow: UnitOfWork, principal: Principal, deliverable_id: str) -> Deliverable:
    """One of the caller's deliverables."""
    deliverable = uow.deliverables.get(principal, deliverable_id)
    if deliverable is None:
        raise NotFound(f"deliverable {deliverable_id} not found")
    return deliverable


def list_events(
    uow: UnitOfWork, principal: Principal, query: ListQuery, order_ref: str | None = None
) -> PageResult[Event]:
    """The caller's events in the order they happened, optionally of one order."""
    order_id = get_order(uow, principal, order_ref).id if order_ref else None
    return uow.events.list(principal, query, order_id)


def names_for(uow: UnitOfWork, principal: Principal, order_ids: Iterable[str] = ()) -> Names:
    """The names of the caller's contracts, projects, the products and ``order_ids``' orders."""
    return Names(
        contracts={c.id: c.name for c in uow.tenants.list_contracts(principal.without_contract())},
        projects={p.id: p.name for p in uow.tenants.list_projects(principal)},
        products={sku: p.name for sku, p in uow.products.all().items()},
        orders=uow.orders.names(principal, order_ids),
    )
