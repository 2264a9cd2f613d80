"""Alembic environment: runs migrations on the connection skyorder hands it."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from skyorder.store import (
    catalog_tables,  # noqa: F401  (registers the catalog tables)
    sign_in_tables,  # noqa: F401  (registers the sign-in tables)
)
from skyorder.store.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
