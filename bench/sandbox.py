"""Time travel in the sandbox, over HTTP against a real server: this code, and the code before.

1. Starts ``skyorder serve --demo --sandbox`` on a fresh data directory (port 8700-8709
   first) and provisions ``--orgs`` + 1 more organisations on credit contracts (one
   process, through ``provision_organisation``, while the server runs).
2. ``archive``: the demo organisation orders ``--orders`` different archive scenes (spread
   over the demo archive, whole scenes, the product's first processing level), one at a
   time; each is placed (``POST /v1/orders``), its organisation's clock advanced a day
   at a time until the order is delivered (``POST /v1/sandbox/clock/advance``, then
   ``GET /v1/orders/{id}``), timed from the placement to the answer saying delivered.
3. ``revisit``: an organisation of its own places the issue's daily-revisit tasking order
   (the README's Mar del Plata airport point, rush, ``P1D``, 7 days from a day on,
   ``L1B`` and ``L1D_SR``) and advances its clock 8 days in one call; timed from the
   placement to the end of the advance. The captures, their outcomes and the delivered
   deliverables are counted (the issue's run: 7 attempts, 12 deliverables).
4. ``concurrent``: ``--orgs`` organisations each place a rush tasking order over a point
   of their own (spread over the globe, a 20-hour window from now, any cloud cover, ``L1B``),
   then all advance
   their own clock by a day at once, one client thread each; timed from the first
   advance sent to the last answered. Captures collected and deliverables delivered are
   counted.
5. With ``--baseline-ref`` (default: the merge base with ``main``), the same on the code
   of that commit, unpacked from git and put first on ``PYTHONPATH``, with
   ``--baseline-orders`` and ``--baseline-orgs`` (it is much slower); 0 skips it.

Prints one JSON line: per code, ``archive`` (p50/p90/max seconds, days advanced),
``revisit`` (seconds, attempts, collected, deliverables, order status) and
``concurrent`` (seconds, organisations, advances' p50/max, collected, delivered); the
targets (1 s, 10 s, 30 s) and whether ``now`` meets them; the host's load average
before and after.

``provision`` is a sub-command the bench runs in the server's code (not for people).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from serving import ROOT, free_port, merge_base, percentile, start, stop, unpack

PORTS = range(8700, 8710)
DAY = 86_400
TARGETS = {"archive_p50_s": 1.0, "revisit_s": 10.0, "concurrent_s": 30.0}
MAR_DEL_PLATA = {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}
TIMEOUT = 1800.0


def _loadavg() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def _licences(c: httpx.Client) -> list[dict[str, Any]]:
    """Every licence some product requires, accepted."""
    products = c.get("/v1/products", params={"limit": 100}).json()
    rows = products["results"] if isinstance(products, dict) else products
    seen: dict[str, dict[str, Any]] = {}
    for product in rows:
        for licence in product.get("licences") or []:
            seen[licence["name"]] = {**licence, "accepted": True}
    return list(seen.values())


def _spread_scenes(c: httpx.Client, count: int) -> list[dict[str, Any]]:
    """``count`` different archive items spread over the whole demo archive."""
    found: list[dict[str, Any]] = []
    body: dict[str, Any] = {"limit": 100}
    while len(found) < count * 10:
        page = c.post("/stac/search", json=body)
        page.raise_for_status()
        data = page.json()
        found.extend(data["features"])
        nxt = [link for link in data.get("links", []) if link.get("rel") == "next"]
        if not nxt or not nxt[0].get("body") or not data["features"]:
            break
        body = {**body, **nxt[0]["body"]}
    step = max(1, len(found) // count)
    return found[::step][:count]


def _advance(c: httpx.Client, seconds: float) -> dict[str, Any]:
    moved = c.post("/v1/sandbox/clock/advance", json={"seconds": seconds}, timeout=TIMEOUT)
    if moved.status_code != 200:
        raise RuntimeError(f"advance: {moved.status_code} {moved.text[:300]}")
    return dict(moved.json())


def _place(c: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    placed = c.post("/v1/orders", json=body)
    if placed.status_code != 201:
        raise RuntimeError(f"order: {placed.status_code} {placed.text[:300]}")
    return dict(placed.json())


def archive(c: httpx.Client, count: int) -> dict[str, Any]:
    """Archive orders placed and advanced to delivered, one at a time."""
    licences = _licences(c)
    took: list[float] = []
    days: list[int] = []
    for scene in _spread_scenes(c, count):
        began = time.perf_counter()
        order = _place(c, {
            "name": "bench archive", "licences": licences,
            "items": [{
                "kind": "archive", "collection": scene["collection"], "item_id": scene["id"],
                "processing_level": scene["properties"]["skyorder:processing_levels"][0],
            }],
        })  # fmt: skip
        day, status = 0, "accepted"
        while day < 3 and status not in {"completed", "partially_completed", "failed"}:
            _advance(c, DAY)
            day += 1
            status = c.get(f"/v1/orders/{order['id']}").json()["status"]
        took.append(time.perf_counter() - began)
        days.append(day)
        if status != "completed":
            raise RuntimeError(f"archive order {order['id']} ended {status}")
    ordered = sorted(took)
    return {
        "orders": len(took),
        "p50_s": round(statistics.median(ordered), 3),
        "p90_s": round(percentile(ordered, 0.9), 3),
        "max_s": round(ordered[-1], 3),
        "days_advanced": {str(d): days.count(d) for d in sorted(set(days))},
    }


def _tasking_body(
    aoi: dict[str, Any],
    start: datetime,
    span: timedelta,
    levels: list[str],
    revisit: bool,
    max_cloud: int = 20,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "kind": "tasking", "product": "TSKRSH-M.NN.NN", "aoi": aoi,
        "window": {"start": start.isoformat(), "end": (start + span).isoformat()},
        "max_off_nadir": 30, "max_cloud_cover": max_cloud, "priority": "rush",
        "processing_levels": levels,
    }  # fmt: skip
    if revisit:
        item["revisit_period"] = "P1D"
    return {"name": "bench tasking", "items": [item]}


def _now(c: httpx.Client) -> datetime:
    return datetime.fromisoformat(c.get("/v1/sandbox/clock").json()["now"])


def _outcome(c: httpx.Client, order_id: str) -> dict[str, Any]:
    captures = c.get(f"/v1/orders/{order_id}/captures", params={"limit": 100}).json()["results"]
    made = c.get(f"/v1/orders/{order_id}/deliverables", params={"limit": 100}).json()["results"]
    return {
        "attempts": len(captures),
        "collected": sum(x["status"] == "collected" for x in captures),
        "deliverables": len(made),
        "delivered": sum(d["status"] == "delivered" for d in made),
        "order_status": c.get(f"/v1/orders/{order_id}").json()["status"],
    }


def revisit(c: httpx.Client) -> dict[str, Any]:
    """The issue's 8-day daily-revisit order, advanced to its end in one call."""
    start_at = _now(c) + timedelta(days=1)
    began = time.perf_counter()
    body = _tasking_body(MAR_DEL_PLATA, start_at, timedelta(days=7), ["L1B", "L1D_SR"], True)
    order = _place(c, body)
    moved = _advance(c, 8 * DAY)
    took = time.perf_counter() - began
    return {"seconds": round(took, 2), "steps_run": moved["steps_run"], **_outcome(c, order["id"])}


def _points(count: int) -> list[dict[str, Any]]:
    """Points spread over the inhabited latitudes, none twice."""
    golden = (math.sqrt(5) - 1) / 2
    lons = [round(-180 + 360 * ((n * golden) % 1), 4) for n in range(count)]
    lats = [round(-45 + 105 * (n + 0.5) / count, 4) for n in range(count)]
    return [{"type": "Point", "coordinates": [x, y]} for x, y in zip(lons, lats, strict=True)]


def concurrent(clients: list[httpx.Client]) -> dict[str, Any]:
    """Organisations placing a tasking order each, then all advancing a day at once."""
    orders = []
    for c, point in zip(clients, _points(len(clients)), strict=True):
        start_at = _now(c) + timedelta(minutes=10)
        span = timedelta(hours=20)  # the window ends within the day advanced
        body = _tasking_body(point, start_at, span, ["L1B"], False, max_cloud=100)
        orders.append(_place(c, body))

    def one(c: httpx.Client) -> float:
        began = time.perf_counter()
        _advance(c, DAY)
        return time.perf_counter() - began

    began = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        each = sorted(pool.map(one, clients))
    took = time.perf_counter() - began
    outcomes = [_outcome(c, o["id"]) for c, o in zip(clients, orders, strict=True)]
    return {
        "seconds": round(took, 2),
        "organisations": len(clients),
        "advance_p50_s": round(statistics.median(each), 2),
        "advance_max_s": round(each[-1], 2),
        "attempts": sum(o["attempts"] for o in outcomes),
        "collected": sum(o["collected"] for o in outcomes),
        "delivered": sum(o["delivered"] for o in outcomes),
        "orders_ended": sum(o["order_status"] != "in_progress" for o in outcomes),
    }


def provision(data_dir: Path, count: int) -> None:
    """Sub-command: ``count`` organisations on credit contracts; their credentials as JSON."""
    from skyorder.runtime import build_runtime
    from skyorder.services.demo import provision_organisation
    from skyorder.services.tenants import ContractTerms
    from skyorder.settings import Settings

    runtime = build_runtime(Settings(data_dir=data_dir))
    try:
        made = [
            provision_organisation(
                runtime.uow, runtime.clock, f"Bench {n}", "http://127.0.0.1",
                ContractTerms(name=f"Bench {n} credits"), credits=10_000_000,
            )  # fmt: skip
            for n in range(count)
        ]
    finally:
        runtime.close()
    print(json.dumps(made))


def measure(
    pythonpath: Path | None, work: Path, label: str, orders: int, orgs: int
) -> dict[str, Any]:
    """The three measurements on one server running the code at ``pythonpath``."""
    port = free_port(PORTS)
    data_dir = work / label / "data"
    proc = start(data_dir, port, pythonpath, "--sandbox")
    env = {**os.environ, **({"PYTHONPATH": str(pythonpath)} if pythonpath else {})}
    try:
        made = subprocess.run(
            [sys.executable, __file__, "provision", str(data_dir), str(orgs + 1)],
            check=True, capture_output=True, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        accounts = json.loads(made.stdout.strip().splitlines()[-1])
        demo = json.loads((data_dir / "demo-credentials.json").read_text())
        base = f"http://127.0.0.1:{port}"
        clients = [
            httpx.Client(base_url=base, headers={"X-API-Key": a["api_key"]}, timeout=120)
            for a in [demo, *accounts]
        ]
        result: dict[str, Any] = {"loadavg_before": _loadavg()}
        try:
            result["archive"] = archive(clients[0], orders)
            result["revisit"] = revisit(clients[1])
            result["concurrent"] = concurrent(clients[2:])
        finally:
            for c in clients:
                c.close()
        result["loadavg_after"] = _loadavg()
        return result
    finally:
        stop(proc)


def main() -> None:
    """Run the bench; one JSON line on stdout."""
    if sys.argv[1:2] == ["provision"]:
        provision(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--baseline-ref", default=None, help="default: merge base with main")
    parser.add_argument("--baseline-orders", type=int, default=5, help="0: no baseline")
    parser.add_argument("--baseline-orgs", type=int, default=10)
    parser.add_argument("--baseline-first", action="store_true", help="measure it first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as tmp:
        work = Path(tmp)
        result: dict[str, Any] = {"bench": "sandbox", "targets": TARGETS}
        runs: list[tuple[str, Path | None, int, int]] = [("now", None, args.orders, args.orgs)]
        if args.baseline_orders > 0:
            ref = args.baseline_ref or merge_base()
            result["before_ref"] = ref[:12]
            src = unpack(ref, work / "before-src")
            before = ("before", src, args.baseline_orders, args.baseline_orgs)
            runs = [before, *runs] if args.baseline_first else [*runs, before]
        for label, src_dir, orders, orgs in runs:
            result[label] = measure(src_dir, work, label, orders, orgs)
        now = result["now"]
        result["target_met"] = {
            "archive": now["archive"]["p50_s"] <= TARGETS["archive_p50_s"],
            "revisit": now["revisit"]["seconds"] <= TARGETS["revisit_s"],
            "concurrent": now["concurrent"]["seconds"] <= TARGETS["concurrent_s"],
        }
        result["cpus"] = os.cpu_count()
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
