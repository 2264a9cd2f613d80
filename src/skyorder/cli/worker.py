"""``skyorder worker``: work through the agenda without serving HTTP (scale mode)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer

from skyorder.cli.options import load_settings, open_runtime

LOG_FORMAT = "%(asctime)s %(levelname)s [%(processName)s %(threadName)s] %(name)s: %(message)s"


def worker(
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Data directory, shared with the servers [env SKYORDER_DATA_DIR]"),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(help="Database URL [env SKYORDER_DATABASE_URL; default SQLite in data dir]"),
    ] = None,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Agenda threads in this process")
    ] = 1,
    sandbox: Annotated[
        bool,
        typer.Option("--sandbox/--real-clock", help="Follow the servers' sandbox clock"),
    ] = True,
) -> None:
    """Run background work (processing, delivery, ...) from the agenda until stopped.

    Start as many as needed beside `skyorder serve --no-agenda`; all of them must use the
    same database and the same data directory (deliverables are files in it). SIGTERM or
    Ctrl-C stops a worker; work it leaves unfinished is taken over by another.
    """
    from skyorder.worker.process import run_worker

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    for noisy in ("procrastinate", "psycopg.pool"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    overrides: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "sandbox": sandbox,
    }
    settings = load_settings(**overrides)
    runtime = open_runtime(settings)
    log = logging.getLogger("skyorder.worker")
    log.info(
        "worker on %s (data: %s)",
        runtime.engine.url.render_as_string(),
        settings.data_dir.resolve(),
    )
    try:
        run_worker(runtime, concurrency)
    finally:
        runtime.close()
