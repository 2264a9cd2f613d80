"""Scale-mode workers: threads that work through the agenda against a shared database.

Each thread has its own :class:`~skyorder.services.agenda.Agenda` (claiming never blocks
another worker: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and polls when nothing is due.
Jobs run under a lease, so a worker killed at any moment loses nothing: its step comes
due again when the lease runs out and another worker redoes it. With a sandbox clock, a
worker adopts the offset the API saved when its clock was advanced.
"""

from __future__ import annotations

import logging
import threading

from skyorder.core.clock import SandboxClock
from skyorder.runtime import Runtime

log = logging.getLogger(__name__)


class Workers:
    """``concurrency`` threads running due steps until stopped."""

    def __init__(self, runtime: Runtime, concurrency: int, interval: float) -> None:
        self._runtime = runtime
        self._interval = interval
        self._stop = threading.Event()
        self.done = 0
        self._count_lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._loop, name=f"skyorder-worker-{i}", daemon=True)
            for i in range(concurrency)
        ]

    def start(self) -> None:
        """Start the threads."""
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Ask the threads to stop after their current step."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the threads to end."""
        for thread in self._threads:
            thread.join(timeout)

    def _sync_clock(self) -> None:
        clock = self._runtime.clock
        if isinstance(clock, SandboxClock):
            with self._runtime.uow(readonly=True) as uow:
                clock.catch_up(uow.clock.load_offset())

    def _loop(self) -> None:
        agenda = self._runtime.agenda.clone()
        while not self._stop.is_set():
            try:
                self._sync_clock()
                ran = agenda.run_due()
            except Exception:  # noqa: BLE001 - keep working; the error is logged
                log.exception("agenda pass failed")
                ran = 0
            if ran:
                with self._count_lock:
                    self.done += ran
                log.info("ran %d step(s)", ran)
            else:
                self._stop.wait(self._interval)
