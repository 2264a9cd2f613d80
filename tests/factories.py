"""Small valid request bodies that tests tweak, and helpers that build fulfilment records."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from skyorder.core.captures import Capture, CaptureGeometry, CaptureStatus
from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.deliverables import (
    Asset,
    BillingDetails,
    Deliverable,
    DeliverableStatus,
)
from skyorder.core.ids import new_id
from skyorder.core.orders import Priority

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from skyorder.runtime import Runtime

TOULOUSE = {
    "type": "Polygon",
    "coordinates": [
        [
            [1.4089965820312502, 43.59829500262717],
            [1.4089965820312502, 43.63408731864001],
            [1.5078735351562496, 43.63408731864001],
            [1.5078735351562496, 43.59829500262717],
            [1.4089965820312502, 43.59829500262717],
        ]
    ],
}

MAR_DEL_PLATA = {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}


def tasking_item(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "kind": "tasking",
        "product": "TSKRSH-M.NN.NN",
        "aoi": copy.deepcopy(MAR_DEL_PLATA),
        "window": {"start": "2026-01-06T00:00:00Z", "end": "2026-01-20T23:59:00Z"},
        "max_off_nadir": 30,
        "max_cloud_cover": 20,
        "priority": "rush",
        "revisit_period": "P1D",
        "processing_levels": ["L1B", "L1D_SR"],
    }
    item.update(overrides)
    return item


def archive_item(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "kind": "archive",
        "collection": "phr",
        "item_id": "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724",
        "processing_level": "ORTHO",
        "aoi": copy.deepcopy(TOULOUSE),
        "options": {"product_type": "pansharpened", "radiometric_processing": "DISPLAY"},
    }
    item.update(overrides)
    return item


def order_body(
    *items: dict[str, Any], name: str = "Mar del Plata Airport", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "items": list(items) or [tasking_item()]}
    body.update(extra)
    return body


def advance(runtime: Runtime, **delta: float) -> datetime:
    """Move the runtime's sandbox clock forward by ``timedelta(**delta)``; return the new now."""
    assert isinstance(runtime.clock, SandboxClock)
    return runtime.clock.advance(timedelta(**delta))


def pass_wall_time(runtime: Runtime, **delta: float) -> datetime:
    """Let real time pass by ``timedelta(**delta)`` (sandbox time follows); return the wall now.

    Tests' sandbox clocks run on a :class:`FixedClock`; this moves that one, the clock
    tokens and signed links age on.
    """
    assert isinstance(runtime.clock, SandboxClock)
    wall = runtime.clock.wall
    assert isinstance(wall, FixedClock)
    wall.set(wall.now() + timedelta(**delta))
    return wall.now()


def place(
    client: TestClient,
    tenant: Mapping[str, Any],
    body: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Place an order through the API and return it (asserting 201)."""
    response = client.post(
        "/v1/orders", json=body or order_body(), headers={**tenant["headers"], **(headers or {})}
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


GROUND_TRACK = {
    "type": "LineString",
    "coordinates": [[-57.9, -38.3, 523456.0], [-57.3, -37.6, 523501.5]],
}


def capture_for(
    order: Mapping[str, Any],
    at: datetime,
    *,
    satellite: str = "SKY-3",
    start: datetime | None = None,
    duration: timedelta = timedelta(seconds=12),
    status: CaptureStatus = CaptureStatus.SCHEDULED,
    reason: str = "",
    **overrides: Any,
) -> Capture:
    """A capture of the order's first item, planned at ``at`` then moved to ``status``."""
    begin = start or at + timedelta(days=1)
    fields: dict[str, Any] = {
        "id": new_id(),
        "organisation_id": order["organisation_id"],
        "order_id": order["id"],
        "order_number": order["order_number"],
        "item_id": order["items"][0]["id"],
        "satellite": satellite,
        "start": begin,
        "end": begin + duration,
        "status": CaptureStatus.PLANNED,
        "priority": Priority.RUSH,
        "ground_track": copy.deepcopy(GROUND_TRACK),
        "footprint": None,
        "geometry": CaptureGeometry(3.5, 12.25, 41.0, 42.5),
        "created_at": at,
        "updated_at": at,
    }
    fields.update(overrides)
    capture = Capture(**fields)
    path = {
        CaptureStatus.PLANNED: [],
        CaptureStatus.SCHEDULED: [CaptureStatus.SCHEDULED],
        CaptureStatus.COLLECTED: [CaptureStatus.SCHEDULED, CaptureStatus.COLLECTED],
        CaptureStatus.FAILED: [CaptureStatus.SCHEDULED, CaptureStatus.FAILED],
        CaptureStatus.CANCELLED: [CaptureStatus.CANCELLED],
    }[status]
    for step in path:
        capture.transition(step, at, reason if step is status else "")
    return capture


def deliverable_for(
    order: Mapping[str, Any],
    at: datetime,
    *,
    status: DeliverableStatus = DeliverableStatus.DELIVERED,
    delivered_at: datetime | None = None,
    capture_id: str | None = None,
    **overrides: Any,
) -> Deliverable:
    """A deliverable of the order's first item, created at ``at`` then moved to ``status``."""
    fields: dict[str, Any] = {
        "id": new_id(),
        "organisation_id": order["organisation_id"],
        "contract_id": order["contract_id"],
        "order_id": order["id"],
        "order_number": order["order_number"],
        "item_id": order["items"][0]["id"],
        "capture_id": capture_id,
        "processing_level": "L1D_SR",
        "status": DeliverableStatus.PROCESSING,
        "footprint": None,
        "assets": {
            "visual": Asset(
                "visual",
                "deliverables/visual.tif",
                "image/tiff; application=geotiff",
                ("data", "visual"),
                1024,
                "ab" * 32,
                "Visual",
            ),
            "thumbnail": Asset("thumbnail", "deliverables/thumb.png", "image/png", ("thumbnail",)),
        },
        "metadata": {"gsd": 0.8, "sensor": "micro-fleet"},
        "billing_details": BillingDetails(27.5, "TSKRSH-M.NN.NN"),
        "tags": ["rush"],
        "created_at": at,
        "updated_at": at,
    }
    fields.update(overrides)
    deliverable = Deliverable(**fields)
    deliverable.created(at)
    if status is not DeliverableStatus.PROCESSING:
        when = delivered_at or at
        if status is DeliverableStatus.REJECTED:
            deliverable.transition(DeliverableStatus.DELIVERED, when, {"delivery_method": "API"})
            deliverable.transition(status, when, {"reason": "cloudy"})
        elif status is DeliverableStatus.DELIVERED:
            deliverable.transition(status, when, {"delivery_method": "API"})
        else:
            deliverable.transition(status, when, {"reason": "processing failed"})
    return deliverable


def store(runtime: Runtime, order_id: str, *entities: Capture | Deliverable) -> None:
    """Insert captures and deliverables of an order through the repositories."""
    with runtime.uow() as uow:
        pk = uow.orders.pk_of(order_id)
        assert pk is not None, order_id
        for entity in entities:
            if isinstance(entity, Capture):
                uow.captures.add(entity, pk)
            else:
                uow.deliverables.add(entity, pk)
        uow.commit()


def stored_assets(runtime: Runtime, folder: str, files: Mapping[str, bytes]) -> dict[str, Asset]:
    """Put small real files (asset key → content) in the runtime's object store as assets."""
    import hashlib
    import tempfile
    from pathlib import Path

    from skyorder.delivery.objects import guess_type

    assets: dict[str, Asset] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key, data in files.items():
            name = f"{key}.tif" if key in ("visual", "analytic") else f"{key}.png"
            local = Path(tmp) / name
            local.write_bytes(data)
            stored = runtime.objects.put_file(f"{folder}/{name}", local)
            assert stored.sha256 == hashlib.sha256(data).hexdigest()
            assets[key] = Asset(
                key, stored.key, guess_type(name), ("data",), stored.size, stored.sha256
            )
    return assets


def poor_organisation(runtime: Runtime, credits: int = 10) -> dict[str, Any]:
    """An organisation whose contract holds only ``credits`` (too few for most orders)."""
    from skyorder.services.demo import provision_organisation
    from skyorder.services.tenants import ContractTerms

    return provision_organisation(
        runtime.uow,
        runtime.clock,
        "Poor",
        "http://testserver",
        ContractTerms(name="Poor contract"),
        credits=credits,
    )
