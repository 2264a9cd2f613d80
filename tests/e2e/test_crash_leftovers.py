"""A restarted server sweeps what a killed one left half-written, and keeps deliveries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.core.deliverables import DeliverableStatus
from skyorder.core.ids import new_id
from skyorder.runtime import WORK_DIR, Runtime
from tests.e2e.conftest import running_server
from tests.factories import deliverable_for, place, store, stored_assets

pytestmark = pytest.mark.e2e


def test_serve_start_up_removes_crash_leftovers_and_keeps_delivered_files(
    tmp_path: Path,
    database_url: str,
    runtime: Runtime,
    client: TestClient,
    tenant: dict[str, Any],
) -> None:
    order = place(client, tenant)
    deliverable_id = new_id()
    assets = stored_assets(runtime, f"deliverables/{deliverable_id}/2", {"visual": b"pixels"})
    delivered = deliverable_for(
        order,
        runtime.clock.now(),
        status=DeliverableStatus.DELIVERED,
        id=deliverable_id,
        assets=assets,
    )
    store(runtime, order["id"], delivered)
    data = runtime.settings.data_dir
    half_made = data / WORK_DIR / deliverable_id / "1" / "analytic.tif"  # as a kill leaves it
    half_made.parent.mkdir(parents=True)
    half_made.write_bytes(b"\0" * 4096)
    half_uploaded = data / "objects" / "deliverables" / deliverable_id / "1" / ".upload-x1"
    half_uploaded.parent.mkdir(parents=True)
    half_uploaded.write_bytes(b"\0" * 4096)
    with running_server(tmp_path, database_url) as server:
        assert not half_made.exists()
        assert not half_uploaded.exists()
        assert (data / "objects" / "deliverables" / deliverable_id / "2" / "visual.tif").exists()
        with server.client() as http:
            assert http.get("/v1/products").status_code == 200
    log = (tmp_path / "server.log").read_text()
    assert "Crash leftovers: removed 2 folder(s) and 2 file(s)" in log
