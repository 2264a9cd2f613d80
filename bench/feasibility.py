"""Benchmark: access windows for 50 satellites over 30 days on one polygon AOI.

Measures, in one run:

- cold: ``find_access_windows`` with an empty ephemeris cache (SGP4 over the whole grid,
  then the search);
- warm: the same call again with the ephemeris cached (median of several runs, wall
  clock; its CPU time too, since a busy machine inflates wall time);
- skyfield: a loop of skyfield's ``EarthSatellite.find_events`` over the same satellites
  and window for the AOI's centroid, with the elevation threshold that matches each
  satellite's off-nadir limit: the reference the issue asks to beat.

The satellites are the demo constellation plus generated sun-synchronous ones up to 50.
Exactly one JSON line goes to stdout (with the 1-minute load average, for context);
progress goes to stderr.

    .venv/bin/python bench/feasibility.py [--satellites 50] [--days 30] [--step 60]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta

from shapely.geometry import Polygon

from skyorder.orbits.access import AccessConstraints, find_access_windows
from skyorder.orbits.constellation import Satellite, load_constellation
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.orbits.tle import make_sso_tle

START = datetime(2026, 11, 20, tzinfo=UTC)
MAX_OFF_NADIR_DEG = 30.0
# About 35 x 30 km around Toulouse.
AOI = Polygon([(1.25, 43.50), (1.70, 43.48), (1.72, 43.75), (1.30, 43.78), (1.25, 43.50)])
TARGET_WARM_S = 0.1
TARGET_SPEEDUP = 30.0
WARM_RUNS = 7


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def satellites(count: int) -> list[Satellite]:
    """The demo constellation, topped up with generated micro satellites."""
    demo = load_constellation()
    sats = list(demo.satellites[:count])
    sensor = demo.sensor("micro")
    extra = count - len(sats)
    for k in range(extra):
        norad_id = 98_001 + k
        line1, line2 = make_sso_tle(
            norad_id=norad_id,
            epoch=START,
            altitude_km=470.0 + 130.0 * k / max(1, extra),
            ltan_hours=21.0 + 3.0 * k / max(1, extra),
            mean_anomaly_deg=(137.5 * k) % 360.0,
        )
        sats.append(Satellite(f"BENCH-{k + 1:02d}", norad_id, line1, line2, sensor))
    return sats


def skyfield_loop(sats: list[Satellite], days: float) -> tuple[float, int]:
    """Seconds taken by a find_events loop over every satellite, and the events found."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data: the bundled finals file has expired
        from skyfield.api import EarthSatellite, Loader, wgs84
        from skyfield_data import get_skyfield_data_path

        load = Loader(get_skyfield_data_path())
        ts = load.timescale(builtin=True)
        centroid = AOI.centroid
        topos = wgs84.latlon(centroid.y, centroid.x)
        t0, t1 = ts.from_datetime(START), ts.from_datetime(START + timedelta(days=days))
        events = 0
        began = time.perf_counter()
        for sat in sats:
            body = EarthSatellite(sat.tle_line1, sat.tle_line2, sat.name, ts)
            radius = 6378.137 + float(wgs84.subpoint_of(body.at(t0)).elevation.km)
            off_nadir = math.radians(min(MAX_OFF_NADIR_DEG, sat.sensor.max_off_nadir_deg))
            # Elevation at which the target is seen at the off-nadir limit (spherical Earth).
            elevation = math.degrees(math.acos(radius / 6378.137 * math.sin(off_nadir)))
            _, kinds = body.find_events(topos, t0, t1, altitude_degrees=elevation)
            events += int(len(kinds))
        return time.perf_counter() - began, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--satellites", type=int, default=50)
    parser.add_argument("--days", type=float, default=30.0)
    parser.add_argument("--step", type=float, default=60.0, help="ephemeris grid step, s")
    args = parser.parse_args()

    sats = satellites(args.satellites)
    end = START + timedelta(days=args.days)
    constraints = AccessConstraints(max_off_nadir_deg=MAX_OFF_NADIR_DEG)
    log(f"{len(sats)} satellites, {args.days:g} days, grid step {args.step:g} s")

    cache = EphemerisCache(step_s=args.step)
    began = time.perf_counter()
    windows = find_access_windows(sats, AOI, START, end, constraints, cache=cache)
    cold = time.perf_counter() - began
    log(f"cold: {cold:.3f} s, {len(windows)} windows")

    warm_runs, warm_cpu_runs = [], []
    for _ in range(WARM_RUNS):
        began, began_cpu = time.perf_counter(), time.process_time()
        again = find_access_windows(sats, AOI, START, end, constraints, cache=cache)
        warm_runs.append(time.perf_counter() - began)
        warm_cpu_runs.append(time.process_time() - began_cpu)
    warm, warm_cpu = statistics.median(warm_runs), statistics.median(warm_cpu_runs)
    assert len(again) == len(windows) and cache.misses == 1
    log(f"warm: {warm * 1000:.1f} ms (median of {WARM_RUNS}; CPU {warm_cpu * 1000:.1f} ms)")

    log("skyfield find_events loop...")
    skyfield_s, events = skyfield_loop(sats, args.days)
    log(f"skyfield: {skyfield_s:.3f} s, {events} events")

    result = {
        "bench": "feasibility",
        "satellites": len(sats),
        "days": args.days,
        "aoi": "polygon",
        "step_s": args.step,
        "windows": len(windows),
        "cold_s": round(cold, 4),
        "warm_s": round(warm, 4),
        "warm_cpu_s": round(warm_cpu, 4),
        "skyfield_s": round(skyfield_s, 4),
        "skyfield_events": events,
        "speedup_warm": round(skyfield_s / warm, 1),
        "speedup_cold": round(skyfield_s / cold, 2),
        "target_warm_s": TARGET_WARM_S,
        "target_speedup": TARGET_SPEEDUP,
        "meets_targets": warm < TARGET_WARM_S and skyfield_s / warm >= TARGET_SPEEDUP,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
