from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from skyorder.core.tenants import Principal
from skyorder.services.principals import PrincipalCache


def test_concurrent_misses_of_one_caller_load_it_once() -> None:
    cache = PrincipalCache(ttl_seconds=60)
    loads = 0
    lock = threading.Lock()

    def load() -> Principal:
        nonlocal loads
        with lock:
            loads += 1
        time.sleep(0.05)
        return Principal("org", "cli")

    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: cache.get(("key", "k"), load), range(8)))
    assert loads == 1
    assert {p.client_id for p in found} == {"cli"}


def test_a_failed_load_lets_the_next_caller_try_again() -> None:
    cache = PrincipalCache(ttl_seconds=60)

    def fail() -> Principal:
        raise RuntimeError("database gone")

    try:
        cache.get(("key", "k"), fail)
    except RuntimeError:
        pass
    assert cache.get(("key", "k"), lambda: Principal("org", "cli")).client_id == "cli"
