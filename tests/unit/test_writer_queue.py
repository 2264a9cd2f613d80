"""SQLite writers of one process take the write lock first come, first served."""

from __future__ import annotations

import threading
import time

from skyorder.store.writers import WriterQueue


def _queue_behind(lock: WriterQueue, n: int) -> list[int]:
    """Start ``n`` waiters one after another while the lock is held; the order they got it."""
    got: list[int] = []
    threads = []

    def wait(index: int) -> None:
        assert lock.acquire(timeout=10)
        got.append(index)
        lock.release()

    for index in range(n):
        thread = threading.Thread(target=wait, args=(index,))
        thread.start()
        threads.append(thread)
        while len(lock._waiting) < index + 1:  # queued before the next one starts
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join()
    return got


def test_waiters_get_the_lock_in_the_order_they_asked_for_it() -> None:
    lock = WriterQueue()
    assert lock.acquire()
    assert _queue_behind(lock, 12) == list(range(12))


def test_a_waiter_that_times_out_leaves_the_queue_and_the_lock_still_works() -> None:
    lock = WriterQueue()
    assert lock.acquire()
    assert lock.acquire(timeout=0.01) is False
    assert not lock._waiting
    lock.release()
    assert lock.acquire(timeout=0.01)
    lock.release()


def test_a_released_lock_with_no_waiters_is_free() -> None:
    lock = WriterQueue()
    assert lock.acquire()
    lock.release()
    assert lock.acquire(timeout=0)
