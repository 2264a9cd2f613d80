"""Working through the agenda of due steps, and advancing sandbox time.

A step is "at time T, do X to entity E". Its handler reads the entity, checks
that its state still calls for the step, does it and schedules what follows,
all in the step's own transaction, so a step run twice changes nothing.

Steps whose work is long or leaves the database (raster processing, uploads,
HTTP calls) are :class:`Job` s instead: ``prepare`` checks the state in the
claiming transaction and the step is leased (pushed to the end of its lease,
still due) and committed; ``perform`` then runs outside any transaction, and
``record`` checks the state again and writes the outcome in a second one. A
worker killed in between loses nothing: the lease runs out and another worker
redoes the (idempotent) work; ``record`` writes it once.

A step whose handler raises is retried per :data:`STEP_RETRIES`; work with its own
schedule (a push, a webhook delivery) records its outcome and schedules its next
attempt itself, with its own :class:`~skyorder.core.retries.RetryPolicy`.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from skyorder.core.clock import Clock, OrganisationClocks, SandboxClock
from skyorder.core.errors import Conflict
from skyorder.core.retries import RetryPolicy
from skyorder.core.steps import StepKind
from skyorder.services.wakeups import LocalSignal
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Step, datetime], None]
# A failing step: 8 attempts, 30 s after the first failure, doubling (about 64 minutes).
STEP_RETRIES = RetryPolicy.doubling(timedelta(seconds=30), attempts=8)


class Job(ABC):
    """A step done in three phases, its slow part outside any transaction."""

    lease: timedelta = timedelta(minutes=10)
    """How long the work may take before another worker may take the step over."""

    @abstractmethod
    def prepare(self, uow: UnitOfWork, step: Step, now: datetime) -> Any | None:
        """Check the entity still needs the work; return what ``perform`` needs, or None."""

    @abstractmethod
    def perform(self, prepared: Any) -> Any:
        """Do the work (no database); idempotent: doing it again gives the same result."""

    @abstractmethod
    def record(
        self, uow: UnitOfWork, step: Step, prepared: Any, result: Any, now: datetime
    ) -> None:
        """Write the outcome (after checking the entity's state again)."""

    def failed(self, uow: UnitOfWork, step: Step, error: str, now: datetime) -> None:
        """Called once the step has used up its attempts (default: log it)."""
        log.error("step %s for %s gave up at %s: %s", step.kind, step.entity_id, now, error)


def _retry_at(now: datetime, failed_before: int) -> datetime | None:
    delay = STEP_RETRIES.next_delay(failed_before + 1)
    return None if delay is None else now + delay


class _Tally:
    """What an agenda and its replicas have under way and have done (shared between them).

    A sandbox advance waits for the steps other threads have under way, counts them in
    its answer, and never takes over a step whose lease one of them holds.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._running: dict[int, str | None] = {}
        self._done: dict[str | None, int] = {}

    def running(self) -> frozenset[int]:
        """The agenda rows (pk) whose step a thread of this process has under way."""
        with self._changed:
            return frozenset(self._running)

    def done(self, organisation_id: str | None = None, *, everyone: bool = False) -> int:
        """Steps of ``organisation_id`` (or of ``everyone``) run to their end so far."""
        with self._changed:
            if everyone:
                return sum(self._done.values())
            return self._done.get(organisation_id, 0)

    def begin(self, step: Step) -> None:
        """A thread has claimed ``step``."""
        with self._changed:
            self._running[step.pk] = step.organisation_id

    def end(self, step: Step) -> None:
        """``step`` has run (done, rescheduled or given up)."""
        with self._changed:
            self._running.pop(step.pk, None)
            key = step.organisation_id
            self._done[key] = self._done.get(key, 0) + 1
            self._changed.notify_all()

    def wait_idle(self, organisation_id: str | None = None, *, everyone: bool = False) -> None:
        """Wait until no thread has a step of ``organisation_id`` (or of anyone) under way."""
        with self._changed:
            self._changed.wait_for(
                lambda: (
                    not any(everyone or org == organisation_id for org in self._running.values())
                )
            )


class _Advancing:
    """One lock per organisation: its advances, one at a time (shared by an agenda's replicas)."""

    def __init__(self) -> None:
        self._registry = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def lock(self, organisation_id: str) -> threading.Lock:
        """The lock of ``organisation_id``'s advances."""
        with self._registry:
            return self._locks.setdefault(organisation_id, threading.Lock())


class Agenda:
    """Runs due steps in time order with the registered handlers."""

    def __init__(
        self,
        new_uow: UnitOfWorkFactory,
        clock: Clock,
        handlers: Mapping[StepKind, Handler | Job],
        *,
        lease: timedelta | None = None,
        clocks: OrganisationClocks | None = None,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._clocks = clocks or OrganisationClocks(clock)
        # Keyed by the kind's value: a claimed step's kind is the string stored.
        self._handlers: dict[str, Handler | Job] = {str(k): h for k, h in handlers.items()}
        self._lease_length = lease
        self._lock = threading.Lock()
        self._next_due: datetime | None = None
        self._tally = _Tally()
        self._advancing = _Advancing()

    @property
    def clock(self) -> Clock:
        """The server's clock (steps of no organisation run by it)."""
        return self._clock

    @property
    def clocks(self) -> OrganisationClocks:
        """Each organisation's clock: a step runs at the time of the organisation it names."""
        return self._clocks

    def _now(self, step: Step) -> datetime:
        return self._clocks.of(step.organisation_id).now()

    @property
    def kinds(self) -> frozenset[str]:
        """The step kinds this agenda has a handler for."""
        return frozenset(self._handlers)

    def replica(self) -> Agenda:
        """An agenda on the same handlers that runs steps concurrently with this one.

        Claiming never hands one step to two agendas (``FOR UPDATE SKIP LOCKED`` on
        PostgreSQL, one writer at a time on SQLite), so a worker runs one replica per thread.
        """
        agenda = Agenda(
            self._new_uow, self._clock, {}, lease=self._lease_length, clocks=self._clocks
        )
        agenda._handlers = dict(self._handlers)
        agenda._tally = self._tally
        agenda._advancing = self._advancing
        return agenda

    def run_due(self, until: datetime | None = None, *, stop: threading.Event | None = None) -> int:
        """Run every step due at or before ``until`` (default: now); return how many ran.

        With ``stop``, return early once it is set (after the step under way).
        """
        with self._lock:
            return self._run_due(until or self._clock.now(), stop)

    def seconds_until_next(self, cap: float) -> float:
        """Seconds until the earliest pending step is due (0 if due now), at most ``cap``.

        As seen at the end of the last :meth:`run_due`.
        """
        due = self._next_due
        if due is None:
            return cap
        return min(cap, max(0.0, (due - self._clock.now()).total_seconds()))

    def register(self, kind: StepKind, handler: Handler | Job) -> None:
        """Add (or replace) the handler of a step kind."""
        self._handlers[str(kind)] = handler

    def _run_due(
        self,
        until: datetime,
        stop: threading.Event | None = None,
        organisation_id: str | None = None,
    ) -> int:
        """Run the steps due by ``until``: the server's time, or the organisation's."""
        ran = 0
        while stop is None or not stop.is_set():
            leased: tuple[Job, Step, Any] | None = None
            ahead = {} if organisation_id is not None else self._clocks.ahead()
            # A read-only look first: nothing due takes no write lock (on SQLite, the
            # process's one writer, which every organisation's advance queues for).
            with self._new_uow(readonly=True) as look:
                if (
                    look.agenda.peek_next(
                        until, self._tally.running(), organisation_id=organisation_id, ahead=ahead
                    )
                    is None
                ):
                    self._next_due = look.agenda.next_due_at()
                    return ran
            with self._new_uow() as uow:
                # A step another thread of this process has under way is its to finish,
                # even once its lease has run out in sandbox time.
                step = uow.agenda.claim_next(
                    until, self._tally.running(), organisation_id=organisation_id, ahead=ahead
                )
                if step is None:
                    self._next_due = uow.agenda.next_due_at()
                    return ran
                self._tally.begin(step)
                try:
                    self._catch_up(step, organisation_id, ahead)
                    handler = self._handlers.get(step.kind)
                    if isinstance(handler, Job):
                        leased = self._lease(uow, handler, step)
                    else:
                        self._run_step(uow, step, handler)
                    uow.commit()
                except BaseException:
                    self._tally.end(step)
                    raise
            try:
                if leased is not None:
                    self._perform(*leased)
            finally:
                self._tally.end(step)
            ran += 1
        return ran

    def _catch_up(
        self, step: Step, organisation_id: str | None, ahead: Mapping[str, timedelta]
    ) -> None:
        """Move sandbox time to the step's due time (in an advance, time jumps step by step)."""
        if organisation_id is not None:  # an organisation's advance moves its clock only
            own = self._clocks.own(organisation_id)
            if step.due_at > own.now():
                own.advance_to(step.due_at)
            return
        if not isinstance(self._clock, SandboxClock):
            return
        lead = ahead.get(step.organisation_id or "", timedelta(0))
        if step.due_at - lead > self._clock.now():
            self._clock.advance_to(step.due_at - lead)

    def _run_step(self, uow: UnitOfWork, step: Step, handler: Handler | None) -> None:
        now = self._now(step)
        if handler is None:
            uow.agenda.retry(step, f"no handler for step kind {step.kind!r}", None)
            return
        try:
            with uow.savepoint():
                handler(uow, step, now)
        except Exception as exc:  # noqa: BLE001 - a failing step must not stop the agenda
            log.exception("step %s for %s failed", step.kind, step.entity_id)
            uow.agenda.retry(step, repr(exc), _retry_at(now, step.attempt))
            return
        uow.agenda.finish(step, now)
        log.info("ran %s for %s", step.kind, step.entity_id)

    def _lease(self, uow: UnitOfWork, job: Job, step: Step) -> tuple[Job, Step, Any] | None:
        now = self._now(step)
        try:
            with uow.savepoint():
                prepared = job.prepare(uow, step, now)
        except Exception as exc:  # noqa: BLE001
            log.exception("step %s for %s failed", step.kind, step.entity_id)
            self._give_up_or_retry(uow, job, step, repr(exc), now, leased=False)
            return None
        if prepared is None:
            uow.agenda.finish(step, now)
            log.info("%s for %s: nothing to do", step.kind, step.entity_id)
            return None
        lease = self._lease_length or job.lease
        log.info("%s for %s: leased until %s", step.kind, step.entity_id, now + lease)
        return job, uow.agenda.lease(step, now + lease), prepared

    def _perform(self, job: Job, step: Step, prepared: Any) -> None:
        try:
            result = job.perform(prepared)
        except Exception as exc:  # noqa: BLE001
            log.exception("step %s for %s failed", step.kind, step.entity_id)
            with self._new_uow() as uow:
                if uow.agenda.holds(step):
                    now = self._now(step)
                    self._give_up_or_retry(uow, job, step, repr(exc), now, leased=True)
                    uow.commit()
            return
        with self._new_uow() as uow:
            if not uow.agenda.holds(step):
                # the lease ran out and another worker took the step over
                log.info("%s for %s: lease lost, result dropped", step.kind, step.entity_id)
                return
            now = self._now(step)
            try:
                with uow.savepoint():
                    job.record(uow, step, prepared, result, now)
            except Exception as exc:  # noqa: BLE001
                log.exception("step %s for %s failed", step.kind, step.entity_id)
                self._give_up_or_retry(uow, job, step, repr(exc), now, leased=True)
            else:
                uow.agenda.finish(step, now)
                log.info("ran %s for %s", step.kind, step.entity_id)
            uow.commit()

    def _give_up_or_retry(
        self, uow: UnitOfWork, job: Job, step: Step, error: str, now: datetime, *, leased: bool
    ) -> None:
        # A leased step counted its attempt when it was leased.
        retry_at = _retry_at(now, step.attempt - 1 if leased else step.attempt)
        uow.agenda.retry(step, error, retry_at, leased=leased)
        if retry_at is None:
            with uow.savepoint():
                job.failed(uow, step, error, now)

    def advance(
        self, clock: SandboxClock, to: datetime, organisation_id: str | None = None
    ) -> tuple[datetime, int]:
        """Move sandbox time to ``to``, running every step due on the way at its own time.

        With ``organisation_id``, ``clock`` is that organisation's and only its steps run;
        otherwise ``clock`` is the server's and every organisation's time moves with it.

        Advances of different organisations run side by side; one organisation's wait
        for each other.

        Returns the new time and how many steps ran meanwhile: those this call ran and
        those the process's other agenda threads ran, including steps they had under way
        when the call began (it waits for them, and then runs what they scheduled).
        """
        everyone = organisation_id is None
        # Counted from the call, not from taking the lock: what an agenda thread ends while
        # the call waits for it ran during the advance too.
        before = self._tally.done(organisation_id, everyone=everyone)
        # One advance at a time per clock: organisations' advances run side by side (each
        # claims only its own steps); the server's shares the lock of this agenda's thread.
        lock = self._lock if organisation_id is None else self._advancing.lock(organisation_id)
        with lock:
            current = clock.now()
            if to < current:
                raise Conflict(
                    f"the sandbox clock only moves forward; {to.isoformat()} is before "
                    f"the current sandbox time {current.isoformat()}"
                )
            while True:
                self._run_due(to, organisation_id=organisation_id)
                seen = self._tally.done(organisation_id, everyone=everyone)
                self._tally.wait_idle(organisation_id, everyone=everyone)
                if self._tally.done(organisation_id, everyone=everyone) == seen:
                    break  # nothing ended while waiting, so nothing new came due
            ran = self._tally.done(organisation_id, everyone=everyone) - before
            if clock.now() < to:
                clock.advance_to(to)
            with self._new_uow() as uow:
                if organisation_id is None:
                    uow.clock.save_offset(clock.offset)
                else:
                    uow.clock.save_organisation_offset(organisation_id, clock.offset)
                uow.commit()
            return clock.now(), ran


class AgendaLoop:
    """Threads that run due steps as time passes (embedded mode, and each worker process).

    Each thread runs its own :meth:`Agenda.replica`, looks at the agenda, then sleeps until
    the next step is due, the poll ``interval`` passes or ``signal`` wakes it, whichever
    comes first. ``before_pass`` runs before each look (a worker refreshes its sandbox
    clock there).
    """

    def __init__(
        self,
        agenda: Agenda,
        interval: float = 1.0,
        *,
        signal: LocalSignal | None = None,
        threads: int = 1,
        before_pass: Callable[[], None] | None = None,
    ) -> None:
        self._interval = interval
        self._signal = signal or LocalSignal()
        self._before_pass = before_pass
        self._stop = threading.Event()
        agendas = [agenda] + [agenda.replica() for _ in range(threads - 1)]
        self._threads = [
            threading.Thread(target=self._loop, args=(a,), name=f"skyorder-agenda-{i}", daemon=True)
            for i, a in enumerate(agendas)
        ]

    def start(self) -> None:
        """Start the threads."""
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop and wait up to ``timeout`` seconds for the steps under way to end.

        Returns whether every thread ended; a step still running then is abandoned to
        its lease (the threads are daemons and end with the process).
        """
        self._stop.set()
        self._signal.send()
        for thread in self._threads:
            if thread.ident is not None:  # started
                thread.join(timeout=timeout)
        return not any(t.is_alive() for t in self._threads)

    def _loop(self, agenda: Agenda) -> None:
        while not self._stop.is_set():
            seen = self._signal.generation()
            wait = self._interval
            try:
                if self._before_pass is not None:
                    self._before_pass()
                agenda.run_due(stop=self._stop)
                # A step due now that could not be claimed is another worker's for the
                # moment: look again shortly rather than spin.
                wait = max(agenda.seconds_until_next(self._interval), 0.05)
            except Exception:  # noqa: BLE001 - keep polling; the error is logged
                log.exception("agenda pass failed")
            self._signal.wait(seen, wait)
