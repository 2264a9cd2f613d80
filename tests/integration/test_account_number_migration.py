"""Migration 0013 numbers the organisations and contracts that exist, oldest first."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from skyorder.store.engine import make_engine
from skyorder.store.migrate import alembic_config


def test_existing_organisations_and_contracts_are_numbered_in_creation_order(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config(str(engine.url))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0011")
    with engine.begin() as conn:
        for org, made in (("org-b", "2025-02-01"), ("org-a", "2025-01-01")):
            conn.execute(
                text(
                    "INSERT INTO organisations (id, name, order_sequence, created_at) "
                    "VALUES (:id, :id, 0, :at)"
                ),
                {"id": org, "at": made},
            )
            conn.execute(
                text(
                    "INSERT INTO contracts (id, organisation_id, name, billing, currency, "
                    "payment_mode, allowed_products, created_at) VALUES "
                    "(:id, :org, 'c', 'credits', 'CREDITS', 'balance', '[]', :at)"
                ),
                {"id": f"con-{org}", "org": org, "at": made},
            )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        orgs = dict(conn.execute(text("SELECT id, number FROM organisations")).all())
        contracts = dict(conn.execute(text("SELECT id, number FROM contracts")).all())
    assert orgs == {"org-a": 1, "org-b": 2}
    assert contracts == {"con-org-a": 1, "con-org-b": 2}
    engine.dispose()
