"""First download of archive scene assets on a cold server: this code, and the code before.

1. Starts ``skyorder serve --demo`` on a fresh data directory (a cold server: no scene,
   no asset made yet) on a free loopback port (8270-8279 first).
2. Picks ``--scenes`` different scenes of the demo archive (a STAC search spread over the
   whole archive) and asks each for one asset, the keys taken in turn from each item's own
   (``thumbnail``, ``visual``, ``metadata``, ``ms``/``analytic``, ``pan``), one request at a
   time, each the first request of that asset; every answer must be 200 and non-empty.
3. Does the same with the code before this change (``--baseline-ref``, default the merge
   base with ``main``, unpacked from git into a temporary folder and put first on
   ``PYTHONPATH``) over ``--baseline-scenes`` scenes (its first requests take seconds each),
   unless ``--baseline-scenes 0``.

Prints one JSON line: p50/p99/max (ms) of the first requests per code, the keys asked,
the target (p99 ≤ 1000 ms) and the host's 1-minute load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from serving import free_port, merge_base, percentile, start, stop, unpack

TARGET_MS = 1000.0
PORTS = range(8270, 8280)


def scenes(client: httpx.Client, count: int) -> list[dict[str, Any]]:
    """``count`` different items spread over the demo archive."""
    found: list[dict[str, Any]] = []
    body: dict[str, Any] = {"limit": 100}
    while len(found) < count * 4:
        page = client.post("/stac/search", json=body)
        page.raise_for_status()
        data = page.json()
        found.extend(data["features"])
        nxt = [link for link in data.get("links", []) if link.get("rel") == "next"]
        if not nxt or not data["features"]:
            break
        body = {**body, **nxt[0].get("body", {})}
        if not nxt[0].get("body"):
            break
    step = max(1, len(found) // count)
    return found[::step][:count]


def first_requests(pythonpath: Path | None, count: int, work: Path, label: str) -> dict[str, Any]:
    """Latencies of the first request of one asset of each of ``count`` scenes."""
    port = free_port(PORTS)
    data_dir = work / label / "data"
    proc = start(data_dir, port, pythonpath)
    try:
        creds = json.loads((data_dir / "demo-credentials.json").read_text())
        headers = {"X-API-Key": creds["api_key"]}
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
            items = scenes(client, count)
            times: list[float] = []
            keys: list[str] = []
            for n, item in enumerate(items):
                own = [k for k in ("thumbnail", "visual", "metadata") if k in item["assets"]]
                own += [k for k in ("ms", "analytic", "pan") if k in item["assets"]]
                key = own[n % len(own)]
                href = item["assets"][key]["href"]
                began = time.perf_counter()
                response = client.get(href)
                times.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200 or not response.content:
                    raise RuntimeError(f"{href}: {response.status_code} {response.text[:300]}")
                keys.append(key)
    finally:
        stop(proc)
    ordered = sorted(times)
    return {
        "scenes": len(times),
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1),
        "keys": {k: keys.count(k) for k in sorted(set(keys))},
    }


def main() -> None:
    """Run the bench; one JSON line on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=50)
    parser.add_argument("--baseline-scenes", type=int, default=8)
    parser.add_argument("--baseline-ref", default=None, help="default: merge base with main")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scene-assets-") as tmp:
        work = Path(tmp)
        result: dict[str, Any] = {"bench": "scene_assets", "target_p99_ms": TARGET_MS}
        result["now"] = first_requests(None, args.scenes, work, "now")
        result["target_met"] = result["now"]["p99_ms"] <= TARGET_MS
        if args.baseline_scenes > 0:
            ref = args.baseline_ref or merge_base()
            result["before_ref"] = ref[:12]
            src = unpack(ref, work / "before-src")
            result["before"] = first_requests(src, args.baseline_scenes, work, "before")
        result["loadavg_1m"] = round(os.getloadavg()[0], 2)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
