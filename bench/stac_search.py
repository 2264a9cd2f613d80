"""STAC search throughput: skyorder and stac-fastapi-pgstac on the same items, same PostgreSQL.

    python bench/stac_search.py [--items 1000000] [--duration 20] [--workers 2]

1. Generates ``--items`` archive scenes (``skyorder.services.scenes``) and bulk-loads
   them with COPY into a fresh skyorder database (indexes built after the load).
2. Writes the same items as NDJSON and, in a separate virtualenv made here
   (``~/.cache/skyorder-bench/pgstac-venv``, never the project's), installs
   stac-fastapi-pgstac and pypgstac, migrates a fresh pgstac database on the same
   server and loads them (skipped with a reason if it cannot be installed).
3. Runs each server with ``--workers`` uvicorn workers and measures POST /search with
   bbox + datetime + a CQL2 ``eo:cloud_cover <= 20`` filter, limit 10, at 1 and 16
   concurrent clients for ``--duration`` seconds each, with a minimal keep-alive
   HTTP/1.1 client (so that the load generator costs little CPU).

Prints one JSON line: p50/p99 latency (ms) and requests/s per server and concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fastapi import FastAPI  # noqa: E402

from skyorder.core.catalog import CatalogItem, format_datetime  # noqa: E402
from skyorder.services.demo_archive import HOTSPOTS, demo_collections  # noqa: E402
from skyorder.services.products import load_products  # noqa: E402
from skyorder.services.scenes import generate_items  # noqa: E402
from skyorder.store.sealing import Keyring, SecretSealer, new_key  # noqa: E402

PGSTAC_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / (
    "skyorder-bench/pgstac-venv"
)
SKYORDER_DB = "skyorder_bench_stac"
PGSTAC_DB = "pgstac_bench_stac"
BATCH = 20_000
COLUMNS = (
    "id, collection_id, datetime, geometry, min_x, min_y, max_x, max_y, cloud_cover, "
    "off_nadir, sun_elevation, gsd, platform, constellation, properties, assets, "
    "stac_extensions, created_at, updated_at, geom"
)
SECONDARY_INDEXES = {
    "ix_catalog_items_datetime": "(datetime)",
    "ix_catalog_items_collection_datetime": "(collection_id, datetime)",
    "ix_catalog_items_cloud_cover": "(cloud_cover)",
    "ix_catalog_items_id": "(id)",
    "ix_catalog_items_geom": "USING GIST (geom)",
    "ix_catalog_items_geom_datetime_cloud": "USING GIST (geom, datetime, cloud_cover)",
}


def skyorder_app() -> FastAPI:
    """The app uvicorn's workers build (``--factory``), configured from SKYORDER_* variables."""
    from skyorder.api.app import create_app
    from skyorder.settings import Settings

    return create_app(Settings(), run_agenda=False)


def throwaway_sealer() -> SecretSealer:
    """A sealer for loading data that holds no customer secret (the key is not kept)."""
    return SecretSealer(Keyring((new_key(),), "a key of this bench run"))


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def dsn(admin: str, database: str) -> str:
    base, _, _ = admin.rpartition("/")
    return f"{base}/{database}"


def recreate(admin: str, database: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


# --- loading ------------------------------------------------------------------------------


def wkt(item: CatalogItem) -> str:
    rings = item.geometry["coordinates"]
    body = ",".join("(" + ",".join(f"{x} {y}" for x, y in ring) + ")" for ring in rings)
    return f"SRID=4326;POLYGON({body})"


def stac_document(item: CatalogItem) -> dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "stac_extensions": list(item.stac_extensions),
        "id": item.id,
        "collection": item.collection,
        "geometry": item.geometry,
        "bbox": item.bbox.as_list(),
        "properties": item.properties,
        "links": [],
        "assets": item.assets,
    }


def batches(count: int, seed: int) -> Iterator[list[CatalogItem]]:
    products = {p.sku: p for p in load_products()}
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        yield generate_items(size, seed, products, start=done)
        done += size


def load_skyorder(url: str, count: int, seed: int, ndjson: Path | None) -> None:
    """Migrate, then COPY the items in with the spatial trigger off and indexes built after."""
    from skyorder.core.clock import SystemClock
    from skyorder.services.catalog import install_collections, store_items
    from skyorder.store.engine import make_engine
    from skyorder.store.migrate import upgrade
    from skyorder.store.uow import UnitOfWorkFactory

    engine = make_engine(url)
    upgrade(engine)
    uow_factory = UnitOfWorkFactory(engine, throwaway_sealer())
    clock = SystemClock()
    with uow_factory() as uow:
        install_collections(uow, clock, demo_collections())
        uow.commit()
    now = format_datetime(clock.now())
    extents: dict[str, list[CatalogItem]] = {}
    out = ndjson.open("wb") if ndjson else None
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        for name in SECONDARY_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute("ALTER TABLE catalog_items DISABLE TRIGGER catalog_items_geom")
        loaded = 0
        started = time.monotonic()
        for batch in batches(count, seed):
            with conn.cursor() as cur, cur.copy(f"COPY catalog_items ({COLUMNS}) FROM STDIN") as cp:
                for item in batch:
                    extracted = item.extracted()
                    cp.write_row(
                        (
                            item.id,
                            item.collection,
                            format_datetime(item.datetime),
                            orjson.dumps(item.geometry).decode(),
                            *item.bbox.as_list(),
                            extracted["cloud_cover"],
                            extracted["off_nadir"],
                            extracted["sun_elevation"],
                            extracted["gsd"],
                            extracted["platform"],
                            extracted["constellation"],
                            orjson.dumps(item.properties).decode(),
                            orjson.dumps(item.assets).decode(),
                            orjson.dumps(list(item.stac_extensions)).decode(),
                            now,
                            now,
                            wkt(item),
                        )
                    )
                    if out is not None:
                        out.write(orjson.dumps(stac_document(item)) + b"\n")
            for item in batch[:1] + batch[-1:]:
                extents.setdefault(item.collection, []).append(item)
            conn.commit()
            loaded += len(batch)
            rate = loaded / (time.monotonic() - started)
            log(f"skyorder: {loaded} items copied ({rate:.0f}/s)")
        conn.execute("ALTER TABLE catalog_items ENABLE TRIGGER catalog_items_geom")
        for name, definition in SECONDARY_INDEXES.items():
            log(f"skyorder: building {name}")
            conn.execute(f"CREATE INDEX {name} ON catalog_items {definition}")
        conn.commit()
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        # as pgstac's load is followed by VACUUM ANALYZE: hint bits and the visibility map
        # are set once here, not by the first searches
        log("skyorder: VACUUM ANALYZE catalog_items")
        conn.execute("VACUUM (ANALYZE) catalog_items")
    if out is not None:
        out.close()
    with uow_factory() as uow:  # the collections' extents, from a sample of each batch
        store_items(uow, clock, [i for members in extents.values() for i in members])
        uow.commit()
    engine.dispose()


def pgstac_collections(path: Path) -> None:
    with path.open("wb") as out:
        for c in demo_collections():
            doc = {
                "type": "Collection",
                "stac_version": "1.0.0",
                "id": c.id,
                "title": c.title,
                "description": c.description,
                "license": c.license,
                "links": [],
                **c.fields,
            }
            doc["extent"] = {
                "spatial": {"bbox": [[-180.0, -90.0, 180.0, 90.0]]},
                "temporal": {"interval": [["2019-01-01T00:00:00Z", None]]},
            }
            out.write(orjson.dumps(doc) + b"\n")


def install_pgstac() -> str | None:
    """Make the separate virtualenv; return why it failed, or None."""
    python = PGSTAC_VENV / "bin" / "python"
    if not python.exists():
        PGSTAC_VENV.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(PGSTAC_VENV)], check=True)
    packages = ["stac-fastapi-pgstac", "pypgstac[psycopg]", "uvicorn"]
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *packages], capture_output=True, text=True
    )
    if done.returncode != 0:
        return f"pip install {' '.join(packages)} failed: {done.stderr.strip()[-500:]}"
    return None


def load_pgstac(url: str, items: Path, collections: Path) -> None:
    tool = str(PGSTAC_VENV / "bin" / "pypgstac")
    quiet = {"check": True, "stdout": sys.stderr}  # one JSON line on stdout, nothing else
    subprocess.run([tool, "migrate", "--dsn", url], **quiet)  # type: ignore[call-overload]
    subprocess.run(
        [tool, "load", "collections", str(collections), "--dsn", url, "--method", "upsert"],
        **quiet,  # type: ignore[call-overload]
    )
    started = time.monotonic()
    subprocess.run(
        [tool, "load", "items", str(items), "--dsn", url, "--method", "insert"],
        **quiet,  # type: ignore[call-overload]
    )
    log(f"pgstac: items loaded in {time.monotonic() - started:.0f} s")
    with psycopg.connect(url, autocommit=True) as conn:
        # the filtered property gets pgstac's own index, as its docs advise for queryables
        conn.execute("SET search_path = pgstac, public")
        conn.execute(
            "INSERT INTO queryables (name, definition, property_wrapper, property_index_type) "
            "VALUES ('eo:cloud_cover', '{\"type\": \"number\"}', 'to_float', 'BTREE')"
        )
        conn.execute("SELECT maintain_partitions()")
        conn.execute("VACUUM ANALYZE pgstac.items")


# --- servers --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], env: dict[str, str], port: int, logfile: Path) -> subprocess.Popen[bytes]:
    handle = logfile.open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(logfile.read_text()[-3000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                time.sleep(2.0)
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not start: {logfile.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- load generation ------------------------------------------------------------------------


def bodies(count: int, seed: int) -> list[bytes]:
    """Searches around the archive's dense places: a 1°x1° box, a two-year window, clouds <= 20."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        lon, lat, spread, _ = rng.choice(HOTSPOTS)
        x = lon + rng.uniform(-spread, spread)
        y = lat + rng.uniform(-spread, spread) * 0.7
        year = rng.randint(2019, 2024)
        body = {
            "bbox": [round(x - 0.5, 3), round(y - 0.5, 3), round(x + 0.5, 3), round(y + 0.5, 3)],
            "datetime": f"{year}-01-01T00:00:00Z/{year + 1}-12-31T23:59:59Z",
            "filter-lang": "cql2-json",
            "filter": {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]},
            "limit": 10,
        }
        out.append(orjson.dumps(body))
    return out


async def _client(
    port: int,
    path: str,
    headers: str,
    payloads: list[bytes],
    times: tuple[float, float, float],
    latencies: list[float],
    sizes: list[int],
    errors: list[str],
    offset: int,
) -> None:
    """One keep-alive connection, opened at ``times[0]``; requests sent from ``times[1]`` on
    are recorded; none is sent after ``times[2]``."""
    start_at, record_from, stop_at = times
    await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < stop_at:
            body = payloads[i % len(payloads)]
            i += 1
            request = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            t0 = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            chunked = False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
                elif name.lower() == "transfer-encoding" and "chunked" in value:
                    chunked = True
            if chunked:
                payload = b""
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    if size == 0:
                        await reader.readline()
                        break
                    payload += await reader.readexactly(size)
                    await reader.readline()
            else:
                payload = await reader.readexactly(length)
            if t0 < record_from:
                continue
            latencies.append(time.perf_counter() - t0)
            if not status_line.startswith(b"HTTP/1.1 200"):
                errors.append(status_line.decode().strip() + " " + payload[:200].decode())
            elif len(sizes) < 2000:
                sizes.append(payload.count(b'"Feature"'))
    finally:
        writer.close()


async def _measure(
    port: int, path: str, headers: str, payloads: list[bytes], clients: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    sizes: list[int] = []
    errors: list[str] = []
    # The connections open one after another during the warm-up, as clients arriving do:
    # opened all at once, one server worker tends to accept every one of them.
    warmup = min(3.0, seconds / 4)
    begin = time.perf_counter()
    started = begin + warmup
    stop_at = started + seconds
    await asyncio.gather(
        *(
            _client(
                port,
                path,
                headers,
                payloads,
                (begin + k * warmup / (2 * clients), started, stop_at),
                latencies,
                sizes,
                errors,
                k * 131,
            )
            for k in range(clients)
        )
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 2) if ordered else None,
        "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 2) if ordered else None,
        "mean_features": round(statistics.fmean(sizes), 2) if sizes else 0,
        "errors": len(errors),
        **({"first_error": errors[0][:300]} if errors else {}),
    }


def prewarm(url: str, schema: str) -> None:
    """Read a database's tables and indexes into memory before its server is measured.

    Both servers get the same treatment: without it the first measurement pays for
    pages the kernel dropped while the database sat idle (it does, on a busy machine).
    """
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except psycopg.Error as exc:  # not a superuser, or contrib missing: measure anyway
            log(f"{schema}: not prewarmed ({exc}); the first measurement may read from disk")
            return
        relations = conn.execute(
            """
            SELECT c.oid::regclass::text, c.relpages FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'i', 't') AND c.relpages > 0 AND (
                n.nspname = %(schema)s OR c.oid IN (
                    SELECT t.reltoastrelid FROM pg_class t
                    JOIN pg_namespace tn ON tn.oid = t.relnamespace WHERE tn.nspname = %(schema)s
                )
            )
            """,
            {"schema": schema},
        ).fetchall()
        for name, _ in relations:
            conn.execute("SELECT pg_prewarm(%s::regclass, 'read')", (name,))
    megabytes = sum(pages for _, pages in relations) * 8 / 1024
    log(f"{schema}: prewarmed {len(relations)} relations ({megabytes:,.0f} MB) "
        f"in {time.monotonic() - started:.1f} s")  # fmt: skip


def measure(port: int, path: str, headers: str, seconds: float, seed: int) -> dict[str, Any]:
    payloads = bodies(500, seed)
    return {
        f"c{clients}": asyncio.run(_measure(port, path, headers, payloads, clients, seconds))
        for clients in (1, 16)
    }


# --- main -------------------------------------------------------------------------------------


def run_skyorder(args: argparse.Namespace, url: str, work: Path) -> dict[str, Any]:
    from skyorder.core.clock import SystemClock
    from skyorder.services.demo import provision_organisation
    from skyorder.services.tenants import ContractTerms
    from skyorder.store.engine import make_engine
    from skyorder.store.uow import UnitOfWorkFactory

    engine = make_engine(url)
    creds = provision_organisation(
        UnitOfWorkFactory(engine, throwaway_sealer()),
        SystemClock(),
        "Bench",
        "http://bench",
        ContractTerms("bench"),
    )
    engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "SKYORDER_DATABASE_URL": url,
        "SKYORDER_DATA_DIR": str(work / "data"),
        "SKYORDER_JWT_SECRET": "bench-secret-0123456789abcdefghijklmnop",
        "PYTHONPATH": str(ROOT / "src"),
    }
    cmd = [
        sys.executable, "-m", "uvicorn", "--factory", "stac_search:skyorder_app",
        "--app-dir", str(ROOT / "bench"), "--port", str(port), "--workers", str(args.workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = start(cmd, env, port, work / "skyorder.log")
    try:
        headers = f"X-API-Key: {creds['api_key']}\r\n"
        prewarm(url.replace("postgresql+psycopg://", "postgresql://"), "public")
        return measure(port, "/stac/search", headers, args.duration, args.seed)
    finally:
        stop(proc)


def run_pgstac(args: argparse.Namespace, url: str, work: Path) -> dict[str, Any]:
    port = free_port()
    host = url.split("@", 1)[1].split("/", 1)[0] if "@" in url else "127.0.0.1:5432"
    pg_host, _, pg_port = host.partition(":")
    user = url.split("://", 1)[1].split("@", 1)[0].split(":")[0] or "postgres"
    env = {
        **os.environ,
        "PGUSER": user, "PGPASSWORD": "postgres", "PGHOST": pg_host, "PGPORT": pg_port or "5432",
        "PGDATABASE": PGSTAC_DB,
        "POSTGRES_USER": user, "POSTGRES_PASS": "postgres", "POSTGRES_DBNAME": PGSTAC_DB,
        "POSTGRES_HOST_READER": pg_host, "POSTGRES_HOST_WRITER": pg_host,
        "POSTGRES_PORT": pg_port or "5432",
        "ENABLED_EXTENSIONS": "query,sort,fields,filter,pagination,collection_search",
    }  # fmt: skip
    cmd = [
        str(PGSTAC_VENV / "bin" / "uvicorn"), "stac_fastapi.pgstac.app:create_app", "--factory",
        "--port", str(port), "--workers", str(args.workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = start(cmd, env, port, work / "pgstac.log")
    try:
        prewarm(url, "pgstac")
        return measure(port, "/search", "", args.duration, args.seed)
    finally:
        stop(proc)


def loaded_items(admin_url: str) -> int:
    """How many items an earlier ``--keep`` run left in the skyorder database."""
    try:
        with psycopg.connect(dsn(admin_url, SKYORDER_DB)) as conn:
            row = conn.execute("SELECT count(*) FROM catalog_items").fetchone()
    except psycopg.OperationalError as exc:
        raise SystemExit(f"nothing to reuse: run once with --keep first ({exc})") from exc
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--seed", type=int, default=20260105)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--no-pgstac", action="store_true", help="measure skyorder only")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the databases an earlier --keep run loaded (implies --keep)",
    )
    args = parser.parse_args()
    args.keep = args.keep or args.reuse

    work = Path(tempfile.mkdtemp(prefix="stac-bench-"))
    result: dict[str, Any] = {
        "bench": "stac_search",
        "items": args.items,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "duration_s": args.duration,
        "request": "POST /search bbox 1x1 deg + 2-year datetime + eo:cloud_cover<=20, limit 10",
    }
    sky_url = dsn(args.admin_url, SKYORDER_DB).replace("postgresql://", "postgresql+psycopg://")
    pg_url = dsn(args.admin_url, PGSTAC_DB)
    ndjson = work / "items.ndjson"
    why_not = None if args.no_pgstac else install_pgstac()
    try:
        if args.reuse:
            result["items"] = loaded_items(args.admin_url)
        else:
            recreate(args.admin_url, SKYORDER_DB)
            started = time.monotonic()
            load_skyorder(
                sky_url, args.items, args.seed, None if why_not or args.no_pgstac else ndjson
            )
            result["skyorder_load_s"] = round(time.monotonic() - started)
        log("skyorder: measuring")
        result["skyorder"] = run_skyorder(args, sky_url, work)
        if args.no_pgstac:
            result["pgstac"] = {"skipped": "--no-pgstac"}
        elif why_not:
            result["pgstac"] = {"error": f"stac-fastapi-pgstac could not be installed: {why_not}"}
        else:
            if not args.reuse:
                recreate(args.admin_url, PGSTAC_DB)
                collections = work / "collections.ndjson"
                pgstac_collections(collections)
                started = time.monotonic()
                load_pgstac(pg_url, ndjson, collections)
                result["pgstac_load_s"] = round(time.monotonic() - started)
                ndjson.unlink(missing_ok=True)
            log("pgstac: measuring")
            try:
                result["pgstac"] = run_pgstac(args, pg_url, work)
            except RuntimeError as exc:  # report a server that would not start, and go on
                result["pgstac"] = {"error": f"stac-fastapi-pgstac did not start: {exc}"[-800:]}
    finally:
        if not args.keep:
            for database in (SKYORDER_DB, PGSTAC_DB):
                with psycopg.connect(args.admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
    sky, pg = result.get("skyorder", {}), result.get("pgstac", {})
    if "c16" in sky and "c16" in pg and pg["c16"]["req_per_s"]:
        result["speedup_c16"] = round(sky["c16"]["req_per_s"] / pg["c16"]["req_per_s"], 1)
        result["target_10x_met"] = result["speedup_c16"] >= 10
    if "c1" in sky and sky["c1"]["p99_ms"] is not None:
        result["target_p99_under_50ms_met"] = sky["c1"]["p99_ms"] < 50
    print(json.dumps(result))


if __name__ == "__main__":
    main()
