"""Migration 0020 gives the items of orders that name a cloud-delivery configuration its id."""

from __future__ import annotations

import json

from sqlalchemy import Engine, text

from tests.conftest import migrate_to


def _order(conn: object, pk: int, delivery: dict[str, object]) -> None:
    conn.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO orders (pk, id, number, organisation_id, contract_id, name, status, "
            "kind, delivery, created_at, updated_at) VALUES (:pk, :id, :n, 'org', 'con', 'o', "
            "'accepted', 'tasking', :delivery, '2026-01-01', '2026-01-01')"
        ),
        {"pk": pk, "id": f"order-{pk}", "n": f"00000{pk}", "delivery": json.dumps(delivery)},
    )
    for position in range(2):
        conn.execute(  # type: ignore[attr-defined]
            text(
                "INSERT INTO order_items (id, order_pk, organisation_id, position, kind, "
                "product, status, options, spec, created_at, updated_at) VALUES (:id, :pk, "
                "'org', :p, 'tasking', 'P', 'active', '{}', '{}', '2026-01-01', '2026-01-01')"
            ),
            {"id": f"item-{pk}-{position}", "pk": pk, "p": position},
        )


def test_items_of_orders_naming_a_configuration_get_its_id(blank_engine: Engine) -> None:
    migrate_to(blank_engine, "0017")
    with blank_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisations (id, name, order_sequence, created_at, number) "
                "VALUES ('org', 'org', 0, '2026-01-01', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contracts (id, organisation_id, name, billing, currency, "
                "payment_mode, allowed_products, created_at, number) VALUES ('con', 'org', 'c', "
                "'credits', 'CREDITS', 'balance', '[]', '2026-01-01', 1)"
            )
        )
        cloud = {"config": "cfg-1", "path": "a", "name": "main"}
        _order(conn, 1, {"method": "s3", "cloud": cloud})
        _order(conn, 2, {"method": "api"})
    migrate_to(blank_engine, "head")
    with blank_engine.connect() as conn:
        found = dict(conn.execute(text("SELECT id, cloud_config_id FROM order_items")).all())
    assert found == {
        "item-1-0": "cfg-1",
        "item-1-1": "cfg-1",
        "item-2-0": None,
        "item-2-1": None,
    }
