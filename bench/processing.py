"""Benchmark: clip + reproject + COG of a 25 km², 1 m, 4-band scene, against GDAL's CLI.

Synthesizes a 5 km x 5 km, 1 m, 4-band scene (UTM 31N, not timed), then times,
interleaved and on the same input in the same run:

* the pipeline: ``skyorder.processing.clip_to_cog`` (cutline to an octagonal AOI
  covering ~85 % of the scene, warp to the target CRS, COG with DEFLATE);
* GDAL's command-line tools doing the same:
  ``gdalwarp -cutline aoi.geojson -te … -tr … -t_srs …`` to a tiled GeoTIFF,
  then ``gdal_translate -of COG`` with the same creation options.

Both use bilinear resampling, nodata 0, 512-px blocks, DEFLATE + predictor,
average overviews and all CPUs. The pipeline's output grid gives ``-te``/``-tr``
so that both write the same pixels; the JSON line reports how many agree.

Wall times are medians over ``--repeat`` interleaved runs; CPU times (this
process's for the pipeline, the children's for the CLI) are reported too, as
they are less sensitive to other load on the machine (see ``load_avg_1m``).

Exactly one JSON line goes to stdout; progress goes to stderr. GDAL's CLI comes
from Debian's ``gdal-bin`` (``apt-get update && apt-get install -y gdal-bin``);
without it the line still reports the pipeline and says how to install it.

    .venv/bin/python bench/processing.py [--crs EPSG:4326] [--repeat 3] [--size-km 5]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from pyproj import Transformer

from skyorder.processing import (
    PipelineConfig,
    SceneRequest,
    builtin_sensor,
    clip_to_cog,
    synthesize_scene,
)
from skyorder.processing.grids import RasterGrid

INSTALL_HINT = "apt-get update && apt-get install -y gdal-bin"
UTM_EPSG = 32631
ORIGIN = (370_000.0, 4_825_000.0)  # near Toulouse
ACQUIRED = datetime(2025, 6, 1, 10, 30, tzinfo=UTC)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def polygon_ll(points: list[tuple[float, float]]) -> dict[str, Any]:
    to_ll = Transformer.from_crs(UTM_EPSG, 4326, always_xy=True)
    ring = [list(to_ll.transform(x, y)) for x, y in points]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def scene_footprint(size_m: float) -> dict[str, Any]:
    x0, y0 = ORIGIN
    return polygon_ll([(x0, y0), (x0 + size_m, y0), (x0 + size_m, y0 + size_m), (x0, y0 + size_m)])


def octagon_aoi(size_m: float) -> dict[str, Any]:
    cx, cy = ORIGIN[0] + size_m / 2, ORIGIN[1] + size_m / 2
    radius = (
        0.5 * size_m * 0.98 / math.cos(math.pi / 8)
    )  # the octagon's flats almost touch the edges
    angles = [math.pi / 8 + i * math.pi / 4 for i in range(8)]
    return polygon_ll([(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles])


def gdal_cli(
    source: Path, aoi_file: Path, grid: RasterGrid, work: Path, out: Path, resampling: str
) -> None:
    west, south, east, north = grid.bounds
    xres, yres = grid.res
    warped = work / "gdalwarp.tif"
    warp = [
        "gdalwarp", "-q", "-overwrite",
        "-t_srs", f"EPSG:{grid.epsg}",
        "-te", repr(west), repr(south), repr(east), repr(north),
        "-tr", repr(xres), repr(yres),
        "-r", resampling,
        "-cutline", str(aoi_file),
        "-srcnodata", "0", "-dstnodata", "0",
        "-multi", "-wo", "NUM_THREADS=ALL_CPUS",
        "-co", "TILED=YES", "-co", "BLOCKXSIZE=512", "-co", "BLOCKYSIZE=512",
        "-co", "BIGTIFF=IF_SAFER",
        str(source), str(warped),
    ]  # fmt: skip
    translate = [
        "gdal_translate", "-q", "-of", "COG",
        "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BLOCKSIZE=512",
        "-co", "OVERVIEW_RESAMPLING=AVERAGE", "-co", "NUM_THREADS=ALL_CPUS",
        "-co", "BIGTIFF=IF_SAFER",
        str(warped), str(out),
    ]  # fmt: skip
    subprocess.run(warp, check=True)
    subprocess.run(translate, check=True)
    warped.unlink()


def agreement(ours: Path, theirs: Path) -> dict[str, Any]:
    with rasterio.Env(), rasterio.open(ours) as a, rasterio.open(theirs) as b:
        if (a.width, a.height, a.count) != (b.width, b.height, b.count):
            return {"same_grid": False}
        same_grid = a.transform.almost_equals(b.transform) and a.crs == b.crs
        pa, pb = a.read(), b.read()
    valid_a, valid_b = pa[0] != 0, pb[0] != 0
    both = valid_a & valid_b
    diff = np.abs(pa[:, both].astype(np.int32) - pb[:, both].astype(np.int32))
    return {
        "same_grid": bool(same_grid),
        "mask_agreement": round(float((valid_a == valid_b).mean()), 6),
        "pixels_equal": round(float((diff == 0).mean()), 6) if diff.size else None,
        "pixels_within_1dn": round(float((diff <= 1).mean()), 6) if diff.size else None,
        "max_abs_diff": int(diff.max()) if diff.size else None,
    }


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_version() -> str | None:
    if shutil.which("gdalinfo") is None:
        return None
    done = subprocess.run(["gdalinfo", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crs", default="EPSG:4326", help="output CRS (default EPSG:4326)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (median kept)")
    parser.add_argument("--size-km", type=float, default=5.0, help="scene side, km")
    parser.add_argument("--gsd", type=float, default=1.0, help="scene GSD, metres")
    parser.add_argument("--resampling", default="bilinear")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary dir")
    args = parser.parse_args()

    config = PipelineConfig(resampling=args.resampling)
    size_m = args.size_km * 1000.0
    missing = [tool for tool in ("gdalwarp", "gdal_translate") if shutil.which(tool) is None]
    if missing:
        log(f"{', '.join(missing)} not found: GDAL's command-line tools are needed for the "
            f"comparison; install them with: {INSTALL_HINT}")  # fmt: skip

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        log(f"synthesizing a {args.size_km:g} km square, {args.gsd:g} m, 4-band scene")
        started = time.perf_counter()
        request = SceneRequest(
            scene_id="BENCH_25KM2",
            footprint=scene_footprint(size_m),
            sensor=builtin_sensor("micro"),
            acquired_at=ACQUIRED,
            cloud_cover=0.1,
            gsd=args.gsd,
            pixel_budget=int(1.2 * (size_m / args.gsd) ** 2) + 1_000_000,
        )
        scene = synthesize_scene(request, work / "scene", config)
        synthesis_s = time.perf_counter() - started
        with rasterio.Env(), rasterio.open(scene.ms_path) as src:
            source_info = {"width": src.width, "height": src.height, "bands": src.count}
        log(f"  {source_info} in {synthesis_s:.1f} s")

        aoi = octagon_aoi(size_m)
        aoi_file = work / "aoi.geojson"
        aoi_file.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": aoi}))

        ours, theirs = work / "pipeline.tif", work / "gdal_cli.tif"
        pipeline_runs: list[float] = []
        cli_runs: list[float] = []
        pipeline_cpu: list[float] = []
        cli_cpu: list[float] = []
        grid: RasterGrid | None = None
        for run in range(1, args.repeat + 1):
            started, cpu = time.perf_counter(), time.process_time()
            grid = clip_to_cog(scene.ms_path, aoi, ours, crs_code=args.crs, config=config)
            pipeline_runs.append(time.perf_counter() - started)
            pipeline_cpu.append(time.process_time() - cpu)
            log(f"run {run}: pipeline {pipeline_runs[-1]:.2f} s (cpu {pipeline_cpu[-1]:.2f} s)")
            if missing:
                continue
            started, cpu = time.perf_counter(), children_cpu()
            gdal_cli(scene.ms_path, aoi_file, grid, work, theirs, args.resampling)
            cli_runs.append(time.perf_counter() - started)
            cli_cpu.append(children_cpu() - cpu)
            log(f"run {run}: gdal cli {cli_runs[-1]:.2f} s (cpu {cli_cpu[-1]:.2f} s)")
        assert grid is not None
        pipeline_s = statistics.median(pipeline_runs)
        cli_s = statistics.median(cli_runs) if cli_runs else None
        result: dict[str, Any] = {
            "bench": "processing.clip_reproject_cog",
            "scene": {"area_km2": round(scene.area_km2, 3), "gsd_m": scene.gsd, **source_info},
            "output": {"crs": f"EPSG:{grid.epsg}", "width": grid.width, "height": grid.height},
            "repeat": args.repeat,
            "pipeline_s": round(pipeline_s, 3),
            "gdal_cli_s": None if cli_s is None else round(cli_s, 3),
            "ratio": None if cli_s is None else round(pipeline_s / cli_s, 3),
            "pipeline_runs_s": [round(t, 3) for t in pipeline_runs],
            "gdal_cli_runs_s": [round(t, 3) for t in cli_runs],
            "pipeline_cpu_s": round(statistics.median(pipeline_cpu), 3),
            "gdal_cli_cpu_s": round(statistics.median(cli_cpu), 3) if cli_cpu else None,
            "cpu_ratio": round(statistics.median(pipeline_cpu) / statistics.median(cli_cpu), 3)
            if cli_cpu
            else None,
            "synthesis_s": round(synthesis_s, 3),
            "agreement": agreement(ours, theirs) if cli_runs else None,
            "gdal": {"rasterio": rasterio.__gdal_version__, "cli": cli_version()},
            "cpus": os.cpu_count(),
            "load_avg_1m": round(os.getloadavg()[0], 2),
        }
        if missing:
            result["gdal_cli_missing"] = {"tools": missing, "install": INSTALL_HINT}
    print(json.dumps(result))
    return 2 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
