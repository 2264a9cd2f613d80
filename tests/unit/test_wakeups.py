"""Wake-ups: sent for steps due within the horizon, never lost inside a process."""

from __future__ import annotations

import threading
from datetime import timedelta

from skyorder.core.clock import FixedClock
from skyorder.services.wakeups import LocalSignal, Wakeups
from tests.conftest import T0


class Counting:
    def __init__(self) -> None:
        self.sent = 0

    def send(self) -> None:
        self.sent += 1


class Broken:
    def send(self) -> None:
        raise ConnectionError("queue unreachable")


def test_a_step_due_now_wakes_every_signal() -> None:
    first, second = Counting(), Counting()
    Wakeups(FixedClock(T0), timedelta(seconds=1), [first, second]).scheduled([T0])
    assert (first.sent, second.sent) == (1, 1)


def test_a_step_due_after_the_horizon_wakes_nobody() -> None:
    signal = Counting()
    wakeups = Wakeups(FixedClock(T0), timedelta(seconds=1), [signal])
    wakeups.scheduled([T0 + timedelta(minutes=5)])
    assert signal.sent == 0


def test_the_soonest_of_several_steps_decides() -> None:
    signal = Counting()
    wakeups = Wakeups(FixedClock(T0), timedelta(seconds=1), [signal])
    wakeups.scheduled([T0 + timedelta(days=1), T0 + timedelta(milliseconds=500)])
    assert signal.sent == 1


def test_a_failing_signal_does_not_stop_the_others() -> None:
    signal = Counting()
    Wakeups(FixedClock(T0), timedelta(seconds=1), [Broken(), signal]).scheduled([T0])
    assert signal.sent == 1


def test_a_wake_up_sent_before_waiting_is_not_lost() -> None:
    signal = LocalSignal()
    seen = signal.generation()
    signal.send()  # while the waiter was still looking at the agenda
    assert signal.wait(seen, timeout=0) is True


def test_waiting_without_a_wake_up_times_out() -> None:
    signal = LocalSignal()
    assert signal.wait(signal.generation(), timeout=0.01) is False


def test_a_wake_up_releases_a_waiting_thread() -> None:
    signal = LocalSignal()
    seen = signal.generation()
    woken: list[bool] = []
    waiter = threading.Thread(target=lambda: woken.append(signal.wait(seen, timeout=30)))
    waiter.start()
    signal.send()
    waiter.join(timeout=30)
    assert woken == [True]
