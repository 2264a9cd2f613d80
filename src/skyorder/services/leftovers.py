"""Crash leftovers: the half-written work a killed process leaves in the data directory.

A processing run of deliverable D (its lease's attempt R) makes its product under
``<data>/work/D/R/`` and uploads it under ``deliverables/D/R/`` in the object
store; a scene is synthesized in ``<data>/scenes/<scene>/.<scene>.<uuid>.partial/``
and moved into place when whole. A run that ends cleans up after itself; a run
killed midway leaves its folders behind, and the step is redone as run R+1 in
folders of its own. A file asked for at full resolution is made under ``<data>/work/D/full/``
(and kept in the store under ``deliverables/D/full/``).

:func:`sweep_leftovers` (at ``skyorder serve`` start-up and in every
``skyorder worker``) removes them, and never what is still owned:

- a run's folders stay while its step is due at that attempt (a live lease, or one
  that ran out unclaimed: that run may still record its outcome);
- an object-store run folder stays while a deliverable's assets point into it (the
  delivered product); folders of deliverables unknown to this database stay too
  (the data directory may be shared with another database);
- a scene's partial folder, a work folder of an unknown deliverable, a full-resolution
  work folder and a stray upload file go only once older than the longest lease and at
  least an hour (judged on the wall clock, like file times), when no run can still be
  writing them.

A run that takes a step over also removes the earlier runs' folders of its
deliverable at once (:func:`remove_earlier_runs`): they can no longer record.

Only the local-disk object store is swept; S3 keys of interrupted runs stay.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from skyorder.core.clock import Clock
from skyorder.delivery.local import META_DIR, LocalDiskStore
from skyorder.delivery.objects import ObjectStore
from skyorder.store.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

DELIVERABLES = "deliverables"
FULL_RESOLUTION = "full"
"""The folder (``<work>/<deliverable>/full/``, ``deliverables/<id>/full/``) where files asked
for at full resolution are made and kept (``services/full_resolution.py``)."""
UPLOAD_PREFIX = ".upload-"
PARTIAL_SUFFIX = ".partial"
MIN_AGE = timedelta(hours=1)
"""Files kept by age are kept at least this long, however short the lease: a run slowed
down past its lease may still be writing them (a scene is shared by many runs)."""


@dataclass
class Swept:
    """What a sweep removed."""

    folders: int = 0
    files: int = 0
    bytes: int = 0
    paths: list[Path] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        """One line for a log or the console."""
        return (
            f"removed {self.folders} folder(s) and {self.files} file(s) "
            f"({self.bytes / 1e6:.1f} MB) left by interrupted runs"
        )


@dataclass(frozen=True)
class DataLayout:
    """Where a deployment's runs write: work folders, scenes and the object store."""

    work: Path
    scenes: Path
    objects: ObjectStore
    lease: timedelta
    """The longest a run may hold its step: anything older belongs to no live run."""
    step: str
    """The agenda step whose runs write these folders (``deliverable.process``)."""


def _runs(root: Path) -> Iterator[tuple[str, int, Path]]:
    """(deliverable id, run, folder) of every ``<root>/<id>/<run>/`` folder."""
    if not root.is_dir():
        return
    for owner in root.iterdir():
        if not owner.is_dir() or owner.name.startswith("."):
            continue
        for run in owner.iterdir():
            if run.is_dir() and run.name.isdigit():
                yield owner.name, int(run.name), run


def _older_than(path: Path, cutoff: datetime) -> bool:
    try:
        newest = max((p.lstat().st_mtime for p in (path, *path.rglob("*"))), default=0.0)
    except OSError:
        return False
    return newest < cutoff.timestamp()


def _size(path: Path) -> tuple[int, int]:
    if path.is_file():
        return 1, path.stat().st_size
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _remove(path: Path, swept: Swept) -> None:
    try:
        count, size = _size(path)
        if path.is_dir():
            shutil.rmtree(path)
            swept.folders += 1
        else:
            path.unlink()
        swept.files += count
        swept.bytes += size
        swept.paths.append(path)
    except OSError as exc:  # a file that vanished meanwhile, or one we may not touch
        log.warning("could not remove leftover %s: %s", path, exc)


def _prune_empty(root: Path) -> None:
    """Remove the deliverable folders a sweep emptied."""
    if root.is_dir():
        for owner in root.iterdir():
            if owner.is_dir() and not any(owner.iterdir()):
                try:
                    owner.rmdir()
                except OSError:  # a new run started writing in it meanwhile
                    continue


def sweep_leftovers(new_uow: UnitOfWorkFactory, wall_clock: Clock, layout: DataLayout) -> Swept:
    """Remove what interrupted runs left behind and no live run or delivery owns.

    The folders are listed before the database is read: a run that starts after the
    listing is not in it, and a run listed was leased (committed) before it wrote.
    """
    swept = Swept()
    cutoff = wall_clock.now() - max(layout.lease, MIN_AGE)
    store = layout.objects if isinstance(layout.objects, LocalDiskStore) else None
    object_root = store.root / DELIVERABLES if store else None
    work_runs = list(_runs(layout.work))
    object_runs = list(_runs(object_root)) if object_root else []
    with new_uow(readonly=True) as uow:
        held = uow.agenda.held_runs(layout.step)
        delivered = uow.deliverables.asset_paths({d for d, _, _ in work_runs + object_runs})
    for deliverable_id, run, folder in work_runs:
        if (deliverable_id, run) in held:
            continue
        if deliverable_id in delivered or _older_than(folder, cutoff):
            _remove(folder, swept)
    for folder in layout.work.glob(f"*/{FULL_RESOLUTION}") if layout.work.is_dir() else ():
        if folder.is_dir() and _older_than(folder, cutoff):  # a full-resolution file cut short
            _remove(folder, swept)
    if store is not None:
        _sweep_objects(store, object_runs, held, delivered, swept)
        for stray in store.root.rglob(f"{UPLOAD_PREFIX}*"):
            if stray.is_file() and _older_than(stray, cutoff):
                _remove(stray, swept)
    for partial in layout.scenes.glob(f"*/.*{PARTIAL_SUFFIX}") if layout.scenes.is_dir() else ():
        if partial.is_dir() and _older_than(partial, cutoff):
            _remove(partial, swept)
    _prune_empty(layout.work)
    if swept.paths:
        log.info("crash leftovers: %s", swept.summary())
    return swept


def _sweep_objects(
    store: LocalDiskStore,
    runs: list[tuple[str, int, Path]],
    held: set[tuple[str, int]],
    delivered: dict[str, set[str]],
    swept: Swept,
) -> None:
    """Remove object-store run folders (and their sidecars) nothing points into."""
    for deliverable_id, run, folder in runs:
        if (deliverable_id, run) in held or deliverable_id not in delivered:
            continue
        prefix = f"{DELIVERABLES}/{deliverable_id}/{run}/"
        if any(path.startswith(prefix) for path in delivered[deliverable_id]):
            continue
        _remove(folder, swept)
        meta = store.root / META_DIR / DELIVERABLES / deliverable_id / str(run)
        if meta.is_dir():
            shutil.rmtree(meta, ignore_errors=True)
    _prune_empty(store.root / DELIVERABLES)
    _prune_empty(store.root / META_DIR / DELIVERABLES)


def remove_earlier_runs(work: Path, objects: ObjectStore, deliverable_id: str, run: int) -> Swept:
    """Remove the folders earlier runs of a deliverable's step left (called by run ``run``).

    The run calling this holds the step, so no earlier run can record its outcome any
    more, and a deliverable being processed has no delivered files.
    """
    swept = Swept()
    roots = [work / deliverable_id]
    if isinstance(objects, LocalDiskStore):
        roots.append(objects.root / DELIVERABLES / deliverable_id)
        roots.append(objects.root / META_DIR / DELIVERABLES / deliverable_id)
    for root in roots:
        if root.is_dir():
            for folder in root.iterdir():
                if folder.is_dir() and folder.name.isdigit() and int(folder.name) < run:
                    _remove(folder, swept)
    if swept.paths:
        log.info("%s run %d: %s", deliverable_id, run, swept.summary())
    return swept
