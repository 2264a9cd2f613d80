"""An archive order played out: deliverables made from the scene, delivered, charged."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import rasterio
from fastapi.testclient import TestClient
from pyproj import Transformer
from rio_cogeo.cogeo import cog_validate
from shapely.geometry import shape

from skyorder.core.clock import SandboxClock
from skyorder.core.steps import StepKind
from skyorder.runtime import Runtime
from tests.catalog_examples import install_example_catalog
from tests.factories import TOULOUSE, archive_item, order_body, place

Tenant = dict[str, Any]


@pytest.fixture
def catalog(runtime: Runtime) -> None:
    install_example_catalog(runtime)


def play(runtime: Runtime, clock: SandboxClock, **delta: float) -> None:
    runtime.agenda.advance(clock, clock.now() + timedelta(**delta))


def get(client: TestClient, tenant: Tenant, path: str) -> Any:
    response = client.get(path, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def deliverables(client: TestClient, tenant: Tenant, order_id: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = get(
        client, tenant, f"/v1/orders/{order_id}/deliverables?limit=100"
    )["results"]
    return results


def file_of(client: TestClient, tenant: Tenant, deliverable_id: str, key: str) -> Path:
    """Download an asset as a customer would: the asset route, then the signed link."""
    response = client.get(
        f"/v1/deliverables/{deliverable_id}/assets/{key}",
        headers=tenant["headers"],
        follow_redirects=False,
    )
    assert response.status_code == 307, response.text
    signed = client.get(response.headers["location"])  # no credentials needed
    assert signed.status_code == 200, signed.text
    path = Path(tempfile.mkdtemp()) / f"{key}{Path(signed.url.path).suffix}"
    path.write_bytes(signed.content)
    return path


@pytest.mark.usefixtures("catalog")
def test_an_archive_order_ends_completed_with_a_delivered_product(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    order = place(client, tenant, order_body(archive_item()))
    play(runtime, clock, minutes=5)
    done = get(client, tenant, f"/v1/orders/{order['id']}")
    assert done["status"] == "completed"
    assert done["items"][0]["status"] == "completed"
    (deliverable,) = deliverables(client, tenant, order["id"])
    assert deliverable["status"] == "delivered"
    assert deliverable["latest_event"]["type"] == "DeliverableDelivered"
    assert deliverable["latest_event"]["details"]["delivery_method"] == "api"
    assert {"analytic", "visual", "preview", "thumbnail", "metadata", "delivery"} <= set(
        deliverable["assets"]
    )
    assert deliverable["billing_details"]["billable_sku"] == "ARC-PHR-KM2"
    assert deliverable["billing_details"]["billable_sqkm"] == pytest.approx(
        done["items"][0]["area_km2"]
    )
    types = [e["type"] for e in get(client, tenant, f"/v1/orders/{order['id']}/events")["results"]]
    assert types.index("DeliverableCreated") < types.index("DeliverableDelivered")
    assert types[-1] == "OrderCompleted"


@pytest.mark.usefixtures("catalog")
def test_the_analytic_file_is_a_valid_cog_in_the_ordered_crs_inside_the_aoi(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    options = {
        "product_type": "multispectral",
        "radiometric_processing": "REFLECTANCE",
        "crs_code": "EPSG:32631",
    }
    order = place(client, tenant, order_body(archive_item(options=options)))
    play(runtime, clock, minutes=5)
    (deliverable,) = deliverables(client, tenant, order["id"])
    path = file_of(client, tenant, deliverable["id"], "analytic")
    valid, errors, _ = cog_validate(str(path))
    assert valid, errors
    to_utm = Transformer.from_crs(4326, 32631, always_xy=True)
    aoi = shape(TOULOUSE)
    xs, ys = to_utm.transform(*zip(*aoi.exterior.coords, strict=True))
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 32631
        assert (src.count, src.dtypes[0]) == (4, "uint16")
        left, bottom, right, top = src.bounds
        gsd = src.res[0]
    assert left >= min(xs) - gsd and right <= max(xs) + gsd
    assert bottom >= min(ys) - gsd and top <= max(ys) + gsd


@pytest.mark.usefixtures("catalog")
def test_jpeg2000_is_delivered_when_asked_and_the_bundle_manifest_matches(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    options = {"product_type": "pansharpened", "image_format": "image/jp2"}
    order = place(client, tenant, order_body(archive_item(options=options)))
    play(runtime, clock, minutes=5)
    (deliverable,) = deliverables(client, tenant, order["id"])
    analytic = file_of(client, tenant, deliverable["id"], "analytic")
    with rasterio.open(analytic) as src:
        assert src.driver == "JP2OpenJPEG"
    bundle = file_of(client, tenant, deliverable["id"], "delivery")
    with zipfile.ZipFile(bundle) as archive:
        manifest_name = next(n for n in archive.namelist() if n.endswith("manifest.json"))
        manifest = json.loads(archive.read(manifest_name))
        folder = manifest_name.rsplit("/", 1)[0]
        assert manifest["files"]
        for entry in manifest["files"]:
            data = archive.read(f"{folder}/{entry['name']}")
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]


@pytest.mark.usefixtures("catalog")
def test_a_delivered_order_is_charged_on_delivery(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    url = f"/v1/contracts/{tenant['contract_id']}/balance"
    before = get(client, tenant, url)
    order = place(client, tenant, order_body(archive_item()))
    held = get(client, tenant, url)
    assert held["held"] - before["held"] == order["total_amount"]
    play(runtime, clock, minutes=5)
    after = get(client, tenant, url)
    assert after["held"] == before["held"]
    assert after["spent"] - before["spent"] == order["total_amount"]
    response = client.get("/v1/reports/usage", params={"format": "json"}, headers=tenant["headers"])
    (row,) = response.json()["results"]
    assert row["amount_charged"] == order["total_amount"]
    assert row["sku"] == "ARC-PHR-KM2"


def test_a_scene_missing_from_the_catalog_fails_the_order_and_releases_its_hold(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    url = f"/v1/contracts/{tenant['contract_id']}/balance"
    before = get(client, tenant, url)
    order = place(client, tenant, order_body(archive_item()))  # priced, but not in the catalog
    play(runtime, clock, days=2)
    failed = get(client, tenant, f"/v1/orders/{order['id']}")
    assert failed["status"] == "failed"
    assert failed["payment_status"] == "refunded"
    (deliverable,) = deliverables(client, tenant, order["id"])
    assert deliverable["status"] == "failed"
    assert "no longer in the catalog" in deliverable["latest_event"]["details"]["reason"]
    assert get(client, tenant, url)["available"] == before["available"]


@pytest.mark.usefixtures("catalog")
def test_a_cancelled_order_is_not_fulfilled(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    order = place(client, tenant, order_body(archive_item()))
    response = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert response.status_code == 200, response.text
    play(runtime, clock, minutes=5)
    assert deliverables(client, tenant, order["id"]) == []
    assert get(client, tenant, f"/v1/orders/{order['id']}")["status"] == "cancelled"


STRIP = {
    "type": "Polygon",
    "coordinates": [
        [[-57.62, -37.97], [-57.53, -37.97], [-57.53, -37.90], [-57.62, -37.90], [-57.62, -37.97]]
    ],
}


def test_a_collected_capture_gets_one_deliverable_per_processing_level(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    from skyorder.core.captures import CaptureStatus
    from tests.factories import capture_for, tasking_item

    order = place(client, tenant, order_body(tasking_item()))
    capture = capture_for(order, clock.now(), status=CaptureStatus.COLLECTED, footprint=STRIP)
    capture.cloud_cover = 5.0
    with runtime.uow() as uow:
        pk = uow.orders.pk_of(order["id"])
        assert pk is not None
        uow.captures.add(capture, pk)
        uow.agenda.schedule(StepKind.CAPTURE_DELIVER, capture.id, clock.now(), clock.now())
        uow.agenda.schedule(
            StepKind.CAPTURE_DELIVER, capture.id, clock.now() + timedelta(seconds=1), clock.now()
        )
        uow.commit()
    play(runtime, clock, minutes=5)
    made = deliverables(client, tenant, order["id"])
    assert sorted(d["processing_level"] for d in made) == ["L1B", "L1D_SR"]
    assert {d["status"] for d in made} == {"delivered"}
    assert {d["capture_id"] for d in made} == {capture.id}
    l1b = next(d for d in made if d["processing_level"] == "L1B")
    with rasterio.open(file_of(client, tenant, l1b["id"], "analytic")) as src:
        assert src.dtypes[0] == "uint16"  # BASIC16 for L1B


def test_a_tasking_order_played_out_ends_with_deliverables_of_its_collected_captures(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> None:
    from collections import Counter

    from tests.factories import tasking_item

    url = f"/v1/contracts/{tenant['contract_id']}/balance"
    order = place(client, tenant, order_body(tasking_item()))  # 6–20 Jan, P1D, L1B + L1D_SR
    play(runtime, clock, days=16)
    final = get(client, tenant, f"/v1/orders/{order['id']}")
    assert final["status"] in {"completed", "partially_completed", "failed"}
    captures = get(client, tenant, f"/v1/orders/{order['id']}/captures?limit=100")["results"]
    collected = [c for c in captures if c["status"] == "collected"]
    per_day = Counter(c["start"][:10] for c in collected)
    assert collected and max(per_day.values()) == 1  # at most one acquisition a day
    made = deliverables(client, tenant, order["id"])
    assert len(made) == 2 * len(collected)
    assert {d["status"] for d in made} == {"delivered"}
    assert {d["capture_id"] for d in made} == {c["id"] for c in collected}
    analytic = file_of(client, tenant, made[0]["id"], "analytic")
    valid, errors, _ = cog_validate(str(analytic))
    assert valid, errors
    assert get(client, tenant, url)["held"] == 0  # charged for what was collected, rest released
