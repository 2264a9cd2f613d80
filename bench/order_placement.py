"""Benchmark: sustained order placement on SQLite and on PostgreSQL (issue 13).

For each database, provisions two organisations on balance (credits) contracts, seeds a
small archive, starts the real server and places orders from 1 and then 16 concurrent
clients for ``--duration`` seconds each (after ``--warmup``), then checks the outcome
in the database:

* the *main* organisation orders archive scenes and tasking captures, alternately, each
  request with a new ``Idempotency-Key``; every ``RETRY_EVERY``-th request resends the
  previous request with its key and must answer the same order (``Idempotent-Replayed``).
  Its balance covers the most orders the phase may place (``--max-orders``), so every
  order passes the balance check and none may be refused;
* every ``TIGHT_EVERY``-th request goes to the *tight* organisation, whose balance covers
  exactly ``--tight-orders`` orders of one fixed price: exactly that many are accepted
  and the rest answered 402, however the requests interleave.

Anything else is an error: another status, a wrong replay, a transport error. After each
phase the bench checks that the organisation holds as many orders as it got new 201s,
that every ledger transaction sums to 0, that available + held + spent equals the
top-ups of each contract, and that held + spent equals the totals of the orders placed.

Exactly one JSON line goes to stdout (per database and concurrency: orders/s, p50/p99
latency of every placement request, errors, ledger_ok, the CPU time the server processes
and, on PostgreSQL, the database's backends spent per request, read from ``/proc``; the
host's load averages);
progress goes to stderr. The exit status is 1 if any check failed.

    .venv/bin/python bench/order_placement.py [--duration 20] [--databases sqlite,postgresql]
    .venv/bin/python bench/order_placement.py --quick     # a smoke run of a few seconds
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent))

from orders_list import (  # noqa: E402
    DEFAULT_ADMIN_URL,
    _wait_healthy,
    bench_settings,
    database_url,
    free_port,
    log,
    percentile,
    recreate_database,
)

from skyorder.runtime import build_runtime  # noqa: E402
from skyorder.services.catalog import generate_into  # noqa: E402
from skyorder.services.demo import provision_organisation  # noqa: E402
from skyorder.services.tenants import ContractTerms  # noqa: E402
from skyorder.store import catalog_tables  # noqa: E402
from skyorder.store import tables as t  # noqa: E402

DATABASES = ("sqlite", "postgresql")
CONCURRENCIES = (1, 16)
RETRY_EVERY = 10
TIGHT_EVERY = 8
SCENES = 40
DATABASE = "skyorder_bench_placement"  # --database-name overrides
TARGETS = {  # issue 13, at 16 clients: orders/s at least, p99 (ms) at most
    "sqlite": (100.0, 200.0),
    "postgresql": (300.0, 100.0),
}
TASKING_POINT = {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}


# --- what is ordered ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bodies:
    """The request bodies a phase sends (encoded once) and what the tight ones cost."""

    main: list[bytes]  # archive and tasking alternately
    tight: bytes
    tight_price: int
    max_price: int


def _tasking_item(now: datetime) -> dict[str, Any]:
    start = (now + timedelta(days=1)).replace(microsecond=0)
    return {
        "kind": "tasking",
        "product": "TSKRSH-M.NN.NN",
        "aoi": TASKING_POINT,
        "window": {
            "start": start.isoformat().replace("+00:00", "Z"),
            "end": (start + timedelta(days=14)).isoformat().replace("+00:00", "Z"),
        },
        "max_off_nadir": 30,
        "max_cloud_cover": 20,
        "priority": "rush",
        "processing_levels": ["L1B", "L1D_SR"],
    }


def _archive_item(collection: str, item_id: str) -> dict[str, Any]:
    return {
        "kind": "archive",
        "collection": collection,
        "item_id": item_id,
        "processing_level": "ORTHO",
        "options": {"product_type": "pansharpened", "radiometric_processing": "DISPLAY"},
    }


def _scenes(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(catalog_tables.catalog_items.c.collection_id, catalog_tables.catalog_items.c.id)
            .where(catalog_tables.catalog_items.c.collection_id == "phr")
            .order_by(catalog_tables.catalog_items.c.id)
            .limit(SCENES)
        ).all()
    return [(row[0], row[1]) for row in rows]


def _price(base: str, api_key: str, body: dict[str, Any]) -> int:
    """What ``body`` costs (a dry run); the body must be valid."""
    response = httpx.post(
        f"{base}/v1/orders",
        json={**body, "dry_run": True},
        headers={"X-API-Key": api_key},
        timeout=60,
    )
    if response.status_code != 200:
        raise RuntimeError(f"dry run refused: {response.status_code} {response.text[:300]}")
    return int(response.json()["total_amount"])


def build_bodies(base: str, api_key: str, scenes: list[tuple[str, str]]) -> Bodies:
    """Archive orders of each scene and tasking orders, alternately; priced by dry runs."""
    tasking = {"name": "Bench tasking", "items": [_tasking_item(datetime.now(UTC))]}
    main: list[dict[str, Any]] = []
    for collection, item_id in scenes:
        main.append({"name": f"Bench archive {item_id[-12:]}", "items": [
            _archive_item(collection, item_id)]})  # fmt: skip
        main.append(tasking)
    prices = [_price(base, api_key, body) for body in main]
    tight_price = _price(base, api_key, tasking)
    return Bodies(
        [orjson.dumps(b) for b in main], orjson.dumps(tasking), tight_price, max(prices)
    )


# --- load generation ------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one phase's clients saw."""

    latencies: list[float] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)  # main order id -> total_amount
    created_in_window: int = 0
    tight_sent: int = 0
    tight_created: int = 0
    tight_refused: int = 0
    replays: int = 0
    sent: int = 0  # every request, the warm-up's too
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Phase:
    """Where and how long one phase sends its requests."""

    port: int
    main_key: str
    tight_key: str
    bodies: Bodies
    clients: int
    warmup: float
    duration: float
    max_requests: int


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, dict[str, str], bytes]:
    """Send one HTTP/1.1 request on a keep-alive connection; read status, headers, body."""
    writer.write(request)
    status = int((await reader.readline()).split(b" ", 2)[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


def _request(port: int, api_key: str, key: str, body: bytes) -> bytes:
    head = (
        f"POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-API-Key: {api_key}\r\n"
        f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _judge(
    out: Outcome, tight: bool, replay_of: str | None, status: int, headers: dict[str, str],
    body: bytes, measured: bool,
) -> str | None:  # fmt: skip
    """Record one answer; return the order id it created or replayed, if any."""
    if tight:
        if status == 201:
            out.tight_created += 1
            return None
        if status == 402:
            out.tight_refused += 1
            return None
    elif status == 201:
        order = orjson.loads(body)
        if replay_of is not None:
            if order["id"] != replay_of or headers.get("idempotent-replayed") != "true":
                out.errors.append(f"replay answered order {order['id']}, not {replay_of}")
            out.replays += 1
            return None
        out.created[order["id"]] = int(order["total_amount"] or 0)
        out.created_in_window += measured
        return str(order["id"])
    out.errors.append(f"HTTP {status} ({'tight' if tight else 'main'}): {body[:200]!r}")
    return None


async def _client(phase: Phase, index: int, times: tuple[float, float, float], out: Outcome,
                  budget: list[int]) -> None:  # fmt: skip
    start_at, record_from, stop_at = times
    await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
    reader, writer = await asyncio.open_connection("127.0.0.1", phase.port)
    bodies = phase.bodies
    sent = 0
    last: tuple[str, bytes, str] | None = None  # key, body, order id of the last main order
    try:
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            sent += 1
            out.sent += 1
            replay_of: str | None = None
            tight = sent % TIGHT_EVERY == 0
            if tight:
                key, body, api_key = uuid.uuid4().hex, bodies.tight, phase.tight_key
                out.tight_sent += 1
            elif sent % RETRY_EVERY == 0 and last is not None:
                key, body, replay_of = last
                api_key = phase.main_key
            else:
                key = uuid.uuid4().hex
                body = bodies.main[(index * 7 + sent) % len(bodies.main)]
                api_key = phase.main_key
            began = time.perf_counter()
            try:
                status, headers, answer = await _exchange(
                    reader, writer, _request(phase.port, api_key, key, body)
                )
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                out.errors.append(f"{type(exc).__name__}: {exc}")
                break
            measured = began >= record_from
            if measured:
                out.latencies.append(time.perf_counter() - began)
            order_id = _judge(out, tight, replay_of, status, headers, answer, measured)
            if order_id is not None:
                last = (key, body, order_id)
    finally:
        writer.close()


async def _drive(phase: Phase) -> tuple[Outcome, float]:
    out = Outcome()
    begin = time.perf_counter()
    record_from = begin + phase.warmup
    stop_at = record_from + phase.duration
    budget = [phase.max_requests]
    # Connections open one after another during the warm-up, as arriving clients do (see
    # stac_search.py: opened at once, one server worker tends to accept them all).
    stagger = phase.warmup / (2 * phase.clients)
    await asyncio.gather(
        *(
            _client(phase, k, (begin + k * stagger, record_from, stop_at), out, budget)
            for k in range(phase.clients)
        )
    )
    return out, time.perf_counter() - record_from


# --- CPU time -------------------------------------------------------------------------------


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its live descendants (uvicorn's worker processes)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    """User plus system CPU time each process has used so far (``/proc/PID/stat``)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile, or not on Linux
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def cpu_since(before: dict[int, float], pids: Sequence[int]) -> float:
    """CPU seconds ``pids`` used since ``before`` (a process absent then counts in full)."""
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_seconds(pids).items())


def host_ticks() -> tuple[int, int]:
    """The host's busy and total CPU ticks so far, all CPUs (``/proc/stat``)."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def host_busy(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The fraction of the host's CPU time that was busy between two :func:`host_ticks`."""
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 3) if total > 0 else 0.0


def backend_pids(engine: Engine) -> list[int]:
    """The PostgreSQL backends serving the benchmark's database (other than this one's)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid()")
        ).all()  # fmt: skip
    return [int(row[0]) for row in rows]


# --- checks ---------------------------------------------------------------------------------


def ledger_ok(engine: Engine, contract_id: str, placed_total: int | None) -> list[str]:
    """Why the contract's ledger is not balanced (empty when it is)."""
    le = t.ledger_entries
    problems = []
    with engine.connect() as conn:
        unbalanced = conn.execute(
            select(func.count()).select_from(
                select(le.c.transaction_id)
                .where(le.c.contract_id == contract_id)
                .group_by(le.c.transaction_id)
                .having(func.sum(le.c.amount) != 0)
                .subquery()
            )
        ).scalar_one()
        sums = dict(
            conn.execute(
                select(le.c.account, func.sum(le.c.amount))
                .where(le.c.contract_id == contract_id)
                .group_by(le.c.account)
            ).all()
        )
        topups = conn.execute(
            select(func.coalesce(func.sum(le.c.amount), 0)).where(
                le.c.contract_id == contract_id, le.c.kind == "topup", le.c.amount > 0
            )
        ).scalar_one()
    available, held, spent = (int(sums.get(a) or 0) for a in ("available", "held", "spent"))
    if unbalanced:
        problems.append(f"{unbalanced} ledger transactions do not sum to 0")
    if available + held + spent != topups or available < 0:
        problems.append(f"available {available} + held {held} + spent {spent} != {topups}")
    if placed_total is not None and held + spent != placed_total:
        problems.append(f"held + spent = {held + spent}, the orders placed cost {placed_total}")
    return problems


def order_count(engine: Engine, organisation_id: str) -> int:
    """How many orders the organisation holds."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(t.orders.c.organisation_id == organisation_id)
            ).scalar_one()
        )


# --- one database ---------------------------------------------------------------------------


@contextmanager
def server(url: str, data_dir: Path, workers: int, agenda: bool, port: int
           ) -> Iterator[tuple[str, int, int]]:  # fmt: skip
    """``skyorder serve`` (one process) or, with ``workers`` > 1, that many uvicorn workers.

    ``skyorder serve`` has no ``--workers``; several processes run the app factory
    ``stac_search.skyorder_app`` under uvicorn (scale mode: no agenda in API processes).
    Yields the base URL, the port (``port``, or a free one when 0) and the server's pid.
    """
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SKYORDER_SANDBOX": "false", "SKYORDER_DATABASE_URL": url,
           "SKYORDER_DATA_DIR": str(data_dir)}  # fmt: skip
    if workers > 1:
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "stac_search:skyorder_app",
               "--app-dir", str(Path(__file__).resolve().parent), "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log"]  # fmt: skip
    else:
        cmd = [sys.executable, "-m", "skyorder.cli", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--no-demo", "--real-clock",
               "--agenda" if agenda else "--no-agenda"]  # fmt: skip
    log_path = data_dir / f"server-{port}.log"
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_healthy(proc, base, log_path)
            log(f"server up on {base} (pid {proc.pid}, {workers} process(es), log {log_path})")
            yield base, port, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@dataclass(frozen=True)
class Tenants:
    """The two organisations of one phase."""

    main: dict[str, Any]
    tight: dict[str, Any]


def provision(url: str, data_dir: Path, label: str, main_credits: int, tight_credits: int
              ) -> Tenants:  # fmt: skip
    """Two fresh organisations on credit contracts with the given balances."""
    runtime = build_runtime(bench_settings(url, data_dir))
    try:
        made = [
            provision_organisation(runtime.uow, runtime.clock, f"{name} {label}",
                                   "http://127.0.0.1", ContractTerms(name=f"{name} {label}"),
                                   credits=credits)  # fmt: skip
            for name, credits in (("Bench", main_credits), ("Tight", tight_credits))
        ]
    finally:
        runtime.close()
    return Tenants(*made)


def run_phase(args: argparse.Namespace, url: str, data_dir: Path, engine: Engine,
              served: tuple[str, int, int], clients: int, bodies: Bodies
              ) -> dict[str, Any]:  # fmt: skip
    """Provision, place orders from ``clients`` clients, check; the phase's figures."""
    max_requests = args.max_orders
    tenants = provision(url, data_dir, f"c{clients}", max_requests * bodies.max_price,
                        args.tight_orders * bodies.tight_price)  # fmt: skip
    phase = Phase(served[1], tenants.main["api_key"], tenants.tight["api_key"], bodies, clients,
                  args.warmup, args.duration, max_requests)  # fmt: skip
    log(f"c{clients}: placing orders for {args.warmup} + {args.duration} s "
        f"(load average {os.getloadavg()[0]:.2f})")  # fmt: skip
    server_before = cpu_seconds(_process_tree(served[2]))
    db_before = cpu_seconds(backend_pids(engine))
    client_before, host_before = os.times(), host_ticks()
    out, wall = asyncio.run(_drive(phase))
    client_after, host_after = os.times(), host_ticks()
    server_cpu = cpu_since(server_before, _process_tree(served[2]))
    db_pids = backend_pids(engine)  # a backend opened during the phase counts in full
    db_cpu = cpu_since(db_before, db_pids)
    problems: list[str] = []
    expected_tight = min(out.tight_sent, args.tight_orders)
    if out.tight_created != expected_tight or out.tight_refused != out.tight_sent - expected_tight:
        problems.append(f"tight organisation: {out.tight_created} accepted and "
                        f"{out.tight_refused} refused of {out.tight_sent}; expected "
                        f"{expected_tight} accepted")  # fmt: skip
    stored = order_count(engine, tenants.main["organisation_id"])
    if stored != len(out.created):
        problems.append(f"{stored} orders stored, {len(out.created)} created (201)")
    ledger = ledger_ok(engine, tenants.main["contract_id"], sum(out.created.values()))
    ledger += ledger_ok(engine, tenants.tight["contract_id"],
                        expected_tight * bodies.tight_price)  # fmt: skip
    for problem in sorted(set(out.errors + problems + ledger))[:8]:
        log(f"c{clients} problem: {problem}")
    lat = out.latencies
    result = {
        "orders_per_s": round(out.created_in_window / wall, 1) if wall > 0 else 0.0,
        "requests": len(lat),
        "p50_ms": round(percentile(lat, 50) * 1000, 1) if lat else None,
        "p99_ms": round(percentile(lat, 99) * 1000, 1) if lat else None,
        "orders": len(out.created),
        "replays": out.replays,
        "expected_402": out.tight_sent - expected_tight,
        "errors": len(out.errors),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / max(1, out.sent), 2),
        "db_cpu_ms_per_request": round(db_cpu * 1000 / max(1, out.sent), 2) if db_pids else None,
        "client_cpu_ms_per_request": round(
            (client_after.user + client_after.system - client_before.user - client_before.system)
            * 1000 / max(1, out.sent), 2),
        "host_cpu_busy": host_busy(host_before, host_after),
        "counts_ok": not problems,
        "ledger_ok": not ledger,
    }
    log(f"c{clients}: {result}")
    return result


def run_database(args: argparse.Namespace, kind: str, data_dir: Path) -> dict[str, Any]:
    """Seed, serve and measure one database at every concurrency."""
    if kind == "sqlite":
        url, workers = f"sqlite:///{data_dir / 'bench.db'}", 1
    else:
        url, workers = database_url(args.admin_url, args.database_name), args.pg_workers
        recreate_database(args.admin_url, args.database_name)
    runtime = build_runtime(bench_settings(url, data_dir))
    try:
        generate_into(runtime.uow, runtime.clock, 200)
        scenes = _scenes(runtime.engine)
        pricing = provision(url, data_dir, "pricing", 10**12, 0)
        results: dict[str, Any] = {"server_processes": workers}
        with server(url, data_dir, workers, args.agenda, args.port) as served:
            bodies = build_bodies(served[0], pricing.main["api_key"], scenes)
            for clients in CONCURRENCIES if not args.quick else (1, 4):
                phase = run_phase(args, url, data_dir, runtime.engine, served, clients, bodies)
                results.update({f"c{clients}_{k}": v for k, v in phase.items()})
        return results
    finally:
        runtime.close()
        if kind == "postgresql" and not args.keep:
            recreate_database(args.admin_url, args.database_name, drop_only=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per concurrency")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--databases", default=",".join(DATABASES), help="sqlite,postgresql")
    parser.add_argument("--pg-workers", type=int, default=2, help="server processes on PG")
    parser.add_argument("--max-orders", type=int, default=20_000,
                        help="most requests per phase (the main balance covers them)")
    parser.add_argument("--tight-orders", type=int, default=10,
                        help="orders the tight organisation's balance covers")
    parser.add_argument("--agenda", action="store_true",
                        help="run background work in the (single) server process meanwhile")
    parser.add_argument("--admin-url",
                        default=os.environ.get("SKYORDER_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL))
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--database-name", default=DATABASE,
                        help="the PostgreSQL database to create (and drop afterwards)")
    parser.add_argument("--port", type=int, default=0,
                        help="the server's port (a free one when 0)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1 and 4 clients, 2 s each, at most 200 requests")
    args = parser.parse_args(argv)  # fmt: skip
    if args.quick:
        args.duration, args.warmup, args.max_orders = 2.0, 0.5, 200
        args.tight_orders = 3
    kinds = args.databases.split(",")
    if not set(kinds) <= set(DATABASES) or args.duration <= 0 or args.max_orders < 1:
        parser.error("--databases takes sqlite and/or postgresql; --duration, --max-orders > 0")
    args.kinds = kinds
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print one JSON line; exit 1 if any check failed."""
    args = parse_args(argv)
    result: dict[str, Any] = {"duration_s": args.duration, "agenda": args.agenda}
    with tempfile.TemporaryDirectory(prefix="skyorder-bench-") as tmp:
        for kind in args.kinds:
            data_dir = Path(tmp) / kind
            figures = run_database(args, kind, data_dir)
            result.update({f"{kind}_{k}": v for k, v in figures.items()})
    failed = any(k.endswith("_errors") and v for k, v in result.items()) or not all(
        v for k, v in result.items() if k.endswith(("_ledger_ok", "_counts_ok"))
    )
    for kind in args.kinds:
        rate, p99 = TARGETS[kind]
        c16 = "c4" if args.quick else "c16"
        got_rate, got_p99 = result[f"{kind}_{c16}_orders_per_s"], result[f"{kind}_{c16}_p99_ms"]
        result[f"{kind}_target_met"] = bool(
            not failed and got_rate >= rate and got_p99 is not None and got_p99 <= p99
        )
    result["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    result["cpus"] = os.cpu_count()
    print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
