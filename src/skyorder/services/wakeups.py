"""Wake-ups: telling workers "look at the agenda now" when a step comes due soon.

The agenda in the database is the source of truth for work (DESIGN.md principle 4); a
wake-up only shortens the wait before a worker looks. A lost wake-up costs at most one
poll interval, a duplicated one an empty pass: neither changes what is done.

The port is :class:`WakeSignal`; :class:`LocalSignal` is the in-process adapter (the
embedded agenda thread, or a worker's own threads), and
:class:`skyorder.worker.queue.QueueSignal` the one that crosses processes through the job
queue.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from skyorder.core.clock import Clock

log = logging.getLogger(__name__)


class WakeSignal(Protocol):
    """Something that can tell workers to look at the agenda now."""

    def send(self) -> None:
        """Wake the workers this signal reaches (best effort)."""


class LocalSignal:
    """Wakes the agenda threads of this process.

    A waiter notes :meth:`generation` before it looks at the agenda and then waits
    :meth:`since` it: a wake-up sent while it was looking is not lost.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._generation = 0

    def send(self) -> None:
        """Wake every waiting thread."""
        with self._cond:
            self._generation += 1
            self._cond.notify_all()

    def generation(self) -> int:
        """How many wake-ups were sent so far."""
        with self._cond:
            return self._generation

    def wait(self, since: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a wake-up sent after ``since``."""
        with self._cond:
            return self._cond.wait_for(lambda: self._generation != since, timeout)


class Wakeups:
    """Sends wake-ups for steps scheduled due now or within ``horizon``.

    Steps due later need none: the workers' polling finds them in time.
    """

    def __init__(
        self, clock: Clock, horizon: timedelta, signals: Sequence[WakeSignal] = ()
    ) -> None:
        self._clock = clock
        self._horizon = horizon
        self.signals = list(signals)

    def scheduled(self, due: Iterable[datetime]) -> None:
        """Called after a commit that scheduled steps due at ``due``."""
        soonest = min(due, default=None)
        if soonest is None or soonest > self._clock.now() + self._horizon:
            return
        for signal in self.signals:
            try:
                signal.send()
            except Exception:  # noqa: BLE001 - a lost wake-up only delays work to the next poll
                log.warning("wake-up through %s failed", type(signal).__name__, exc_info=True)
