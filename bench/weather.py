"""Benchmark: the simulator's cloud climatology against published satellite climatologies.

Prints ONE JSON line (progress goes to stderr) with, each beside its reference and the
difference:

- ``global``: the area-weighted annual mean cloud fraction (2° grid, every 5 days of 2026
  at 12:00 UTC), with the land and sea means;
- ``zonal``: the 30° latitude bands, annual, December-February and June-August;
- ``places``: named places by season (the season's days, every other day), and the
  simulated capture success at 20 % and 50 % maximum cloud over ``--attempts`` seeded
  attempts there in that season (random days and hours, positions within ±0.25°, decided
  by ``SimulatedBackend.outcome`` with no anomalies, so only the clouds decide), drawn
  from ten years (2026-2035) of the seed's weather;
- ``issue_example``: the case of issue 21, a daily attempt at 20 % maximum cloud over
  Mar del Plata from 7 to 16 December 2026 with the seed, and how many were collected;
- ``holds``: which acceptance thresholds hold (global within 0.03, every zonal figure
  within 0.08, every place's seasonal mean within 0.10);
- ``us_per_call``: the cost of ``climatological_cloud`` and ``WeatherModel.cloud_at``.

The references and their sources are in ``docs/decisions.md`` ("Cloud climatology");
``basis`` says whether a figure is a published number or an estimate read from a
published statement (a map, a qualitative ranking, a surface-only amount).

    .venv/bin/python bench/weather.py [--seed 2026] [--attempts 1000]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from skyorder.core.mission import Collected, PlannedAttempt
from skyorder.orbits.constellation import load_constellation
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.sim.backend import SimulatedBackend
from skyorder.sim.climatology import climatological_cloud, land_fraction
from skyorder.sim.weather import WeatherModel

YEAR = 2026
YEARS = range(2026, 2036)  # capture attempts are drawn from ten years of weather
GLOBAL_REF = {"all": 0.67, "land": 0.55, "sea": 0.72}
GLOBAL_TOLERANCE, ZONAL_TOLERANCE, PLACE_TOLERANCE = 0.03, 0.08, 0.10
# (south, north): {season: reference}
ZONAL_REF: dict[tuple[int, int], dict[str, float]] = {
    (-90, -60): {"ANN": 0.70, "DJF": 0.70, "JJA": 0.70},
    (-60, -30): {"ANN": 0.80, "DJF": 0.80, "JJA": 0.80},
    (-30, 0): {"ANN": 0.63, "DJF": 0.66, "JJA": 0.60},
    (0, 30): {"ANN": 0.58, "DJF": 0.54, "JJA": 0.62},
    (30, 60): {"ANN": 0.67, "DJF": 0.70, "JJA": 0.64},
    (60, 90): {"ANN": 0.70, "DJF": 0.60, "JJA": 0.80},
}
SEASONS = {
    "ANN": tuple(range(1, 13)),
    "DJF": (12, 1, 2),
    "MAM": (3, 4, 5),
    "JJA": (6, 7, 8),
    "SON": (9, 10, 11),
    "DEC": (12,),
}
# name: (lat, lon, {season: (reference, basis)})
PLACES: dict[str, tuple[float, float, dict[str, tuple[float, str]]]] = {
    "Sahara (Algeria-Libya)": (24.0, 12.0, {"DJF": (0.18, "estimate"), "JJA": (0.10, "estimate")}),
    "South Atlantic deck": (-15.0, 4.0, {"SON": (0.80, "estimate"), "MAM": (0.66, "estimate")}),
    "South-east Pacific deck": (
        -20.0,
        -85.0,
        {"SON": (0.80, "estimate"), "MAM": (0.68, "estimate")},
    ),
    "Southern Ocean (57°S 90°E)": (
        -57.0,
        90.0,
        {"DJF": (0.85, "published"), "JJA": (0.85, "published")},
    ),
    "Western Europe (Paris)": (48.9, 2.3, {"DJF": (0.75, "estimate"), "JJA": (0.55, "estimate")}),
    "Mar del Plata": (-38.0, -57.55, {"DEC": (0.50, "estimate")}),
    "Central India (monsoon)": (22.0, 79.0, {"JJA": (0.82, "estimate"), "DJF": (0.18, "estimate")}),
    "ITCZ, central Pacific": (8.0, -150.0, {"JJA": (0.75, "estimate"), "DJF": (0.70, "estimate")}),
    "Antarctic plateau (Dome C)": (
        -75.1,
        123.3,
        {"DJF": (0.26, "published"), "JJA": (0.33, "published")},
    ),
    "Arctic Ocean (85°N)": (85.0, 0.0, {"DJF": (0.55, "estimate"), "JJA": (0.85, "estimate")}),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def season_days(season: str, step: int, year: int = YEAR) -> list[datetime]:
    """Noon UTC of every ``step``-th day of ``year`` in the season's months."""
    months = SEASONS[season]
    day = date(year, 1, 1)
    out = []
    while day.year == year:
        if day.month in months:
            out.append(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
        day += timedelta(days=step)
    return out


def grid_means(step_deg: float = 2.0) -> dict[str, dict[str, float]]:
    """Area-weighted means over the globe, land, sea and the bands, by season."""
    lats = [-90.0 + step_deg * (i + 0.5) for i in range(int(180 / step_deg))]
    lons = [-180.0 + step_deg * (j + 0.5) for j in range(int(360 / step_deg))]
    shares = {(la, lo): land_fraction(la, lo) for la in lats for lo in lons}
    days = season_days("ANN", 5)
    sums: dict[str, dict[str, list[float]]] = {}

    def add(key: str, season: str, value: float, weight: float) -> None:
        acc = sums.setdefault(key, {}).setdefault(season, [0.0, 0.0])
        acc[0] += value * weight
        acc[1] += weight

    for at in days:
        seasons = ["ANN"] + [s for s in ("DJF", "JJA") if at.month in SEASONS[s]]
        for la in lats:
            area = math.cos(math.radians(la))
            band = next(b for b in ZONAL_REF if b[0] <= la < b[1])
            for lo in lons:
                value = climatological_cloud(la, lo, at)
                share = shares[(la, lo)]
                for season in seasons:
                    add("all", season, value, area)
                    add("land", season, value, area * share)
                    add("sea", season, value, area * (1.0 - share))
                    add(f"{band[0]}..{band[1]}", season, value, area)
    return {k: {s: v[0] / v[1] for s, v in by.items()} for k, by in sums.items()}


def attempt_at(lat: float, lon: float, start: datetime, max_cloud: float) -> PlannedAttempt:
    d = 0.01
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
    return PlannedAttempt(
        item_id="bench",
        strip=0,
        strips=1,
        satellite="BENCH-1",
        start=start,
        end=start + timedelta(seconds=8),
        footprint={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        ground_track={"type": "LineString", "coordinates": [[lon, lat - 1, 5e5], [lon, lat, 5e5]]},
        min_off_nadir=10.0,
        max_off_nadir=11.0,
        min_sun_elevation=40.0,
        max_sun_elevation=41.0,
        max_cloud=max_cloud,
    )


def success_rates(
    backend: SimulatedBackend, name: str, lat: float, lon: float, season: str, attempts: int
) -> dict[str, float]:
    """Share of seeded attempts collected at 20 % and 50 % maximum cloud."""
    rng = random.Random(f"{backend.seed}|{name}|{season}")
    days = [d for year in YEARS for d in season_days(season, 1, year)]
    collected = {20: 0, 50: 0}
    for _ in range(attempts):
        start = rng.choice(days) + timedelta(hours=rng.uniform(-12, 12))
        la, lo = lat + rng.uniform(-0.25, 0.25), lon + rng.uniform(-0.25, 0.25)
        for limit in collected:
            outcome = backend.outcome(attempt_at(la, lo, start, float(limit)), start)
            collected[limit] += isinstance(outcome, Collected)
    return {f"success_at_{k}pct": round(v / attempts, 3) for k, v in collected.items()}


def issue_example(backend: SimulatedBackend) -> dict[str, object]:
    """Ten daily attempts over Mar del Plata, 7-16 December 2026, at 13:30 UTC."""
    starts = [datetime(2026, 12, 7, 13, 30, tzinfo=UTC) + timedelta(days=d) for d in range(10)]
    clouds = []
    for start in starts:
        outcome = backend.outcome(attempt_at(-38.0, -57.55, start, 100.0), start)
        clouds.append(outcome.cloud_cover)
    return {
        "attempts": len(starts),
        "collected_at_20pct": sum(c is not None and c <= 20 for c in clouds),
        "cloud_cover_pct": clouds,
    }


def per_call_us(weather: WeatherModel) -> dict[str, float]:
    at = datetime(YEAR, 5, 17, 10, 30, tzinfo=UTC)
    points = [(-60 + 0.7 * k, -170 + 1.3 * k) for k in range(200)]
    out = {}
    for label, fn in (
        ("climatological_cloud", lambda la, lo: climatological_cloud(la, lo, at)),
        ("cloud_at", lambda la, lo: weather.cloud_at(la, lo, at)),
    ):
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            for la, lo in points:
                fn(la, lo)
            runs.append((time.perf_counter() - t0) / len(points) * 1e6)
        out[label] = round(statistics.median(runs), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--attempts", type=int, default=1000)
    args = parser.parse_args()

    log("global and zonal means ...")
    means = grid_means()
    rounded = lambda x: round(x, 3)  # noqa: E731
    glob = {
        key: {
            "model": rounded(means[key]["ANN"]),
            "reference": ref,
            "diff": rounded(means[key]["ANN"] - ref),
        }
        for key, ref in GLOBAL_REF.items()
    }
    zonal = {}
    zonal_ok = True
    for (south, north), refs in ZONAL_REF.items():
        key = f"{south}..{north}"
        row = {}
        for season, ref in refs.items():
            diff = means[key][season] - ref
            zonal_ok &= abs(diff) <= ZONAL_TOLERANCE
            row[season] = {
                "model": rounded(means[key][season]),
                "reference": ref,
                "diff": rounded(diff),
            }
        zonal[key] = row

    log("places ...")
    weather = WeatherModel(args.seed)
    backend = SimulatedBackend(
        load_constellation(), weather, cache=EphemerisCache(), anomaly_rate=0.0, seed=args.seed
    )
    places = {}
    places_ok = True
    for name, (lat, lon, refs) in PLACES.items():
        row = {}
        for season, (ref, basis) in refs.items():
            mean = statistics.fmean(
                climatological_cloud(lat, lon, at) for at in season_days(season, 2)
            )
            places_ok &= abs(mean - ref) <= PLACE_TOLERANCE
            row[season] = {
                "model": rounded(mean),
                "reference": ref,
                "diff": rounded(mean - ref),
                "basis": basis,
                **success_rates(backend, name, lat, lon, season, args.attempts),
            }
        places[name] = row

    print(
        json.dumps(
            {
                "bench": "weather",
                "seed": args.seed,
                "attempts": args.attempts,
                "global": glob,
                "zonal": zonal,
                "places": places,
                "issue_example": issue_example(backend),
                "holds": {
                    "global_within_0.03": abs(glob["all"]["diff"]) <= GLOBAL_TOLERANCE,
                    "zonal_within_0.08": zonal_ok,
                    "places_within_0.10": places_ok,
                },
                "us_per_call": per_call_us(weather),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
