"""Wake-ups across processes through procrastinate, a PostgreSQL job queue.

The queue carries one kind of job, ``skyorder.agenda.wake``, with no arguments: it only
says "look at the agenda now". Whoever commits a step due soon defers one
(:class:`QueueSignal`); procrastinate's trigger sends a PostgreSQL ``NOTIFY``, one
listening worker fetches the job (``FOR UPDATE SKIP LOCKED``) and its
:class:`QueueListener` wakes the worker's agenda threads. Finished jobs are deleted.

A wake-up waiting to be fetched announces every step committed before its fetch, so a
sender defers none while one waits (a read, where a deferred duplicate would be an insert
the database refuses and logs as an error); processes that look at once and all defer are
capped at :data:`SLOTS` wake-ups (one per queueing lock), so the table stays small when no
worker runs. A wake-up lost (a worker
killed while holding it, a defer that failed) costs one poll interval; the agenda
in the database stays the only record of work.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from concurrent.futures import Future

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

from skyorder.services.wakeups import LocalSignal
from skyorder.store.queue_schema import queue_connection_options

log = logging.getLogger(__name__)

QUEUE = "skyorder-agenda"
TASK = "skyorder.agenda.wake"
SLOTS = 8
_WAITING = (
    "SELECT EXISTS (SELECT 1 FROM procrastinate_jobs"
    " WHERE queue_name = %(queue)s AND status = 'todo') AS waiting"
)
"""Whether a wake-up waits to be fetched (the queue's tables are on the search path)."""
GAP_SECONDS = 0.02
"""Least time between two defers of one process: a wake-up asked for sooner waits for the
rest of the gap (and joins any others asked for meanwhile), so a process placing hundreds
of orders a second defers at most 50 wake-ups a second, each announcing every step
committed before it."""


class QueueSignal:
    """Defers a wake-up job (the :class:`~skyorder.services.wakeups.WakeSignal` port).

    :meth:`send` only notes that a wake-up is wanted; a sender thread defers it, so the
    request that committed a step waits for no round trip, and the wake-ups asked for
    while one is being deferred become one more after it (a burst of orders costs a few
    defers, not one each, and the last order's step is still announced after its commit);
    defers are at least :data:`GAP_SECONDS` apart, and none is made while a wake-up waits.
    The connection pool (at most two connections) opens on the first wake-up.
    """

    def __init__(self, conninfo: str) -> None:
        self._connector = procrastinate.SyncPsycopgConnector(
            conninfo=conninfo, min_size=1, max_size=2, kwargs=queue_connection_options()
        )
        self._app = procrastinate.App(connector=self._connector)
        self._slots = itertools.cycle(range(SLOTS))
        self._cond = threading.Condition()
        self._wanted = False  # a wake-up was asked for and not deferred yet
        self._sending = False  # the sender thread is deferring one
        self._closing = False
        self._open = False
        self._sender: threading.Thread | None = None

    def send(self) -> None:
        """Ask for a wake-up (deferred by the sender thread, unless the next slot has one)."""
        with self._cond:
            if self._closing:
                return
            self._wanted = True
            if self._sender is None:
                self._sender = threading.Thread(
                    target=self._run, name="skyorder-wake-sender", daemon=True
                )
                self._sender.start()
            self._cond.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every wake-up asked for so far was deferred; False after ``timeout`` s."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._wanted and not self._sending, timeout)

    def _run(self) -> None:
        last = -GAP_SECONDS
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._wanted or self._closing)
                if not self._wanted:
                    return  # closing, nothing left to send
                self._sending = True
                rest = last + GAP_SECONDS - time.monotonic()
                if rest > 0 and not self._closing:
                    self._cond.wait(rest)  # wanted stays set: flush() waits for this one too
                self._wanted = False
            last = time.monotonic()
            try:
                self._defer()
            except Exception:  # noqa: BLE001 - a lost wake-up only delays work to the next poll
                log.warning("wake-up through the job queue failed", exc_info=True)
            finally:
                with self._cond:
                    self._sending = False
                    self._cond.notify_all()

    def _defer(self) -> None:
        if not self._open:
            self._app.open()
            self._open = True
        if self._connector.execute_query_one(_WAITING, queue=QUEUE)["waiting"]:
            return  # fetched after this look, so after every step committed before it
        slot = next(self._slots)
        deferrer = self._app.configure_task(TASK, queue=QUEUE, queueing_lock=f"wake-{slot}")
        try:
            deferrer.defer()
        except AlreadyEnqueued:
            pass  # a wake-up already waits there: the workers will look anyway

    def close(self) -> None:
        """Send what was asked for, stop the sender and close the pool (if it was opened)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            sender = self._sender
        if sender is not None:
            sender.join(timeout=10)
        if self._open:
            self._app.close()
            self._open = False


class QueueListener:
    """Runs a procrastinate worker in a thread; each wake-up job wakes ``signal``."""

    def __init__(self, conninfo: str, signal: LocalSignal) -> None:
        self._conninfo = conninfo
        self._signal = signal
        self._thread = threading.Thread(target=self._run, name="skyorder-wakeups", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready: Future[None] = Future()

    def start(self, timeout: float = 30.0) -> None:
        """Start listening; return once the worker runs (or raise why it could not)."""
        self._thread.start()
        self._ready.result(timeout=timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop listening (the wake-up job under way, if any, is a no-op anyway)."""
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        self._thread.join(timeout=timeout)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception as exc:  # noqa: BLE001 - reported to start(), or logged
            if not self._ready.done():
                self._ready.set_exception(exc)
            else:
                log.exception("the wake-up listener stopped")

    async def _main(self) -> None:
        signal = self._signal
        connector = procrastinate.PsycopgConnector(
            conninfo=self._conninfo, min_size=1, max_size=3, kwargs=queue_connection_options()
        )
        app = procrastinate.App(connector=connector)

        @app.task(name=TASK, queue=QUEUE)
        async def wake() -> None:
            signal.send()

        async with app.open_async():
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.create_task(
                app.run_worker_async(
                    queues=[QUEUE],
                    name="skyorder-wakeups",
                    concurrency=1,
                    install_signal_handlers=False,
                    delete_jobs="always",
                    listen_notify=True,
                )
            )
            self._ready.set_result(None)
            try:
                await self._task
            except asyncio.CancelledError:
                pass
