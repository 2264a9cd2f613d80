"""A worker process (scale mode): the agenda worked through without serving HTTP.

``concurrency`` threads each claim due steps (``FOR UPDATE SKIP LOCKED`` on PostgreSQL)
and run them; they sleep until the next step is due, a poll interval passes or a
wake-up arrives through the job queue. SIGTERM or SIGINT stops the process: the steps
under way get a grace period to end, then are abandoned — a leased job's lease runs out
and another worker redoes it; a plain step's transaction was never committed.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta
from types import FrameType

from skyorder.core.clock import SandboxClock, SystemClock
from skyorder.core.steps import StepKind
from skyorder.runtime import WORK_DIR, Runtime
from skyorder.services.agenda import AgendaLoop, Job
from skyorder.services.leftovers import DataLayout, Swept, sweep_leftovers
from skyorder.store.queue_schema import queue_conninfo
from skyorder.worker.queue import QueueListener

log = logging.getLogger(__name__)

GRACE_SECONDS = 10.0
SWEEP_EVERY_SECONDS = 600
"""How often a worker looks for what interrupted runs left behind (and once at start)."""


def sweep_crash_leftovers(runtime: Runtime) -> Swept:
    """Remove the work folders and files interrupted runs left behind (see services.leftovers)."""
    settings = runtime.settings
    lease = settings.agenda_lease_seconds
    layout = DataLayout(
        work=settings.data_dir / WORK_DIR,
        scenes=runtime.imagery.root,
        objects=runtime.objects,
        lease=timedelta(seconds=lease) if lease else Job.lease,
        step=StepKind.DELIVERABLE_PROCESS,
    )
    return sweep_leftovers(runtime.uow, SystemClock(), layout)


def follow_sandbox_clock(runtime: Runtime) -> None:
    """Catch up with sandbox time moved by another process (it is kept in the database).

    The server's clock, and each organisation's (an organisation's due work runs at its
    own time; a clock an admin reset goes back with it).
    """
    clock = runtime.clock
    if not isinstance(clock, SandboxClock):
        return
    with runtime.uow(readonly=True) as uow:
        offset = uow.clock.load_offset()
        offsets = uow.clock.organisation_offsets()
    clock.catch_up(offset)
    for organisation_id in set(runtime.clocks.ahead()) - set(offsets):
        offsets[organisation_id] = timedelta(0)  # reset since
    for organisation_id, lead in offsets.items():
        runtime.clocks.follow(organisation_id, lead)


def run_worker(runtime: Runtime, concurrency: int, stop: threading.Event | None = None) -> None:
    """Work through the agenda until SIGTERM/SIGINT (or ``stop``) is received."""
    stop = stop or threading.Event()
    settings = runtime.settings
    before_pass = (lambda: follow_sandbox_clock(runtime)) if settings.sandbox else None
    loop = AgendaLoop(
        runtime.agenda,
        settings.agenda_interval_seconds,
        signal=runtime.wake_signal,
        threads=concurrency,
        before_pass=before_pass,
    )
    listener: QueueListener | None = None
    if runtime.engine.dialect.name == "postgresql" and settings.wake_queue:
        listener = QueueListener(queue_conninfo(runtime.engine), runtime.wake_signal)

    def on_signal(signum: int, _: FrameType | None) -> None:
        log.info("received %s: stopping", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        if listener is not None:
            listener.start()
        loop.start()
        log.info(
            "worker running: %d thread(s), polling every %ss, wake-ups %s",
            concurrency,
            settings.agenda_interval_seconds,
            "through the job queue" if listener else "in-process only",
        )
        sweep_crash_leftovers(runtime)
        ticks = 0
        while not stop.wait(1.0):
            ticks += 1
            if ticks % SWEEP_EVERY_SECONDS == 0:
                sweep_crash_leftovers(runtime)
    finally:
        if loop.stop(GRACE_SECONDS):
            log.info("worker stopped")
        else:
            log.warning("worker stopped; a step still running is left to its lease")
        if listener is not None:
            listener.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
