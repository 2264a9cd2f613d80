"""The job queue's own tables (procrastinate), kept in their own PostgreSQL schema.

The queue carries wake-ups only (see ``skyorder.worker.queue``); its tables live in the
schema ``skyorder_queue`` beside the Alembic-managed ones, and are created once, at
start-up, from the schema file procrastinate ships. A database that already has them is
left alone; concurrent start-ups wait on an advisory lock, so one creates them.
"""

from __future__ import annotations

from procrastinate.schema import SchemaManager
from sqlalchemy import text
from sqlalchemy.engine import Engine

QUEUE_SCHEMA = "skyorder_queue"
_LOCK_KEY = 0x736B796F  # "skyo": serialises concurrent start-ups


def queue_conninfo(engine: Engine) -> str:
    """A libpq connection string for the queue library, from the engine's URL."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def queue_connection_options() -> dict[str, str]:
    """Connection parameters that put the queue library's statements in its schema."""
    return {"options": f"-c search_path={QUEUE_SCHEMA}"}


def ensure_queue_schema(engine: Engine) -> bool:
    """Create the queue's schema and tables unless present (PostgreSQL only).

    Returns whether they were created now.
    """
    if engine.dialect.name != "postgresql":
        return False
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        present = conn.execute(
            text("SELECT to_regclass(:name)"), {"name": f"{QUEUE_SCHEMA}.procrastinate_jobs"}
        ).scalar()
        if present is not None:
            return False
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {QUEUE_SCHEMA}"))
        conn.execute(text(f"SET LOCAL search_path TO {QUEUE_SCHEMA}"))
        # A script of many statements: sent as it is by the driver, with no parameters
        # (so its '%' signs are not taken for placeholders).
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute(SchemaManager.get_schema())
        return True
