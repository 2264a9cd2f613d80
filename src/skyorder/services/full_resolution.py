"""Full-resolution files of a deliverable delivered at the sandbox resolution, made when asked.

A sandbox server delivers its products at the sandbox resolution (a coarse scene, made in
a fraction of a second): those are the files the deliverable's assets describe, with their
sizes and checksums. ``?resolution=full`` on an asset's download makes that file from the
same source, AOI, options, product id and production time at the server's full pixel
budget, the first time it is asked for, and keeps it in the object store beside the
delivered files (``deliverables/<id>/full/<file name>``) for the next asks. An analytic
image, the visual image, a preview, the thumbnail or the metadata is made alone; the STAC
item and the delivery bundle describe or hold every file, so they make the whole product.
A deliverable delivered at full resolution (on the real clock, or made before sandbox
resolutions) is served as delivered.

Reading what the file takes (:func:`full_request`, in a unit of work) and making it
(:func:`full_file`, outside any) are separate, so no transaction waits for rasters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from skyorder.core.deliverables import Asset, Deliverable
from skyorder.core.resolutions import Resolution
from skyorder.core.tenants import Principal
from skyorder.delivery.objects import ObjectStore
from skyorder.services.imagery import Imagery
from skyorder.services.leftovers import FULL_RESOLUTION
from skyorder.services.production import RESOLUTION, ProcessingPlan, processing_plan, produce
from skyorder.store.uow import UnitOfWork

FOLDER = FULL_RESOLUTION
WHOLE = frozenset({"stac", "delivery"})
"""Asset keys whose file describes or bundles every other one: made with the whole product."""


@dataclass(frozen=True)
class FullRequest:
    """One full-resolution file to serve: how to make it and where it is kept."""

    plan: ProcessingPlan
    asset_key: str
    object_key: str


def made_at(deliverable: Deliverable) -> Resolution:
    """The resolution a delivered deliverable's files were made at."""
    recorded = (deliverable.metadata or {}).get(RESOLUTION)
    return Resolution.SANDBOX if recorded == Resolution.SANDBOX.value else Resolution.FULL


def full_request(
    uow: UnitOfWork, principal: Principal, deliverable: Deliverable, asset_key: str, asset: Asset
) -> FullRequest | None:
    """What the full-resolution file of ``asset`` takes (None: the delivered one is full).

    Raises:
        InvalidProcessingOption: its source is no longer there (e.g. deleted from the
            catalogue).
    """
    if made_at(deliverable) is Resolution.FULL:
        return None
    order = uow.orders.get(principal, deliverable.order_id)
    item = order.item(deliverable.item_id) if order is not None else None
    if order is None or item is None:
        return None
    produced = (deliverable.metadata or {}).get("produced_at")
    produced_at = (
        datetime.fromisoformat(produced)
        if isinstance(produced, str)
        else deliverable.delivered_at or deliverable.updated_at
    )
    plan = processing_plan(
        uow, principal, deliverable, (order, item), produced_at, 0, Resolution.FULL
    )
    name = PurePosixPath(asset.path).name
    return FullRequest(plan, asset_key, f"deliverables/{deliverable.id}/{FOLDER}/{name}")


def full_file(imagery: Imagery, objects: ObjectStore, work: Path, request: FullRequest) -> str:
    """The object key of the full-resolution file: made now (that file only) if not yet.

    One full-resolution run at a time per deliverable, in and across processes (they
    share the work folder ``<work>/<deliverable>/full/``).
    """
    if objects.exists(request.object_key):
        return request.object_key
    deliverable_id = request.plan.deliverable_id
    with imagery.once(work / f".{deliverable_id}-{FOLDER}.lock"):
        if not objects.exists(request.object_key):  # else made while this one waited
            key = request.asset_key
            only = None if key in WHOLE else frozenset({key})
            produce(imagery, objects, work, request.plan, FOLDER, only)
    return request.object_key
