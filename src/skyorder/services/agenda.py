"""Working through the agenda of due steps, and advancing sandbox time.

A step is "at time T, do X to entity E". Its handler reads the entity, checks
that its state still calls for the step, does it and schedules what follows,
all in the step's own transaction, so a step run twice changes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from skyorder.core.clock import Clock, SandboxClock
from skyorder.core.errors import Conflict
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Step, datetime], None]
MAX_ATTEMPTS = 8


class Agenda:
    """Runs due steps in time order with the registered handlers."""

    def __init__(
        self, new_uow: Callable[[], UnitOfWork], clock: Clock, handlers: Mapping[str, Handler]
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._handlers = dict(handlers)
        self._lock = threading.Lock()

    def run_due(self, until: datetime | None = None) -> int:
        """Run every step due at or before ``until`` (default: now); return how many ran."""
        with self._lock:
            return self._run_due(until or self._clock.now())

    def _run_due(self, until: datetime) -> int:
        ran = 0
        while True:
            with self._new_uow() as uow:
                step = uow.agenda.claim_next(until)
                if step is None:
                    return ran
                if isinstance(self._clock, SandboxClock) and step.due_at > self._clock.now():
                    self._clock.advance_to(step.due_at)
                self._run_step(uow, step)
                uow.commit()
                ran += 1

    def _run_step(self, uow: UnitOfWork, step: Step) -> None:
        now = self._clock.now()
        handler = self._handlers.get(step.kind)
        if handler is None:
            uow.agenda.retry(step, f"no handler for step kind {step.kind!r}", None)
            return
        try:
            with uow.savepoint():
                handler(uow, step, now)
        except Exception as exc:  # noqa: BLE001 - a failing step must not stop the agenda
            log.exception("step %s for %s failed", step.kind, step.entity_id)
            retry_at = (
                now + timedelta(seconds=30 * 2**step.attempt)
                if step.attempt + 1 < MAX_ATTEMPTS
                else None
            )
            uow.agenda.retry(step, repr(exc), retry_at)
            return
        uow.agenda.finish(step, now)

    def advance(self, clock: SandboxClock, to: datetime) -> tuple[datetime, int]:
        """Move sandbox time to ``to``, running every step due on the way at its own time.

        Returns the new time and how many steps ran.
        """
        with self._lock:
            current = clock.now()
            if to < current:
                raise Conflict(
                    f"the sandbox clock only moves forward; {to.isoformat()} is before "
                    f"the current sandbox time {current.isoformat()}"
                )
            ran = self._run_due(to)
            if clock.now() < to:
                clock.advance_to(to)
            with self._new_uow() as uow:
                uow.clock.save_offset(clock.offset)
                uow.commit()
            return clock.now(), ran


class AgendaLoop:
    """A background thread that runs due steps as time passes (embedded mode)."""

    def __init__(self, agenda: Agenda, interval: float = 1.0) -> None:
        self._agenda = agenda
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="skyorder-agenda", daemon=True)

    def start(self) -> None:
        """Start polling."""
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and wait for the current pass to end."""
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._agenda.run_due()
            except Exception:  # noqa: BLE001 - keep polling; the error is logged
                log.exception("agenda pass failed")
