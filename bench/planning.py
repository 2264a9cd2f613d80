"""Benchmark: the simulated mission planner playing out tasking items, without a database.

Plays ``--items`` tasking items (a 35 x 30 km polygon near Toulouse, cut into strips,
and a point near Mar del Plata, alternately) over a ``--days`` window with a P1D revisit
period exactly as the agenda does: plan the next attempt of each strip, decide its
outcome with the weather model, plan again, until the window ends. Reports the cold
first plan (ephemeris computed), then the mean and largest time of the warm re-plans
that follow each outcome. Exactly one JSON line goes to stdout.

    .venv/bin/python bench/planning.py [--items 4] [--days 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from shapely.geometry import Point, Polygon

from skyorder.core.mission import Collected, PastAttempt, PlannedAttempt, TaskingRequest
from skyorder.core.orders import Priority
from skyorder.orbits.constellation import load_constellation
from skyorder.sim.backend import SimulatedBackend
from skyorder.sim.weather import WeatherModel

START = datetime(2026, 1, 6, tzinfo=UTC)
TOULOUSE = Polygon([(1.25, 43.50), (1.70, 43.48), (1.72, 43.75), (1.30, 43.78), (1.25, 43.50)])
MAR_DEL_PLATA = Point(-57.575, -37.936)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=4)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    backend = SimulatedBackend(load_constellation(), WeatherModel(1), seed=1)
    end = START + timedelta(days=args.days)
    requests = {
        f"item-{k}": TaskingRequest(
            item_id=f"item-{k}",
            aoi=TOULOUSE if k % 2 == 0 else MAR_DEL_PLATA,
            start=START,
            end=end,
            priority=Priority.RUSH if k % 3 == 0 else Priority.STANDARD,
            max_off_nadir=30.0,
            max_cloud=20.0,
            revisit=timedelta(days=1),
        )
        for k in range(args.items)
    }
    began = time.perf_counter()
    pending: list[PlannedAttempt] = backend.plan(list(requests.values()), START)
    cold = time.perf_counter() - began
    warm: list[float] = []
    attempts = collected = 0
    history: dict[str, list[PastAttempt]] = {name: [] for name in requests}
    while pending:
        pending.sort(key=lambda a: a.start)
        attempt = pending.pop(0)
        attempts += 1
        outcome = backend.outcome(attempt, attempt.start)
        collected += isinstance(outcome, Collected)
        name = attempt.item_id
        history[name].append(
            PastAttempt(attempt.strip, attempt.start, isinstance(outcome, Collected))
        )
        to_come = tuple(PastAttempt(a.strip, a.start, None) for a in pending if a.item_id == name)
        request = replace(requests[name], history=(*history[name], *to_come))
        began = time.perf_counter()
        pending.extend(backend.plan([request], attempt.start))
        warm.append(time.perf_counter() - began)
    print(
        json.dumps(
            {
                "bench": "planning",
                "items": args.items,
                "days": args.days,
                "attempts": attempts,
                "collected": collected,
                "cold_first_plan_s": round(cold, 4),
                "warm_replan_mean_s": round(statistics.fmean(warm), 4) if warm else None,
                "warm_replan_max_s": round(max(warm), 4) if warm else None,
                "load_avg_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
