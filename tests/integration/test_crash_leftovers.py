"""Crash leftovers: what interrupted processing runs leave is swept, what is owned stays."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from skyorder.core.deliverables import DeliverableStatus
from skyorder.core.ids import new_id
from skyorder.core.steps import StepKind
from skyorder.delivery.local import LocalDiskStore
from skyorder.runtime import WORK_DIR, Runtime
from skyorder.services.leftovers import remove_earlier_runs
from skyorder.worker.process import sweep_crash_leftovers
from tests.factories import deliverable_for, place, store, stored_assets

Tenant = dict[str, Any]
LONG_AGO = time.time() - 7 * 86_400  # older than any lease


def _local(runtime: Runtime) -> LocalDiskStore:
    assert isinstance(runtime.objects, LocalDiskStore)
    return runtime.objects


def _file(path: Path, size: int = 1000, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)
    if mtime is not None:
        for p in (path, path.parent):
            os.utime(p, (mtime, mtime))
    return path


def _deliverable(
    runtime: Runtime,
    client: TestClient,
    tenant: Tenant,
    status: DeliverableStatus,
    delivered_run: int | None = None,
) -> str:
    """A deliverable in the database; when delivered, its files are stored at its run."""
    order = place(client, tenant)
    deliverable_id = new_id()
    assets = (
        stored_assets(
            runtime, f"deliverables/{deliverable_id}/{delivered_run}", {"visual": b"pixels"}
        )
        if delivered_run is not None
        else {}
    )
    made = deliverable_for(
        order, runtime.clock.now(), status=status, id=deliverable_id, assets=assets
    )
    store(runtime, order["id"], made)
    return deliverable_id


def _work(runtime: Runtime, deliverable_id: str, run: int) -> Path:
    return _file(runtime.settings.data_dir / WORK_DIR / deliverable_id / str(run) / "part.tif")


def _uploaded(runtime: Runtime, deliverable_id: str, run: int) -> Path:
    key = f"deliverables/{deliverable_id}/{run}/analytic.tif"
    local = _file(runtime.settings.data_dir / "upload-source.tif")
    _local(runtime).put_file(key, local)
    return _local(runtime).path_of(key)


def _hold(runtime: Runtime, deliverable_id: str, takeovers: int = 0) -> int:
    """Lease the deliverable's processing step, as a run under way has; return its run.

    With ``takeovers``, earlier runs' leases ran out and another worker took the step.
    """
    now = runtime.clock.now()
    due = now - timedelta(hours=1)  # before the order's own steps, so claimed first
    with runtime.uow() as uow:
        uow.agenda.schedule(StepKind.DELIVERABLE_PROCESS, deliverable_id, due, now)
        for n in range(takeovers + 1):
            step = uow.agenda.claim_next(now)
            assert step is not None and step.entity_id == deliverable_id
            last = n == takeovers
            leased = uow.agenda.lease(step, now + timedelta(days=1) if last else due)
        uow.commit()
    return leased.attempt


def test_a_crashed_runs_work_folder_is_removed(
    runtime: Runtime, client: TestClient, tenant: Tenant
) -> None:
    deliverable_id = _deliverable(runtime, client, tenant, DeliverableStatus.DELIVERED, 2)
    leftover = _work(runtime, deliverable_id, 1)
    swept = sweep_crash_leftovers(runtime)
    assert not leftover.exists()
    assert (swept.folders, swept.files, swept.bytes) == (1, 1, 1000)


def test_a_delivered_deliverables_files_are_kept(
    runtime: Runtime, client: TestClient, tenant: Tenant
) -> None:
    deliverable_id = _deliverable(runtime, client, tenant, DeliverableStatus.DELIVERED, 2)
    key = f"deliverables/{deliverable_id}/2/visual.tif"
    sweep_crash_leftovers(runtime)
    assert runtime.objects.stat(key).size == len(b"pixels")


def test_files_an_interrupted_run_uploaded_are_removed_with_their_sidecars(
    runtime: Runtime, client: TestClient, tenant: Tenant
) -> None:
    deliverable_id = _deliverable(runtime, client, tenant, DeliverableStatus.DELIVERED, 2)
    leftover = _uploaded(runtime, deliverable_id, 1)
    sweep_crash_leftovers(runtime)
    assert not leftover.parent.exists()
    assert not (_local(runtime).root / ".meta" / "deliverables" / deliverable_id / "1").exists()
    assert runtime.objects.exists(f"deliverables/{deliverable_id}/2/visual.tif")


def test_the_folders_of_a_run_still_holding_its_step_are_kept(
    runtime: Runtime, client: TestClient, tenant: Tenant
) -> None:
    deliverable_id = _deliverable(runtime, client, tenant, DeliverableStatus.PROCESSING)
    run = _hold(runtime, deliverable_id)
    work, uploaded = _work(runtime, deliverable_id, run), _uploaded(runtime, deliverable_id, run)
    sweep_crash_leftovers(runtime)
    assert work.exists() and uploaded.exists()


def test_an_earlier_run_of_a_step_taken_over_is_removed(
    runtime: Runtime, client: TestClient, tenant: Tenant
) -> None:
    deliverable_id = _deliverable(runtime, client, tenant, DeliverableStatus.PROCESSING)
    run = _hold(runtime, deliverable_id, takeovers=1)
    earlier, current = _work(runtime, deliverable_id, run - 1), _work(runtime, deliverable_id, run)
    sweep_crash_leftovers(runtime)
    assert not earlier.exists()
    assert current.exists()


def test_a_stale_partial_scene_folder_is_removed(runtime: Runtime) -> None:
    partial = _file(runtime.imagery.root / "S1" / ".S1.abc.partial" / "ms.tif", mtime=LONG_AGO)
    sweep_crash_leftovers(runtime)
    assert not partial.parent.exists()


def test_a_partial_scene_folder_being_written_is_kept(runtime: Runtime) -> None:
    partial = _file(runtime.imagery.root / "S1" / ".S1.abc.partial" / "ms.tif")
    sweep_crash_leftovers(runtime)
    assert partial.exists()


def test_files_of_deliverables_unknown_to_this_database_are_kept(runtime: Runtime) -> None:
    uploaded = _uploaded(runtime, "unknown-deliverable", 1)
    recent_work = _work(runtime, "unknown-deliverable", 1)
    sweep_crash_leftovers(runtime)
    assert uploaded.exists() and recent_work.exists()


def test_a_stale_work_folder_of_an_unknown_deliverable_is_removed(runtime: Runtime) -> None:
    stale = _file(
        runtime.settings.data_dir / WORK_DIR / "unknown" / "1" / "part.tif", mtime=LONG_AGO
    )
    sweep_crash_leftovers(runtime)
    assert not stale.exists()


def test_a_run_removes_what_earlier_runs_of_its_deliverable_left(
    runtime: Runtime, client: TestClient, tenant: Tenant
) -> None:
    deliverable_id = _deliverable(runtime, client, tenant, DeliverableStatus.PROCESSING)
    killed = [_work(runtime, deliverable_id, 1), _uploaded(runtime, deliverable_id, 1)]
    own = [_work(runtime, deliverable_id, 2), _uploaded(runtime, deliverable_id, 2)]
    remove_earlier_runs(
        runtime.settings.data_dir / WORK_DIR, runtime.objects, deliverable_id, run=2
    )
    assert not any(p.exists() for p in killed)
    assert all(p.exists() for p in own)


def test_a_stale_full_resolution_work_folder_is_removed_and_a_young_one_kept(
    runtime: Runtime,
) -> None:
    work = runtime.settings.data_dir / WORK_DIR
    stale = _file(work / "D1" / "full" / "part.tif", mtime=LONG_AGO)
    young = _file(work / "D2" / "full" / "part.tif")
    sweep_crash_leftovers(runtime)
    assert not stale.parent.exists()
    assert young.exists()
