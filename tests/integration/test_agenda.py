"""The agenda: scheduled steps run in due-time order as sandbox time passes, once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from skyorder.core.clock import SandboxClock
from skyorder.core.errors import Conflict
from skyorder.runtime import Runtime
from skyorder.services.agenda import STEP_RETRIES, Agenda, Handler
from skyorder.store import tables
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork
from tests.conftest import T0

HOUR = timedelta(hours=1)
Calls = list[tuple[str, str, datetime, datetime]]


class Recorder:
    """Handlers that record (kind, entity, handler's now, clock's now) for every call."""

    def __init__(self, clock: SandboxClock) -> None:
        self.clock = clock
        self.calls: Calls = []

    def handler(
        self, fail_times: int = 0, then: Callable[[UnitOfWork, Step], None] | None = None
    ) -> Handler:
        """A handler that raises on its first ``fail_times`` calls per entity."""
        failures: dict[str, int] = {}

        def handle(uow: UnitOfWork, step: Step, now: datetime) -> None:
            self.calls.append((step.kind, step.entity_id, now, self.clock.now()))
            if then is not None:
                then(uow, step)
            if failures.get(step.entity_id, 0) < fail_times:
                failures[step.entity_id] = failures.get(step.entity_id, 0) + 1
                raise RuntimeError(f"step for {step.entity_id} failed")

        return handle

    def entities(self) -> list[str]:
        return [entity for _, entity, _, _ in self.calls]


@pytest.fixture
def recorder(clock: SandboxClock) -> Recorder:
    return Recorder(clock)


def agenda_with(runtime: Runtime, handlers: dict[str, Handler]) -> Agenda:
    return Agenda(runtime.uow, runtime.clock, handlers)


def schedule(runtime: Runtime, *steps: tuple[str, str, datetime]) -> None:
    with runtime.uow() as uow:
        for kind, entity_id, due_at in steps:
            uow.agenda.schedule(kind, entity_id, due_at, T0)
        uow.commit()


def agenda_rows(runtime: Runtime) -> list[tuple[str, str, str, int]]:
    with runtime.uow(readonly=True) as uow:
        rows = uow.agenda.conn.execute(
            select(tables.agenda).order_by(tables.agenda.c.due_at, tables.agenda.c.pk)
        ).all()
    return [(r.kind, r.entity_id, r.state, r.attempt) for r in rows]


@pytest.fixture
def logs_quietly(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level("CRITICAL", logger="skyorder.services.agenda")
    return caplog


def test_steps_run_once_each_in_due_time_order(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(
        runtime,
        ("test.step", "third", T0 + 3 * HOUR),
        ("test.step", "first", T0 + HOUR),
        ("test.step", "second", T0 + 2 * HOUR),
    )
    now, ran = agenda.advance(clock, T0 + 4 * HOUR)
    assert (now, ran) == (T0 + 4 * HOUR, 3)
    assert recorder.entities() == ["first", "second", "third"]


def test_each_handler_sees_its_due_time_as_now(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, ("test.step", "a", T0 + HOUR), ("test.step", "b", T0 + 90 * HOUR))
    agenda.advance(clock, T0 + 100 * HOUR)
    assert [(now, clock_now) for *_, now, clock_now in recorder.calls] == [
        (T0 + HOUR, T0 + HOUR),
        (T0 + 90 * HOUR, T0 + 90 * HOUR),
    ]


def test_steps_due_at_the_same_time_run_in_the_order_they_were_scheduled(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, *[("test.step", name, T0 + HOUR) for name in ("x", "y", "z")])
    agenda.advance(clock, T0 + HOUR)
    assert recorder.entities() == ["x", "y", "z"]


def test_steps_of_different_kinds_go_to_their_own_handlers(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.one": recorder.handler(), "test.two": recorder.handler()})
    schedule(runtime, ("test.two", "b", T0 + 2 * HOUR), ("test.one", "a", T0 + HOUR))
    agenda.advance(clock, T0 + 3 * HOUR)
    assert [(kind, entity) for kind, entity, *_ in recorder.calls] == [
        ("test.one", "a"),
        ("test.two", "b"),
    ]


def test_a_step_runs_only_once_however_often_time_advances(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, ("test.step", "once", T0 + HOUR))
    agenda.advance(clock, T0 + 2 * HOUR)
    _, ran = agenda.advance(clock, T0 + 3 * HOUR)
    assert ran == 0
    assert recorder.entities() == ["once"]


def test_scheduling_the_same_step_twice_runs_it_once(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, ("test.step", "dup", T0 + HOUR), ("test.step", "dup", T0 + HOUR))
    agenda.advance(clock, T0 + 2 * HOUR)
    assert recorder.entities() == ["dup"]


def test_steps_beyond_the_target_stay_due(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, ("test.step", "now", T0 + HOUR), ("test.step", "later", T0 + 5 * HOUR))
    agenda.advance(clock, T0 + 2 * HOUR)
    assert recorder.entities() == ["now"]
    with runtime.uow(readonly=True) as uow:
        assert uow.agenda.next_due_at() == T0 + 5 * HOUR


def test_a_step_can_schedule_a_follow_up_that_runs_in_the_same_advance(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    def follow_up(uow: UnitOfWork, step: Step) -> None:
        uow.agenda.schedule("test.next", step.entity_id, step.due_at + HOUR, clock.now())

    agenda = agenda_with(
        runtime,
        {"test.step": recorder.handler(then=follow_up), "test.next": recorder.handler()},
    )
    schedule(runtime, ("test.step", "e", T0 + HOUR))
    _, ran = agenda.advance(clock, T0 + 3 * HOUR)
    assert ran == 2
    assert [(kind, now) for kind, _, now, _ in recorder.calls] == [
        ("test.step", T0 + HOUR),
        ("test.next", T0 + 2 * HOUR),
    ]


def test_a_failing_step_is_retried_later_without_stopping_the_others(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder, logs_quietly: object
) -> None:
    agenda = agenda_with(
        runtime, {"test.flaky": recorder.handler(fail_times=1), "test.step": recorder.handler()}
    )
    schedule(runtime, ("test.flaky", "flaky", T0 + HOUR), ("test.step", "steady", T0 + 2 * HOUR))
    agenda.advance(clock, T0 + 3 * HOUR)
    assert [(entity, now) for _, entity, now, _ in recorder.calls] == [
        ("flaky", T0 + HOUR),
        ("flaky", T0 + HOUR + timedelta(seconds=30)),
        ("steady", T0 + 2 * HOUR),
    ]
    assert [state for *_, state, _ in agenda_rows(runtime)] == ["done", "done"]


def test_a_failed_attempt_is_recorded_and_waits_for_its_retry_time(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder, logs_quietly: object
) -> None:
    agenda = agenda_with(runtime, {"test.flaky": recorder.handler(fail_times=1)})
    schedule(runtime, ("test.flaky", "flaky", T0 + HOUR))
    agenda.advance(clock, T0 + HOUR + timedelta(seconds=10))
    assert agenda_rows(runtime) == [("test.flaky", "flaky", "due", 1)]
    with runtime.uow(readonly=True) as uow:
        assert uow.agenda.next_due_at() == T0 + HOUR + timedelta(seconds=30)
    agenda.advance(clock, T0 + 2 * HOUR)
    assert agenda_rows(runtime) == [("test.flaky", "flaky", "done", 1)]


def test_a_failing_step_backs_off_and_is_given_up_after_max_attempts(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder, logs_quietly: object
) -> None:
    agenda = agenda_with(runtime, {"test.broken": recorder.handler(fail_times=10**6)})
    schedule(runtime, ("test.broken", "broken", T0))
    agenda.advance(clock, T0 + 10 * HOUR)
    attempts = [now for *_, now, _ in recorder.calls]
    assert len(attempts) == STEP_RETRIES.attempts
    gaps = [(b - a).total_seconds() for a, b in zip(attempts, attempts[1:], strict=False)]
    assert gaps == [30 * 2**n for n in range(STEP_RETRIES.attempts - 1)]
    assert agenda_rows(runtime) == [("test.broken", "broken", "failed", STEP_RETRIES.attempts)]


def test_a_failing_steps_writes_are_rolled_back(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder, logs_quietly: object
) -> None:
    def follow_up(uow: UnitOfWork, step: Step) -> None:
        uow.agenda.schedule("test.next", step.entity_id, step.due_at + HOUR, clock.now())

    agenda = agenda_with(
        runtime,
        {
            "test.broken": recorder.handler(fail_times=10**6, then=follow_up),
            "test.next": recorder.handler(),
        },
    )
    schedule(runtime, ("test.broken", "e", T0))
    agenda.advance(clock, T0 + 10 * HOUR)
    assert "test.next" not in [kind for kind, *_ in recorder.calls]
    assert [kind for kind, *_ in agenda_rows(runtime)] == ["test.broken"]


def test_a_step_without_a_handler_is_given_up_and_does_not_stop_the_others(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, ("test.unknown", "u", T0 + HOUR), ("test.step", "s", T0 + 2 * HOUR))
    agenda.advance(clock, T0 + 3 * HOUR)
    assert recorder.entities() == ["s"]
    assert [(kind, state) for kind, _, state, _ in agenda_rows(runtime)] == [
        ("test.unknown", "failed"),
        ("test.step", "done"),
    ]


def test_advancing_persists_the_offset(runtime: Runtime, clock: SandboxClock) -> None:
    agenda_with(runtime, {}).advance(clock, T0 + 5 * HOUR)
    with runtime.uow(readonly=True) as uow:
        assert uow.clock.load_offset() == 5 * HOUR


def test_advancing_to_the_past_is_refused_and_runs_nothing(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, ("test.step", "due", T0 - HOUR))
    with pytest.raises(Conflict):
        agenda.advance(clock, T0 - timedelta(seconds=1))
    assert recorder.calls == []
    assert clock.now() == T0


def test_run_due_runs_only_what_is_due_now(
    runtime: Runtime, clock: SandboxClock, recorder: Recorder
) -> None:
    agenda = agenda_with(runtime, {"test.step": recorder.handler()})
    schedule(runtime, ("test.step", "past", T0 - HOUR), ("test.step", "future", T0 + HOUR))
    assert agenda.run_due() == 1
    assert recorder.entities() == ["past"]
    assert clock.now() == T0


def test_a_pass_with_nothing_due_opens_no_writing_unit_of_work(
    runtime: Runtime, recorder: Recorder
) -> None:
    writes: list[bool] = []

    def counting(*, readonly: bool = False, autocommit: bool = False) -> UnitOfWork:
        writes.append(not readonly)
        return runtime.uow(readonly=readonly, autocommit=autocommit)

    schedule(runtime, ("test.step", "later", T0 + HOUR))
    agenda = Agenda(counting, runtime.clock, {"test.step": recorder.handler()})  # type: ignore[arg-type]
    assert agenda.run_due() == 0  # nothing due yet: a look, no write lock queued for
    assert writes and not any(writes)
    assert agenda.seconds_until_next(7200) == pytest.approx(3600)
    writes.clear()
    agenda.advance(runtime.clock, T0 + 2 * HOUR)  # type: ignore[arg-type]
    assert recorder.entities() == ["later"] and any(writes)
