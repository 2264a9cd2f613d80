"""Push delivery as a leased job: the upload runs with no transaction open, recorded once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from skyorder.core.clock import SandboxClock
from skyorder.core.steps import StepKind
from skyorder.delivery.objects import MemoryStore, StoredObject, StoreError
from skyorder.delivery.push import PushDeliverable, PushPlan
from skyorder.runtime import Runtime
from skyorder.services.agenda import Agenda
from skyorder.store import tables
from skyorder.store.repositories.agenda import Step
from tests.integration.test_push_delivery import delivered, events

Tenant = dict[str, Any]
MINUTE = timedelta(minutes=1)
BUCKET = {"method": "s3", "endpoint_url": "http://127.0.0.1:9", "bucket": "customer",
          "prefix": "in", "region": "us-east-1", "access_key_id": "k",
          "secret_access_key": "s"}  # fmt: skip


@pytest.fixture
def open_transactions(engine: Engine) -> Iterator[Callable[[], int]]:
    """How many database transactions are open right now (on any connection)."""
    count = [0]

    def begin(conn: Any) -> None:
        count[0] += 1

    def end(conn: Any) -> None:
        count[0] -= 1

    hooks = {"begin": begin, "commit": end, "rollback": end}
    for name, hook in hooks.items():
        event.listen(engine, name, hook)
    yield lambda: count[0]
    for name, hook in hooks.items():
        event.remove(engine, name, hook)


class WatchedBucket(MemoryStore):
    """A customer's bucket that notes how many transactions were open at each upload."""

    def __init__(self, open_transactions: Callable[[], int]) -> None:
        super().__init__()
        self.open_transactions = open_transactions
        self.open_at_upload: list[int] = []
        self.reachable = True

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> StoredObject:
        self.open_at_upload.append(self.open_transactions())
        if not self.reachable:
            raise StoreError("could not connect to the bucket")
        return super().put_file(key, path, content_type)


@pytest.fixture
def bucket(open_transactions: Callable[[], int]) -> WatchedBucket:
    return WatchedBucket(open_transactions)


@pytest.fixture
def job(runtime: Runtime, bucket: WatchedBucket) -> PushDeliverable:
    return PushDeliverable(runtime.objects, runtime.outbound, connect=lambda target: bucket)


def pushed(client: TestClient, tenant: Tenant, deliverable_id: str) -> list[dict[str, Any]]:
    return [e for e in events(client, tenant, deliverable_id) if e["type"] == "DeliverablePushed"]


def test_the_watch_counts_an_open_transaction(
    runtime: Runtime, open_transactions: Callable[[], int]
) -> None:
    with runtime.uow() as uow:
        uow.agenda.next_due_at()
        assert open_transactions() == 1
    assert open_transactions() == 0


def test_files_are_uploaded_with_no_transaction_open(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    clock: SandboxClock,
    bucket: WatchedBucket,
    job: PushDeliverable,
) -> None:
    d = delivered(client, runtime, tenant, BUCKET)
    Agenda(runtime.uow, clock, {StepKind.DELIVERABLE_PUSH: job}).run_due()
    assert bucket.open_at_upload == [0, 0, 0]
    assert len(pushed(client, tenant, d["id"])) == 1


class WorkerKilled(BaseException):
    """The process ends here (no ``except Exception`` stops it)."""


class DiesBeforeRecording(PushDeliverable):
    def record(self, *args: Any) -> None:
        raise WorkerKilled


def test_a_worker_killed_between_upload_and_record_is_redone_and_recorded_once(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    clock: SandboxClock,
    bucket: WatchedBucket,
    job: PushDeliverable,
) -> None:
    d = delivered(client, runtime, tenant, BUCKET)
    dying = DiesBeforeRecording(runtime.objects, runtime.outbound, connect=lambda target: bucket)
    with pytest.raises(WorkerKilled):
        Agenda(runtime.uow, clock, {StepKind.DELIVERABLE_PUSH: dying}).run_due()
    assert len(bucket.objects) == 3 and pushed(client, tenant, d["id"]) == []
    agenda = Agenda(runtime.uow, clock, {StepKind.DELIVERABLE_PUSH: job})
    assert agenda.run_due() == 0  # still leased
    agenda.advance(clock, clock.now() + job.lease + MINUTE)
    assert len(pushed(client, tenant, d["id"])) == 1
    assert len(bucket.open_at_upload) == 3  # the files already there were not sent again


def push_step(runtime: Runtime) -> Step:
    with runtime.uow(readonly=True) as uow:
        row = uow.connection.execute(
            select(tables.agenda).where(tables.agenda.c.kind == StepKind.DELIVERABLE_PUSH.value)
        ).one()
    return Step(row.pk, row.kind, row.entity_id, row.due_at, row.attempt)


def prepared(runtime: Runtime, job: PushDeliverable, step: Step, now: datetime) -> PushPlan:
    with runtime.uow() as uow:
        plan = job.prepare(uow, step, now)
    assert plan is not None
    return plan


def test_an_attempt_recorded_already_is_not_recorded_again(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    clock: SandboxClock,
    job: PushDeliverable,
) -> None:
    d = delivered(client, runtime, tenant, BUCKET)
    step = push_step(runtime)
    plan = prepared(runtime, job, step, clock.now())
    outcome = job.perform(plan)
    for _ in range(2):  # two runs of the same attempt both reach ``record``
        with runtime.uow() as uow:
            job.record(uow, step, plan, outcome, clock.now())
            uow.commit()
    assert len(pushed(client, tenant, d["id"])) == 1


def test_a_failed_attempt_is_recorded_once_and_the_next_one_scheduled(
    client: TestClient,
    runtime: Runtime,
    tenant: Tenant,
    clock: SandboxClock,
    bucket: WatchedBucket,
    job: PushDeliverable,
) -> None:
    d = delivered(client, runtime, tenant, BUCKET)
    step = push_step(runtime)
    plan = prepared(runtime, job, step, clock.now())
    bucket.reachable = False
    outcome = job.perform(plan)
    assert outcome.keys is None and outcome.error == "could not connect to the bucket"
    now = clock.now()
    for _ in range(2):
        with runtime.uow() as uow:
            job.record(uow, step, plan, outcome, now)
            uow.commit()
    history = [e["type"] for e in events(client, tenant, d["id"])]
    assert history.count("DeliverablePushRetrying") == 1
    with runtime.uow(readonly=True) as uow:
        due = (
            uow.connection.execute(
                select(tables.agenda.c.due_at).where(tables.agenda.c.kind == step.kind)
            )
            .scalars()
            .all()
        )
    assert sorted(due) == [step.due_at, now + MINUTE]  # this step, and a retry a minute on
