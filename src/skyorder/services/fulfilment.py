"""From an accepted order to deliverables in the customer's hands.

The steps, each an agenda step keyed by its entity and idempotent:

- ``order.fulfil`` (scheduled when an order is accepted): the order goes in
  progress; each archive item gets one deliverable per processing level
  (``DeliverableCreated``) and a ``deliverable.process`` step; tasking items are
  handed to the tasking backend when one is registered.
- ``deliverable.process`` (a :class:`~skyorder.services.agenda.Job`): the source
  scene is found or synthesized and the product made from it outside any
  transaction; then the deliverable is delivered with its assets, metadata and
  billing details (``DeliverableDelivered`` with ``delivery_method``), the item's
  hold is charged when the contract charges on delivery, and the item and order
  statuses roll up. A product that cannot be made fails the deliverable
  (``DeliverableFailed`` with the reason) and gives the item's money back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from skyorder.core.captures import CaptureStatus
from skyorder.core.deliverables import BillingDetails, Deliverable, DeliverableStatus
from skyorder.core.ids import new_id
from skyorder.core.imaging import product_footprint
from skyorder.core.orders import (
    ITEM_STATES,
    ArchiveImage,
    DeliveryMethod,
    ItemStatus,
    Order,
    OrderItem,
    OrderStatus,
)
from skyorder.core.products import ItemKind
from skyorder.core.steps import StepKind
from skyorder.core.tenants import Principal
from skyorder.delivery.objects import ObjectStore
from skyorder.services.agenda import Handler, Job
from skyorder.services.billing import adjust_hold, bill_deliverables, settle_item
from skyorder.services.imagery import Imagery
from skyorder.services.leftovers import remove_earlier_runs
from skyorder.services.production import Made, ProcessingPlan, processing_plan, produce
from skyorder.services.tasks import sync_tasks
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork

WORKER = "system:fulfilment"

# Called for each tasking item of an order being fulfilled (the tasking backend's hook).
TaskingPlanner = Callable[[UnitOfWork, Order, OrderItem, datetime], None]


def _as_owner(organisation_id: str) -> Principal:
    return Principal(organisation_id, WORKER)


def _order(uow: UnitOfWork, order_id: str) -> tuple[Principal, Order] | None:
    owner = uow.orders.owner_of(order_id)
    if owner is None:
        return None
    principal = _as_owner(owner)
    order = uow.orders.get(principal, order_id, for_update=True)
    return (principal, order) if order is not None else None


def _levels(item: OrderItem) -> list[str]:
    if item.archive is not None:
        return [item.archive.processing_level]
    assert item.tasking is not None
    return list(item.tasking.processing_levels) or ["L1"]


def new_deliverable(
    order: Order,
    item: OrderItem,
    level: str,
    capture_id: str | None,
    at: datetime,
    source_footprint: dict[str, Any] | None = None,
    image: ArchiveImage | None = None,
) -> Deliverable:
    """A deliverable of ``item`` at ``level`` (of one of its scenes), processing, created.

    Its footprint is the product's polygon: the AOI clipped to ``source_footprint``
    (the capture's strip or the archive scene's footprint). A further scene of a
    several-scene archive item has its own AOI (or is whole: its footprint is known
    once it is processed).
    """
    deliverable = Deliverable(
        id=new_id(),
        organisation_id=order.organisation_id,
        contract_id=order.contract_id,
        order_id=order.id,
        order_number=order.number,
        item_id=item.id,
        capture_id=capture_id,
        processing_level=level,
        scene_id=image.item_id if image is not None else None,
        status=DeliverableStatus.PROCESSING,
        footprint=(
            product_footprint(item.aoi, source_footprint)
            if image is None
            else product_footprint(image.aoi, None)
        ),
        tags=[str(t) for t in item.options.get("tags", [])],
        created_by=item.created_by,
        updated_by=item.created_by,
        created_at=at,
        updated_at=at,
    )
    deliverable.created(at)
    return deliverable


def add_deliverables(
    uow: UnitOfWork,
    order: Order,
    item: OrderItem,
    capture_id: str | None,
    at: datetime,
    source_footprint: dict[str, Any] | None = None,
) -> list[Deliverable]:
    """Create one deliverable per processing level of ``item`` and schedule processing."""
    order_pk = uow.orders.pk_of(order.id)
    assert order_pk is not None
    made = []
    # An archive item of several scenes gets deliverables of each (the first: the item's own).
    images: list[ArchiveImage | None] = [None, *item.images[1:]]
    for level, image in ((lv, im) for im in images for lv in _levels(item)):
        deliverable = new_deliverable(
            order, item, level, capture_id, at, source_footprint if image is None else None, image
        )
        uow.deliverables.add(deliverable, order_pk)
        uow.agenda.schedule(
            StepKind.DELIVERABLE_PROCESS, deliverable.id, at, at, order.organisation_id
        )
        made.append(deliverable)
    return made


def fulfil_order(planner: TaskingPlanner | None) -> Handler:
    """The ``order.fulfil`` handler."""

    def handle(uow: UnitOfWork, step: Step, now: datetime) -> None:
        found = _order(uow, step.entity_id)
        if found is None:
            return
        principal, order = found
        if order.status is not OrderStatus.ACCEPTED:
            return  # already under way, cancelled or done
        order.start(now)
        for item in order.items:
            if item.status is not ItemStatus.ACTIVE:
                continue
            if item.kind is ItemKind.ARCHIVE:
                if not uow.deliverables.of_item(principal, item.id):
                    add_deliverables(uow, order, item, None, now, _scene_footprint(uow, item))
            elif planner is not None:
                planner(uow, order, item, now)
        uow.orders.save(order)
        sync_tasks(uow, order, now)

    return handle


def _scene_footprint(uow: UnitOfWork, item: OrderItem) -> dict[str, Any] | None:
    spec = item.archive
    scene = uow.catalog.item(spec.collection, spec.item_id) if spec is not None else None
    return scene.geometry if scene is not None else None


def deliver_capture(uow: UnitOfWork, step: Step, now: datetime) -> None:
    """``capture.deliver``: a collected capture gets its deliverables (once)."""
    owner = uow.captures.owner_of(step.entity_id)
    if owner is None:
        return
    principal = _as_owner(owner)
    capture = uow.captures.get(principal, step.entity_id)
    if capture is None or capture.status is not CaptureStatus.COLLECTED:
        return
    found = _order(uow, capture.order_id)
    if found is None:
        return
    _, order = found
    item = order.item(capture.item_id)
    if item is None or ITEM_STATES.is_terminal(item.status):
        return
    made = uow.deliverables.of_item(principal, item.id)
    if any(d.capture_id == capture.id for d in made):
        return
    add_deliverables(uow, order, item, capture.id, now, capture.footprint)
    uow.orders.save(order)


class ProcessDeliverable(Job):
    """``deliverable.process``: make the product files, store them, then deliver them."""

    def __init__(self, imagery: Imagery, objects: ObjectStore, work: Path) -> None:
        self.imagery = imagery  # its pixel budgets and the resolution deliverables are made at
        self.objects = objects
        self.work = work  # products are made under <work>/<deliverable id>/, then stored

    def prepare(self, uow: UnitOfWork, step: Step, now: datetime) -> ProcessingPlan | None:
        """Read the deliverable, its item and its source scene."""
        owner = uow.deliverables.owner_of(step.entity_id)
        if owner is None:
            return None
        principal = _as_owner(owner)
        deliverable = uow.deliverables.get(principal, step.entity_id)
        if deliverable is None or deliverable.status is not DeliverableStatus.PROCESSING:
            return None
        order = uow.orders.get(principal, deliverable.order_id)
        item = order.item(deliverable.item_id) if order else None
        if order is None or item is None:
            return None
        # the lease taken after prepare counts this attempt
        run = step.attempt + 1
        resolution = self.imagery.deliverables_at
        return processing_plan(uow, principal, deliverable, (order, item), now, run, resolution)

    def perform(self, prepared: Any) -> Made:
        """Make the scene (if needed) and the product, and put its files in the object store.

        Each run writes its own folder and keys (``.../<deliverable>/<run>/``): a run whose
        lease ran out may still be writing, and never touches what this run describes.
        """
        plan: ProcessingPlan = prepared
        remove_earlier_runs(self.work, self.objects, plan.deliverable_id, plan.run)
        return produce(self.imagery, self.objects, self.work, plan, str(plan.run))

    def record(
        self, uow: UnitOfWork, step: Step, prepared: Any, result: Any, now: datetime
    ) -> None:
        """Deliver: assets, metadata, billing; charge; roll the item and order up."""
        plan: ProcessingPlan = prepared
        made: Made = result
        owner = uow.deliverables.owner_of(plan.deliverable_id)
        assert owner is not None
        principal = _as_owner(owner)
        deliverable = uow.deliverables.get(principal, plan.deliverable_id)
        if deliverable is None or deliverable.status is not DeliverableStatus.PROCESSING:
            return
        found = _order(uow, deliverable.order_id)
        assert found is not None
        _, order = found
        item = order.item(deliverable.item_id)
        assert item is not None
        deliverable.assets = dict(made.assets)
        deliverable.metadata = dict(made.metadata)
        deliverable.billing_details = BillingDetails(
            # Until the item's charge is settled (bill_deliverables), a tasking product
            # shows its own delivered area; an archive item bills its billable area.
            billable_sqkm=round(
                (item.area_km2 if item.kind is ItemKind.ARCHIVE else None) or made.area_km2, 6
            ),
            billable_sku=item.product,
        )
        pushed = order.delivery.bucket is not None or order.cloud_for(item) is not None
        method = DeliveryMethod.S3 if pushed else order.delivery.method
        deliverable.transition(DeliverableStatus.DELIVERED, now, {"delivery_method": method.value})
        uow.deliverables.save(deliverable)
        if pushed:
            uow.agenda.schedule(
                StepKind.DELIVERABLE_PUSH, deliverable.id, now, now, order.organisation_id
            )
        _settle_item(uow, principal, order, item, now)

    def failed(self, uow: UnitOfWork, step: Step, error: str, now: datetime) -> None:
        """The product could not be made: fail the deliverable and give the money back."""
        owner = uow.deliverables.owner_of(step.entity_id)
        if owner is None:
            return
        principal = _as_owner(owner)
        deliverable = uow.deliverables.get(principal, step.entity_id)
        if deliverable is None or deliverable.status is not DeliverableStatus.PROCESSING:
            return
        deliverable.transition(DeliverableStatus.FAILED, now, {"reason": _reason(error)})
        uow.deliverables.save(deliverable)
        found = _order(uow, deliverable.order_id)
        if found is None:
            return
        _, order = found
        item = order.item(deliverable.item_id)
        if item is not None:
            _settle_item(uow, principal, order, item, now)


def _reason(error: str) -> str:
    return error if len(error) < 500 else error[:497] + "..."


def _settle_item(
    uow: UnitOfWork, principal: Principal, order: Order, item: OrderItem, now: datetime
) -> None:
    """Once every deliverable of an item has ended: end the item, settle money, roll up."""
    if ITEM_STATES.is_terminal(item.status) or item.kind is not ItemKind.ARCHIVE:
        return  # tasking items end when their window does (services/tasking_plan.py)
    made = uow.deliverables.of_item(principal, item.id)
    statuses = [d.status for d in made]
    if not statuses or DeliverableStatus.PROCESSING in statuses:
        return
    delivered_ids = [d.id for d in made if d.status is DeliverableStatus.DELIVERED]
    delivered = len(delivered_ids)
    contract = uow.tenants.get_contract(principal, order.contract_id)
    assert contract is not None
    if delivered == len(statuses) and item.price is not None and item.price.estimated:
        item.price = item.price.delivered(sum(d.image_bytes for d in made))
        order.total_amount = sum(i.price.charged for i in order.items if i.price is not None)
        adjust_hold(uow, order, contract, item, item.price.charged, now)
    if delivered == len(statuses):
        order.transition_item(item, ItemStatus.COMPLETED, now, "OrderItemCompleted")
    elif delivered:
        order.transition_item(
            item, ItemStatus.PARTIALLY_COMPLETED, now, "OrderItemPartiallyCompleted"
        )
    else:
        order.transition_item(item, ItemStatus.FAILED, now, "OrderItemFailed", "processing failed")
    parts = settle_item(uow, order, contract, item, (delivered, len(statuses)), now, delivered_ids)
    bill_deliverables(uow, principal, item, parts, now)
    order.roll_up(now)
    uow.orders.save(order)
    sync_tasks(uow, order, now)
