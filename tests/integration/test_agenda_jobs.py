"""Jobs: agenda steps whose work runs outside any transaction, leased while it runs."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime
from skyorder.services.agenda import STEP_RETRIES, Agenda, Job
from skyorder.store import tables
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork
from tests.conftest import T0

MINUTE = timedelta(minutes=1)


class Counting(Job):
    """Doubles a number outside the transaction; records each phase."""

    lease = 10 * MINUTE

    def __init__(self, fail_performs: int = 0, skip: bool = False) -> None:
        self.prepared: list[str] = []
        self.performed: list[str] = []
        self.recorded: list[tuple[str, Any]] = []
        self.gave_up: list[str] = []
        self.fail_performs = fail_performs
        self.skip = skip

    def prepare(self, uow: UnitOfWork, step: Step, now: datetime) -> Any | None:
        self.prepared.append(step.entity_id)
        return None if self.skip else {"entity": step.entity_id}

    def perform(self, prepared: Any) -> Any:
        self.performed.append(prepared["entity"])
        if len(self.performed) <= self.fail_performs:
            raise RuntimeError("the work failed")
        return len(prepared["entity"]) * 2

    def record(
        self, uow: UnitOfWork, step: Step, prepared: Any, result: Any, now: datetime
    ) -> None:
        self.recorded.append((step.entity_id, result))

    def failed(self, uow: UnitOfWork, step: Step, error: str, now: datetime) -> None:
        self.gave_up.append(step.entity_id)


def _schedule(runtime: Runtime, entity: str, due: datetime) -> None:
    with runtime.uow() as uow:
        uow.agenda.schedule("count", entity, due, T0)
        uow.commit()


def _states(runtime: Runtime) -> list[tuple[str, int]]:
    with runtime.uow() as uow:
        rows = uow.connection.execute(select(tables.agenda.c.state, tables.agenda.c.attempt))
        return [(r.state, r.attempt) for r in rows]


def test_a_job_prepares_performs_and_records_once(runtime: Runtime, clock: SandboxClock) -> None:
    job = Counting()
    _schedule(runtime, "abc", clock.now() + MINUTE)
    agenda = Agenda(runtime.uow, clock, {"count": job})
    agenda.advance(clock, clock.now() + timedelta(hours=1))
    assert job.performed == ["abc"]
    assert job.recorded == [("abc", 6)]
    assert _states(runtime) == [("done", 1)]


def test_a_job_with_nothing_to_do_finishes_without_performing(
    runtime: Runtime, clock: SandboxClock
) -> None:
    job = Counting(skip=True)
    _schedule(runtime, "abc", clock.now() + MINUTE)
    Agenda(runtime.uow, clock, {"count": job}).advance(clock, clock.now() + timedelta(hours=1))
    assert job.prepared == ["abc"] and job.performed == []
    assert _states(runtime) == [("done", 0)]


def test_a_failed_perform_is_retried_later(runtime: Runtime, clock: SandboxClock) -> None:
    job = Counting(fail_performs=2)
    _schedule(runtime, "abc", clock.now() + MINUTE)
    Agenda(runtime.uow, clock, {"count": job}).advance(clock, clock.now() + timedelta(days=1))
    assert job.performed == ["abc", "abc", "abc"]
    assert job.recorded == [("abc", 6)]
    assert _states(runtime) == [("done", 3)]


def test_a_job_that_always_fails_gives_up_after_the_last_attempt(
    runtime: Runtime, clock: SandboxClock
) -> None:
    job = Counting(fail_performs=1000)
    _schedule(runtime, "abc", clock.now() + MINUTE)
    Agenda(runtime.uow, clock, {"count": job}).advance(clock, clock.now() + timedelta(days=30))
    assert len(job.performed) == STEP_RETRIES.attempts
    assert job.gave_up == ["abc"] and job.recorded == []
    assert _states(runtime) == [("failed", STEP_RETRIES.attempts)]


def test_a_worker_that_dies_after_the_lease_loses_nothing(
    runtime: Runtime, clock: SandboxClock
) -> None:
    """A lease taken and never recorded (the worker was killed) comes due again."""
    job = Counting()
    _schedule(runtime, "abc", clock.now())
    with runtime.uow() as uow:  # what a worker does before it dies
        step = uow.agenda.claim_next(clock.now())
        assert step is not None
        uow.agenda.lease(step, clock.now() + job.lease)
        uow.commit()
    agenda = Agenda(runtime.uow, clock, {"count": job})
    assert agenda.run_due() == 0  # still leased
    agenda.advance(clock, clock.now() + job.lease + MINUTE)
    assert job.recorded == [("abc", 6)]
    assert _states(runtime) == [("done", 2)]


def test_an_outcome_is_not_recorded_once_another_worker_took_the_step_over(
    runtime: Runtime, clock: SandboxClock
) -> None:
    job = Counting()
    _schedule(runtime, "abc", clock.now())
    with runtime.uow() as uow:
        step = uow.agenda.claim_next(clock.now())
        assert step is not None
        mine = uow.agenda.lease(step, clock.now() + job.lease)
        uow.commit()
    with runtime.uow() as uow:  # the lease ran out; another worker re-leased it
        theirs = uow.agenda.lease(mine, clock.now() + 2 * job.lease)
        uow.commit()
    with runtime.uow() as uow:
        assert not uow.agenda.holds(mine)
        assert uow.agenda.holds(theirs)


class Held(Counting):
    """A job whose work waits until released (work under way in another thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.release = threading.Event()

    def perform(self, prepared: Any) -> Any:
        self.started.set()
        assert self.release.wait(10), "the test never released the work"
        return super().perform(prepared)


def test_an_advance_counts_and_waits_for_work_already_under_way(
    runtime: Runtime, clock: SandboxClock
) -> None:
    job = Held()
    _schedule(runtime, "abc", clock.now())
    agenda = Agenda(runtime.uow, clock, {"count": job})
    worker = threading.Thread(target=agenda.replica().run_due)
    worker.start()
    assert job.started.wait(10)
    answer: list[int] = []
    advancing = threading.Thread(
        target=lambda: answer.append(agenda.advance(clock, clock.now() + timedelta(days=2))[1])
    )
    advancing.start()
    advancing.join(0.5)
    assert advancing.is_alive(), "the advance returned while work was under way"
    job.release.set()
    advancing.join(10)
    worker.join(10)
    assert answer == [1]
    # the lease ran out in sandbox time, yet nobody did the work twice
    assert job.performed == ["abc"]
    assert _states(runtime) == [("done", 1)]
