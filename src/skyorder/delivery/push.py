"""Push delivery: copy a delivered deliverable's files into the customer's bucket.

The agenda step ``deliverable.push`` (entity: the deliverable) is a leased
:class:`~skyorder.services.agenda.Job`, like processing: ``prepare`` reads what to
push in the claiming transaction; the upload runs outside any transaction (it leaves
the database and may take long; no lock is held meanwhile); ``record`` writes the
outcome in a second, short transaction. Every asset goes to
``<prefix>/<order number>/<deliverable id>/<file>``, each upload's SHA-256 verified,
and ``DeliverablePushed`` records the bucket and keys. A failed attempt records
``DeliverablePushRetrying`` (reason, next attempt) and schedules the next attempt per
:data:`PUSH_RETRIES`; after the last attempt (about 22 hours) it records
``DeliverablePushFailed`` with the reason. An endpoint the outbound policy refuses
(:mod:`skyorder.delivery.outbound`) fails the push at once, naming the rule. The
deliverable's status never changes: it stays downloadable through the API.

Repeating the step is harmless: a pushed (or given-up) deliverable is left alone,
a file already in the bucket with the right checksum is not sent again, and an
outcome is recorded only if no other run recorded that attempt first (a worker
killed between upload and record uploads again, harmlessly, and records once).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from skyorder.core.deliverables import Asset, Deliverable, DeliverableStatus
from skyorder.core.orders import BucketTarget, DeliveryMethod
from skyorder.core.retries import RetryPolicy
from skyorder.core.steps import StepKind
from skyorder.core.tenants import Principal
from skyorder.delivery.local import LocalDiskStore
from skyorder.delivery.objects import ObjectMissing, ObjectStore, StoreError
from skyorder.delivery.outbound import OutboundPolicy, OutboundRefused
from skyorder.services.agenda import Job
from skyorder.services.tasks import sync_tasks
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork

log = logging.getLogger(__name__)

# Delay before attempt 2, 3, ...: eight attempts spread over about 22 hours.
PUSH_RETRIES = RetryPolicy(
    (
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=3),
        timedelta(hours=6),
        timedelta(hours=12),
    )
)
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


@dataclass(frozen=True)
class PushPlan:
    """What one push attempt needs, read in the claiming transaction."""

    deliverable: Deliverable
    target: BucketTarget
    attempt: int
    """Which attempt this is (1 for the first); ``record`` writes each attempt once."""


@dataclass(frozen=True)
class PushOutcome:
    """What one attempt did: the bucket's keys, or why it failed.

    ``final``: retrying cannot help (the outbound policy refused the endpoint).
    """

    keys: list[str] | None = None
    error: str | None = None
    final: bool = False


def _still_to_push(
    uow: UnitOfWork, deliverable_id: str
) -> tuple[Principal, Deliverable, int] | None:
    """The deliverable still to push, and the attempt due; None if there is nothing to do."""
    owner = uow.deliverables.owner_of(deliverable_id)
    principal = Principal(owner, "skyorder:agenda") if owner else None
    d = uow.deliverables.get(principal, deliverable_id) if principal else None
    if principal is None or d is None or d.status is not DeliverableStatus.DELIVERED:
        return None
    history = uow.events.types_for(principal, d.id)
    if any(t in history for t in _DONE):
        return None
    return principal, d, history.count("DeliverablePushRetrying") + 1


class PushDeliverable(Job):
    """``deliverable.push``: upload a delivered deliverable's files to its order's bucket.

    Files come from ``store``; each bucket is reached only as ``outbound`` allows
    (``connect`` makes the bucket's store: S3 by default, a fake in tests).
    """

    def __init__(
        self,
        store: ObjectStore,
        outbound: OutboundPolicy,
        connect: TargetFactory | None = None,
    ) -> None:
        self.store = store
        self.connect: TargetFactory = connect or (lambda target: bucket_store(target, outbound))

    def prepare(self, uow: UnitOfWork, step: Step, now: datetime) -> PushPlan | None:
        """Read the deliverable and its order's bucket, unless pushed or given up already."""
        found = _still_to_push(uow, step.entity_id)
        if found is None:
            return None
        principal, d, attempt = found
        order = uow.orders.get(principal, d.order_id)
        item = order.item(d.item_id) if order is not None else None
        if order is None or item is None:
            return None
        cloud = order.cloud_for(item)
        if cloud is not None:
            config = uow.cloud_delivery.get(principal, cloud.config)
            target = config.target_for(cloud.path) if config else None
        elif order.delivery.method is DeliveryMethod.S3:
            target = order.delivery.bucket
        else:
            return None
        if target is None:
            return None
        return PushPlan(d, target, attempt)

    def perform(self, prepared: PushPlan) -> PushOutcome:
        """Upload every file (no transaction is open); a failure is an outcome, not raised."""
        d, attempt = prepared.deliverable, prepared.attempt
        try:
            report = push_files(self.store, self.connect(prepared.target), d)
        except OutboundRefused as exc:
            reason = f"refused: {exc}"
            log.warning("push of deliverable %s refused: %s", d.id, reason)
            return PushOutcome(error=reason, final=True)
        except (StoreError, PushError, ObjectMissing) as exc:
            reason = str(exc) or type(exc).__name__
            log.warning("push of deliverable %s, attempt %d: %s", d.id, attempt, reason)
            return PushOutcome(error=reason)
        prefix = prepared.target.prefix.strip("/")
        return PushOutcome(keys=[f"{prefix}/{k}" if prefix else k for k in report.keys])

    def record(
        self, uow: UnitOfWork, step: Step, prepared: PushPlan, result: PushOutcome, now: datetime
    ) -> None:
        """Record the pushed keys, or the next attempt, or the end; once per attempt."""
        found = _still_to_push(uow, prepared.deliverable.id)
        if found is None or found[2] != prepared.attempt:
            return  # recorded already (by a run that took over an expired lease)
        _, d, attempt = found
        if result.keys is not None:
            d.pushed(now, prepared.target.bucket, result.keys)
        else:
            reason = result.error or "the push failed"
            delay = None if result.final else PUSH_RETRIES.next_delay(attempt)
            if delay is None:
                d.push_failed(now, attempt, reason)
            else:
                d.push_retrying(now, attempt, reason, now + delay)
                uow.agenda.schedule(
                    StepKind.DELIVERABLE_PUSH, d.id, now + delay, now, d.organisation_id
                )
        uow.deliverables.save(d)
        _tasks_follow(uow, d, now)

    def failed(self, uow: UnitOfWork, step: Step, error: str, now: datetime) -> None:
        """The step itself kept failing (not the bucket): end the push as failed."""
        found = _still_to_push(uow, step.entity_id)
        if found is not None:
            _, d, attempt = found
            d.push_failed(now, attempt, f"internal error: {error}"[:500])
            uow.deliverables.save(d)
            _tasks_follow(uow, d, now)


def _tasks_follow(uow: UnitOfWork, d: Deliverable, now: datetime) -> None:
    """The deliverable's order's tasks show the push's outcome."""
    order = uow.orders.get(Principal(d.organisation_id, "skyorder:agenda"), d.order_id)
    if order is not None:
        sync_tasks(uow, order, now)
