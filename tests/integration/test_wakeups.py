"""Committed steps due soon wake the agenda threads; the job queue carries wake-ups."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime
from skyorder.services.agenda import AgendaLoop
from skyorder.services.wakeups import LocalSignal
from skyorder.store.queue_schema import QUEUE_SCHEMA, ensure_queue_schema, queue_conninfo
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork
from skyorder.worker.queue import GAP_SECONDS, SLOTS, QueueListener, QueueSignal


def _schedule(runtime: Runtime, kind: str, due: datetime, *, commit: bool = True) -> None:
    with runtime.uow() as uow:
        uow.agenda.schedule(kind, "entity-1", due, runtime.clock.now())
        if commit:
            uow.commit()


def test_committing_a_step_due_now_wakes_the_local_signal(runtime: Runtime) -> None:
    seen = runtime.wake_signal.generation()
    _schedule(runtime, "test.now", runtime.clock.now())
    assert runtime.wake_signal.generation() == seen + 1


def test_a_step_rolled_back_wakes_nobody(runtime: Runtime) -> None:
    seen = runtime.wake_signal.generation()
    _schedule(runtime, "test.now", runtime.clock.now(), commit=False)
    assert runtime.wake_signal.generation() == seen


def test_a_step_due_tomorrow_wakes_nobody(runtime: Runtime) -> None:
    seen = runtime.wake_signal.generation()
    _schedule(runtime, "test.later", runtime.clock.now() + timedelta(days=1))
    assert runtime.wake_signal.generation() == seen


def test_an_agenda_thread_runs_a_step_scheduled_while_it_sleeps(
    runtime: Runtime, clock: SandboxClock
) -> None:
    ran = threading.Event()

    def handle(uow: UnitOfWork, step: Step, now: datetime) -> None:
        ran.set()

    runtime.agenda.register("test.woken", handle)
    # The poll interval is far longer than the test may take: only the wake-up can do it.
    loop = AgendaLoop(runtime.agenda, 3600, signal=runtime.wake_signal, threads=2)
    loop.start()
    try:
        _schedule(runtime, "test.woken", clock.now())
        assert ran.wait(timeout=30)
    finally:
        assert loop.stop()


@pytest.fixture
def queue_engine(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("the job queue runs on PostgreSQL")
    ensure_queue_schema(engine)
    with engine.begin() as conn:
        # procrastinate's triggers name its tables without their schema
        conn.execute(text(f"SET LOCAL search_path TO {QUEUE_SCHEMA}"))
        conn.execute(text("DELETE FROM procrastinate_jobs"))
    return engine


def test_creating_the_queue_schema_twice_keeps_the_first(queue_engine: Engine) -> None:
    assert ensure_queue_schema(queue_engine) is False


def test_a_wake_up_through_the_queue_reaches_a_listening_process(queue_engine: Engine) -> None:
    woken = LocalSignal()
    seen = woken.generation()
    listener = QueueListener(queue_conninfo(queue_engine), woken)
    sender = QueueSignal(queue_conninfo(queue_engine))
    listener.start()
    try:
        sender.send()
        assert woken.wait(seen, timeout=30)
    finally:
        sender.close()
        listener.stop()


def _waiting(queue_engine: Engine) -> int:
    with queue_engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    f"SELECT count(*) FROM {QUEUE_SCHEMA}.procrastinate_jobs WHERE status = 'todo'"
                )
            ).scalar_one()
        )


def test_a_waiting_wake_up_stands_for_every_later_one_when_nobody_listens(
    queue_engine: Engine,
) -> None:
    sender = QueueSignal(queue_conninfo(queue_engine))
    try:
        for _ in range(3 * SLOTS):
            sender.send()
            assert sender.flush()  # each one asked for after the last was deferred or skipped
    finally:
        sender.close()
    assert _waiting(queue_engine) == 1


def test_senders_that_look_at_once_are_capped_by_the_slots(queue_engine: Engine) -> None:
    senders = [QueueSignal(queue_conninfo(queue_engine)) for _ in range(2 * SLOTS)]
    try:
        for sender in senders:
            sender.send()
        for sender in senders:
            assert sender.flush()
    finally:
        for sender in senders:
            sender.close()
    assert 1 <= _waiting(queue_engine) <= SLOTS


def test_a_wake_up_is_deferred_again_once_the_waiting_one_was_fetched(
    queue_engine: Engine,
) -> None:
    sender = QueueSignal(queue_conninfo(queue_engine))
    try:
        sender.send()
        assert sender.flush()
        with queue_engine.begin() as conn:  # a worker fetched it
            conn.execute(text(f"SET LOCAL search_path TO {QUEUE_SCHEMA}"))
            conn.execute(text("UPDATE procrastinate_jobs SET status = 'doing'"))
        time.sleep(GAP_SECONDS)
        sender.send()
        assert sender.flush()
    finally:
        sender.close()
    assert _waiting(queue_engine) == 1


def test_wake_ups_asked_for_while_one_is_deferred_become_one_more(queue_engine: Engine) -> None:
    sender = QueueSignal(queue_conninfo(queue_engine))
    try:
        for _ in range(50):
            sender.send()
        assert sender.flush()
    finally:
        sender.close()
    waiting = _waiting(queue_engine)
    assert 1 <= waiting < SLOTS  # not one defer per send: the slots would all be taken
