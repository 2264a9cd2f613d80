"""Deliverables made at the sandbox resolution, and their files at full resolution on request."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rasterio
from fastapi.testclient import TestClient

from skyorder.core.captures import CaptureStatus
from skyorder.core.clock import SandboxClock
from skyorder.core.resolutions import Resolution
from skyorder.core.steps import StepKind
from skyorder.core.tenants import Principal
from skyorder.delivery.local import LocalDiskStore
from skyorder.runtime import Runtime
from skyorder.services.full_resolution import made_at
from skyorder.settings import Settings
from tests.catalog_examples import install_example_catalog
from tests.factories import archive_item, capture_for, order_body, place, tasking_item
from tests.integration.test_archive_fulfilment import STRIP, deliverables, play

Tenant = dict[str, Any]
OPTIONS = {"product_type": "multispectral", "crs_code": "EPSG:32631"}


@pytest.fixture
def delivered(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock
) -> dict[str, Any]:
    """A delivered archive deliverable (a multispectral product in UTM 31N)."""
    install_example_catalog(runtime)
    order = place(client, tenant, order_body(archive_item(options=OPTIONS)))
    play(runtime, clock, minutes=5)
    (deliverable,) = deliverables(client, tenant, order["id"])
    assert deliverable["status"] == "delivered"
    return deliverable


def download(
    client: TestClient, tenant: Tenant, deliverable_id: str, key: str, **params: str
) -> tuple[str, bytes, dict[str, str]]:
    """The signed link's path, the file and the download's headers."""
    response = client.get(
        f"/v1/deliverables/{deliverable_id}/assets/{key}",
        params=params,
        headers=tenant["headers"],
        follow_redirects=False,
    )
    assert response.status_code == 307, response.text
    signed = client.get(response.headers["location"])
    assert signed.status_code == 200, signed.text
    return response.headers["location"].split("?")[0], signed.content, dict(signed.headers)


def raster(data: bytes, tmp_path: Path, name: str) -> tuple[int, tuple[float, ...], int, int]:
    path = tmp_path / name
    path.write_bytes(data)
    with rasterio.open(path) as src:
        return src.crs.to_epsg(), tuple(src.bounds), src.width, src.count


def test_a_sandbox_deliverable_says_so_and_its_files_match_their_checksums(
    client: TestClient, tenant: Tenant, delivered: dict[str, Any], tmp_path: Path
) -> None:
    assert delivered["metadata"]["resolution"] == "sandbox"
    for key in ("analytic", "thumbnail", "metadata", "delivery"):
        _, data, headers = download(client, tenant, delivered["id"], key)
        asset = delivered["assets"][key]
        assert (len(data), hashlib.sha256(data).hexdigest()) == (asset["size"], asset["sha256"])
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        assert headers["repr-digest"] == f"sha-256=:{digest}:"
    _, data, _ = download(client, tenant, delivered["id"], "analytic")
    epsg, _, width, bands = raster(data, tmp_path, "sandbox.tif")
    assert (epsg, bands) == (32631, 4) and width > 0


def test_the_full_resolution_file_is_finer_in_the_same_crs_and_bounds_and_made_once(
    client: TestClient,
    tenant: Tenant,
    delivered: dict[str, Any],
    runtime: Runtime,
    tmp_path: Path,
) -> None:
    _, small, _ = download(client, tenant, delivered["id"], "analytic")
    path, full, headers = download(client, tenant, delivered["id"], "analytic", resolution="full")
    assert path.endswith(f"/{delivered['id']}/full/{path.rsplit('/', 1)[1]}")
    assert hashlib.sha256(full).hexdigest() != delivered["assets"]["analytic"]["sha256"]
    digest = base64.b64encode(hashlib.sha256(full).digest()).decode()
    assert headers["repr-digest"] == f"sha-256=:{digest}:"
    epsg_s, bounds_s, width_s, bands_s = raster(small, tmp_path, "sandbox.tif")
    epsg_f, bounds_f, width_f, bands_f = raster(full, tmp_path, "full.tif")
    assert (epsg_f, bands_f) == (epsg_s, bands_s) == (32631, 4)
    assert width_f > width_s
    coarse = (bounds_s[2] - bounds_s[0]) / width_s  # one sandbox pixel
    assert all(abs(a - b) <= coarse for a, b in zip(bounds_s, bounds_f, strict=True))
    key = path.removeprefix("/files/")
    made = runtime.objects.stat(key)
    again, same, _ = download(client, tenant, delivered["id"], "analytic", resolution="full")
    assert (again, same) == (path, full)
    assert runtime.objects.stat(key).etag == made.etag
    assert isinstance(runtime.objects, LocalDiskStore)
    made_files = {p.name for p in (runtime.objects.root / Path(key).parent).iterdir()}
    assert made_files == {Path(key).name}  # that file alone was made


def test_the_full_metadata_states_the_finer_gsd(
    client: TestClient, tenant: Tenant, delivered: dict[str, Any]
) -> None:
    _, small, _ = download(client, tenant, delivered["id"], "metadata")
    _, full, _ = download(client, tenant, delivered["id"], "metadata", resolution="full")
    sandbox, finer = json.loads(small), json.loads(full)
    assert finer["gsd"] < sandbox["gsd"]
    assert (finer["product_id"], finer["produced_at"], finer["crs_code"]) == (
        sandbox["product_id"], sandbox["produced_at"], sandbox["crs_code"]
    )  # fmt: skip


def test_an_unknown_resolution_is_refused_naming_the_choices(
    client: TestClient, tenant: Tenant, delivered: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/deliverables/{delivered['id']}/assets/analytic",
        params={"resolution": "huge"},
        headers=tenant["headers"],
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "use one of: sandbox, full" in response.json()["detail"]


def test_deliverables_are_made_at_full_resolution_on_the_real_clock_unless_told() -> None:
    assert Settings(sandbox=False).deliverables_at() is Resolution.FULL
    assert Settings(sandbox=True).deliverables_at() is Resolution.SANDBOX
    assert Settings(sandbox=True, deliverable_resolution="full").deliverables_at() is (
        Resolution.FULL
    )


def test_a_deliverable_without_a_recorded_resolution_was_made_at_full(
    delivered: dict[str, Any], runtime: Runtime, tenant: Tenant
) -> None:
    found = runtime.facade.deliverables.get(
        Principal(tenant["organisation_id"], "test"), delivered["id"]
    )
    assert made_at(found) is Resolution.SANDBOX
    found.metadata = {k: v for k, v in (found.metadata or {}).items() if k != "resolution"}
    assert made_at(found) is Resolution.FULL  # made before sandbox resolutions


def test_a_captures_deliverable_is_made_again_at_full_resolution_from_the_capture(
    client: TestClient, tenant: Tenant, runtime: Runtime, clock: SandboxClock, tmp_path: Path
) -> None:
    order = place(client, tenant, order_body(tasking_item()))
    capture = capture_for(order, clock.now(), status=CaptureStatus.COLLECTED, footprint=STRIP)
    with runtime.uow() as uow:
        uow.captures.add(capture, uow.orders.pk_of(order["id"]))  # type: ignore[arg-type]
        uow.agenda.schedule(StepKind.CAPTURE_DELIVER, capture.id, clock.now(), clock.now())
        uow.commit()
    play(runtime, clock, minutes=5)
    made = next(d for d in deliverables(client, tenant, order["id"]) if d["status"] == "delivered")
    assert made["metadata"]["resolution"] == "sandbox"
    _, small, _ = download(client, tenant, made["id"], "analytic")
    _, full, _ = download(client, tenant, made["id"], "analytic", resolution="full")
    epsg_s, _, width_s, _ = raster(small, tmp_path, "sandbox.tif")
    epsg_f, _, width_f, _ = raster(full, tmp_path, "full.tif")
    assert epsg_f == epsg_s and width_f > width_s
