"""Push delivery: copy a delivered deliverable's files into the customer's bucket.

The agenda step ``deliverable.push`` (entity: the deliverable) uploads every
asset to ``<prefix>/<order number>/<deliverable id>/<file>``, verifies each
upload's SHA-256, and records ``DeliverablePushed`` (bucket and keys). A failed
attempt records ``DeliverablePushRetrying`` (reason, next attempt) and schedules
the next attempt with growing delays; after :data:`PUSH_ATTEMPTS` attempts
(about 22 hours) it records ``DeliverablePushFailed`` with the reason. An
endpoint the outbound policy refuses (:mod:`skyorder.delivery.outbound`) fails
the push at once, naming the rule. The deliverable's status never changes: it
stays downloadable through the API.

Repeating the step is harmless: a pushed (or given-up) deliverable is left
alone, and a file already in the bucket with the right checksum is not sent again.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path, PurePosixPath

from skyorder.core.deliverables import Asset, Deliverable, DeliverableStatus
from skyorder.core.orders import BucketTarget, DeliveryMethod
from skyorder.core.tenants import Principal
from skyorder.delivery.local import LocalDiskStore
from skyorder.delivery.objects import ObjectMissing, ObjectStore, StoreError
from skyorder.delivery.outbound import OutboundPolicy, OutboundRefused
from skyorder.services.agenda import Handler
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork

log = logging.getLogger(__name__)

PUSH_STEP = "deliverable.push"
# Delay before attempt 2, 3, ...: eight attempts spread over about 22 hours.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
PUSH_ATTEMPTS = len(RETRY_DELAYS) + 1
_DONE = ("DeliverablePushed", "DeliverablePushFailed")

TargetFactory = Callable[[BucketTarget], ObjectStore]


class PushError(Exception):
    """A file could not be pushed intact."""


@dataclass
class PushReport:
    """What one push did: every key in the bucket, and which were sent this time."""

    keys: list[str] = field(default_factory=list)
    uploaded: list[str] = field(default_factory=list)


def bucket_store(target: BucketTarget, outbound: OutboundPolicy) -> ObjectStore:
    """An S3 store for the customer's bucket (boto3), reached only as ``outbound`` allows."""
    from skyorder.delivery.s3 import S3Location, S3Store

    return S3Store(
        S3Location(
            bucket=target.bucket,
            prefix=target.prefix,
            endpoint_url=target.endpoint_url,
            region=target.region,
            access_key_id=target.access_key_id,
            secret_access_key=target.secret_access_key,
        ),
        max_attempts=0,  # no quick retries: the step's own schedule retries
        connect_timeout=10.0,
        outbound=outbound,
    )


def file_names(d: Deliverable) -> dict[str, str]:
    """Each asset's key → its file name in the bucket (unique within the deliverable)."""
    names: dict[str, str] = {}
    for asset in sorted(d.assets.values(), key=lambda a: a.key):
        name = PurePosixPath(asset.path).name or asset.key
        names[asset.key] = f"{asset.key}-{name}" if name in names.values() else name
    return names


def _staged(source: ObjectStore, asset: Asset, workdir: Path) -> tuple[Path, str]:
    """A local file with the asset's content, and its SHA-256 (checked against the record)."""
    if isinstance(source, LocalDiskStore):
        path = source.path_of(asset.path)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                digest.update(chunk)
    else:
        path = workdir / "staged"
        digest = hashlib.sha256()
        with path.open("wb") as out:
            for chunk in source.open_range(asset.path):
                digest.update(chunk)
                out.write(chunk)
    sha = digest.hexdigest()
    if asset.sha256 and sha != asset.sha256.lower():
        raise PushError(
            f"asset {asset.key!r}: the stored file's SHA-256 {sha} differs from the "
            f"recorded {asset.sha256}"
        )
    return path, sha


def push_files(source: ObjectStore, target: ObjectStore, d: Deliverable) -> PushReport:
    """Copy every asset of ``d`` from ``source`` to ``target``, verifying each checksum.

    Keys in ``target`` are ``<order number>/<deliverable id>/<file>``; a file the
    target already holds with the expected SHA-256 is not sent again.

    Raises:
        StoreError: a store could not be reached or refused a request.
        PushError: a checksum did not match.
        ObjectMissing: an asset's file is missing from the platform's store.
    """
    report = PushReport()
    names = file_names(d)
    for key, asset in sorted(d.assets.items()):
        dest = f"{d.order_number}/{d.id}/{names[key]}"
        report.keys.append(dest)
        expected = (asset.sha256 or "").lower() or source.stat(asset.path).sha256
        try:
            present = target.stat(dest)
        except ObjectMissing:
            present = None
        if present is not None and expected and present.sha256 == expected:
            continue
        with tempfile.TemporaryDirectory(prefix="skyorder-push-") as workdir:
            path, sha = _staged(source, asset, Path(workdir))
            stored = target.put_file(dest, path, asset.media_type)
        if stored.sha256 != sha:
            target.delete(dest)  # never leave a corrupt copy that a retry would trust
            raise PushError(f"{dest}: the bucket reports SHA-256 {stored.sha256}, expected {sha}")
        report.uploaded.append(dest)
    return report


def push_deliverable(
    uow: UnitOfWork,
    store: ObjectStore,
    step: Step,
    now: datetime,
    *,
    connect: TargetFactory,
) -> None:
    """The ``deliverable.push`` step: push one delivered deliverable to its order's bucket."""
    owner = uow.deliverables.owner_of(step.entity_id)
    principal = Principal(owner, "skyorder:agenda") if owner else None
    d = uow.deliverables.get(principal, step.entity_id) if principal else None
    if principal is None or d is None or d.status is not DeliverableStatus.DELIVERED:
        return
    order = uow.orders.get(principal, d.order_id)
    if order is None or order.delivery.method is not DeliveryMethod.S3:
        return
    target = order.delivery.bucket
    history = uow.events.types_for(principal, d.id)
    if target is None or any(t in history for t in _DONE):
        return
    attempt = history.count("DeliverablePushRetrying") + 1
    try:
        report = push_files(store, connect(target), d)
    except OutboundRefused as exc:
        reason = f"refused: {exc}"
        log.warning("push of deliverable %s refused: %s", d.id, reason)
        d.push_failed(now, attempt, reason)
        uow.deliverables.save(d)
        return
    except (StoreError, PushError, ObjectMissing) as exc:
        reason = str(exc) or type(exc).__name__
        log.warning("push of deliverable %s, attempt %d: %s", d.id, attempt, reason)
        if attempt >= PUSH_ATTEMPTS:
            d.push_failed(now, attempt, reason)
        else:
            retry_at = now + RETRY_DELAYS[attempt - 1]
            d.push_retrying(now, attempt, reason, retry_at)
            uow.agenda.schedule(PUSH_STEP, d.id, retry_at, now)
        uow.deliverables.save(d)
        return
    prefix = target.prefix.strip("/")
    d.pushed(now, target.bucket, [f"{prefix}/{k}" if prefix else k for k in report.keys])
    uow.deliverables.save(d)


def push_handler(store: ObjectStore, outbound: OutboundPolicy) -> Handler:
    """The agenda handler for ``deliverable.push``: files from ``store`` to S3 buckets.

    Each bucket is reached only as the ``outbound`` policy allows.
    """
    connect = partial(bucket_store, outbound=outbound)

    def handle(uow: UnitOfWork, step: Step, now: datetime) -> None:
        push_deliverable(uow, store, step, now, connect=connect)

    return handle
