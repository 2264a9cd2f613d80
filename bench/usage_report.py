"""Benchmark: stream the usage report of 100,000 delivered deliverables (PostgreSQL).

Creates a fresh database, provisions one organisation through the service layer,
bulk-loads ``--deliverables`` orders (one tasking item each, as ``orders_list.py``
does) and one delivered deliverable per item with its charge in the ledger, starts
the real server (``skyorder serve --real-clock``) and downloads
``GET /v1/reports/usage?format=csv`` for the whole period, reading the stream as it
comes. Then ``group_by=month`` totals as JSON.

Prints one JSON line: rows, bytes, seconds to the first byte and to the last, rows/s,
the server's resident memory before the report and its peak during it (Linux
``/proc/<pid>/status`` VmRSS / VmHWM) and their ratio. Progress goes to stderr.

    .venv/bin/python bench/usage_report.py [--deliverables 100000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from orders_list import (  # noqa: E402
    DEFAULT_ADMIN_URL,
    _wait_healthy,
    database_url,
    free_port,
    item_choices,
    load_orders,
    log,
    provision,
    recreate_database,
)

DATABASE = "skyorder_bench_usage"

DELIVERABLES = """
INSERT INTO deliverables (
    id, organisation_id, contract_id, order_pk, item_id, capture_id, processing_level,
    status, footprint, min_x, min_y, max_x, max_y, assets, metadata, billing_details, tags,
    created_at, updated_at, delivered_at, latest_event
)
SELECT
    md5('d' || i.id), o.organisation_id, o.contract_id, o.pk, i.id, md5('c' || i.id), 'L1D',
    'delivered', i.aoi, i.min_x, i.min_y, i.max_x, i.max_y, '{}'::jsonb,
    jsonb_build_object('scene_id', 'SCENE_' || o.number, 'gsd', 1.0),
    jsonb_build_object('billable_sqkm', coalesce(i.area_km2, 25.0), 'billable_sku', i.product),
    '[]'::jsonb, o.created_at, o.created_at + interval '2 days',
    o.created_at + interval '2 days', NULL
FROM orders o JOIN order_items i ON i.order_pk = o.pk
WHERE o.organisation_id = %(org)s
"""

CHARGES = """
INSERT INTO ledger_entries (
    id, transaction_id, organisation_id, contract_id, account, amount, kind, order_id,
    item_id, deliverable_id, memo, created_at
)
SELECT md5(d.id || side.account), md5('t' || d.id), d.organisation_id, d.contract_id,
    side.account, side.sign * coalesce((i.price ->> 'total')::bigint, 100), 'charge',
    o.id, i.id, d.id, 'order ' || o.number, d.delivered_at
FROM deliverables d
JOIN orders o ON o.pk = d.order_pk
JOIN order_items i ON i.id = d.item_id
CROSS JOIN (VALUES ('held', -1), ('spent', 1)) AS side(account, sign)
"""


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in KiB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> None:
    """Reset the kernel's peak-RSS counter of ``pid`` (Linux 4.0+: write 5 to clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError as exc:
        log(f"cannot reset the peak memory counter ({exc}); peak includes start-up")


@contextmanager
def server(url: str, data_dir: Path) -> Iterator[tuple[str, int]]:
    """Run ``skyorder serve``; yield its base URL and pid once healthy."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "skyorder.cli", "serve", "--data-dir", str(data_dir),
        "--database-url", url, "--host", "127.0.0.1", "--port", str(port), "--no-demo",
        "--real-clock",
    ]  # fmt: skip
    log_path = data_dir / "server.log"
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(proc, base, log_path)
            log(f"server up on {base} (pid {proc.pid})")
            yield base, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def load(url: str, data_dir: Path, count: int) -> dict[str, Any]:
    """Provision the organisation and load ``count`` delivered deliverables."""
    tenants = provision(url, data_dir, count, 0)
    now = datetime.now(UTC).replace(microsecond=0)
    load_orders(url, tenants, item_choices(url, data_dir, tenants[0]), now, seed=7)
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.monotonic()
        conn.execute(DELIVERABLES, {"org": tenants[0].org_id})
        conn.execute(CHARGES)
        conn.execute("VACUUM (ANALYZE) deliverables")
        conn.execute("VACUUM (ANALYZE) ledger_entries")
        log(f"deliverables and charges loaded in {time.monotonic() - started:.1f} s")
    return tenants[0].creds


def stream_report(base: str, api_key: str, params: dict[str, str]) -> dict[str, Any]:
    """Download the report, reading chunks as they arrive."""
    started = time.monotonic()
    first: float | None = None
    size = lines = 0
    with (
        httpx.Client(base_url=base, headers={"X-API-Key": api_key}, timeout=600) as client,
        client.stream("GET", "/v1/reports/usage", params=params) as response,
    ):
        if response.status_code != 200:
            raise SystemExit(f"report answered {response.status_code}: {response.read()!r}")
        for chunk in response.iter_bytes():
            if first is None:
                first = time.monotonic() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
    return {
        "seconds": round(time.monotonic() - started, 3),
        "first_byte_seconds": round(first or 0.0, 3),
        "bytes": size,
        "lines": lines,
    }


def run(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Load, serve, measure."""
    url = database_url(args.admin_url, args.database)
    log(f"creating database {args.database}")
    recreate_database(args.admin_url, args.database)
    try:
        creds = load(url, data_dir, args.deliverables)
        params = {"format": "csv", "delivered_at__gte": "2000-01-01T00:00:00Z"}
        with server(url, data_dir) as (base, pid):
            # Warm up (imports, connection pool, statement cache) on a tiny period.
            stream_report(base, creds["api_key"], {**params, "delivered_at__lt": "2000-01-02"})
            idle = memory_kib(pid)
            reset_peak(pid)
            csv = stream_report(base, creds["api_key"], params)
            peak = memory_kib(pid)
            totals_started = time.monotonic()
            response = httpx.get(
                f"{base}/v1/reports/usage",
                params={"format": "json", "group_by": "month"},
                headers={"X-API-Key": creds["api_key"]},
                timeout=600,
            )
            totals_seconds = time.monotonic() - totals_started
            response.raise_for_status()
            months = response.json()["results"]
    finally:
        if not args.keep:
            recreate_database(args.admin_url, args.database, drop_only=True)
    rows = csv["lines"] - 1  # the header line
    return {
        "deliverables": args.deliverables,
        "rows": rows,
        "rows_match": rows == args.deliverables,
        "csv_bytes": csv["bytes"],
        "csv_seconds": csv["seconds"],
        "csv_first_byte_seconds": csv["first_byte_seconds"],
        "rows_per_second": round(rows / csv["seconds"]) if csv["seconds"] else None,
        "server_rss_before_mib": round(idle["VmRSS"] / 1024, 1),
        "server_peak_rss_mib": round(peak["VmHWM"] / 1024, 1),
        "peak_over_idle": round(peak["VmHWM"] / idle["VmRSS"], 3),
        "group_by_month_seconds": round(totals_seconds, 3),
        "months": len(months),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliverables", type=int, default=100_000)
    parser.add_argument(
        "--admin-url", default=os.environ.get("SKYORDER_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its JSON line."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="skyorder-bench-usage-") as tmp:
        result = run(args, Path(tmp))
    print(json.dumps(result), flush=True)
    return 0 if result["rows_match"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
