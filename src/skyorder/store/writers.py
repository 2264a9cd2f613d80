"""A lock that SQLite writers of one process take in the order they asked for it.

``threading.Lock`` promises no order: under 16 concurrent placements a writer could lose
the race for the lock again and again while later ones went first, and the slowest
requests waited several times as long as the median. Here each waiter queues and the
lock is handed to the oldest one when it is released, so waits are first come, first
served and the tail stays close to the median.
"""

from __future__ import annotations

import threading
from collections import deque


class WriterQueue:
    """A first-come, first-served mutual exclusion lock (``acquire``/``release``)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float = -1) -> bool:
        """Take the lock, waiting behind earlier callers; False if ``timeout`` s passed first."""
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release()
        with self._mutex:
            if turn in self._waiting:
                self._waiting.remove(turn)
                return False
        return True  # handed over between the timeout and the mutex

    def release(self) -> None:
        """Hand the lock to the longest waiter, or free it."""
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # still held: now by that waiter
            else:
                self._held = False
