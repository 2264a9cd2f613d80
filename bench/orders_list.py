"""Benchmark: a filtered order list on PostgreSQL with a million orders.

Creates a fresh database, provisions organisations through the service layer,
bulk-loads orders (one tasking item each) with ``INSERT ... SELECT
generate_series`` so that every column holds what ``OrderRepository.add``
would write, starts the real server (``skyorder serve --real-clock``) and
measures ``GET /v1/orders?status=in_progress&updated_at__gte=<30 days ago>&limit=25``
at 1 and at 16 concurrent clients.

Exactly one JSON line goes to stdout; progress and diagnostics go to stderr. The
database is dropped at the end unless ``--keep``; ``--reuse`` measures a kept database
again without reloading it, and ``--explain`` logs EXPLAIN ANALYZE of the SQL that
``OrderRepository.list`` emits for the request.

    .venv/bin/python bench/orders_list.py [--orders 1000000] [--duration 10]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from skyorder.core.errors import ValidationFailed
from skyorder.core.listing import parse_list_query
from skyorder.core.order_requests import TaskingItemRequest
from skyorder.core.orders import ItemStatus, OrderStatus, PaymentStatus, Priority
from skyorder.core.pricing import line_to_json
from skyorder.core.products import ItemKind
from skyorder.core.quoting import price_request
from skyorder.core.tenants import Principal
from skyorder.runtime import build_runtime
from skyorder.services.demo import provision_organisation
from skyorder.services.queries import ORDER_FILTERS
from skyorder.services.tenants import ContractTerms, create_client
from skyorder.settings import Settings
from skyorder.store.repositories.orders import OrderRepository

TARGET_P99_MS_C1 = 30.0
CONCURRENCIES = (1, 16)
HISTORY = timedelta(days=730)
BATCH = 100_000
PAGE = 25
BENCH_ORG = "Bench Organisation"
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

# Status mix by age of the order: recent orders are still open, old ones are mostly final.
# (maximum age in days, [(status, share), ...]); the shares of each bucket add up to 1.
STATUS_MIX: tuple[tuple[float, tuple[tuple[OrderStatus, float], ...]], ...] = (
    (
        7,
        (
            (OrderStatus.PENDING_PAYMENT, 0.05),
            (OrderStatus.ACCEPTED, 0.25),
            (OrderStatus.IN_PROGRESS, 0.60),
            (OrderStatus.COMPLETED, 0.05),
            (OrderStatus.CANCELLED, 0.03),
            (OrderStatus.REJECTED, 0.02),
        ),
    ),
    (
        60,
        (
            (OrderStatus.ACCEPTED, 0.03),
            (OrderStatus.IN_PROGRESS, 0.40),
            (OrderStatus.COMPLETED, 0.40),
            (OrderStatus.PARTIALLY_COMPLETED, 0.05),
            (OrderStatus.FAILED, 0.04),
            (OrderStatus.CANCELLED, 0.06),
            (OrderStatus.REJECTED, 0.02),
        ),
    ),
    (
        math.inf,
        (
            (OrderStatus.IN_PROGRESS, 0.03),
            (OrderStatus.COMPLETED, 0.75),
            (OrderStatus.PARTIALLY_COMPLETED, 0.06),
            (OrderStatus.FAILED, 0.05),
            (OrderStatus.CANCELLED, 0.09),
            (OrderStatus.REJECTED, 0.02),
        ),
    ),
)


@dataclass(frozen=True)
class StatusShape:
    """What an order in one status looks like: events, payment, its item, its last change.

    ``order_details`` are the latest event's details besides ``status`` (which every
    transition records); ``OrderPaymentRequired`` gets a ``checkout_url`` instead.
    """

    order_event: str
    order_details: dict[str, str]
    payment_status: PaymentStatus
    item_status: ItemStatus
    item_event: str | None
    item_details: dict[str, str]
    max_delay: timedelta  # updated_at falls uniformly in [created_at, created_at + this]


_CANCEL = "cancelled by the customer"
_FAILED = "no feasible capture in the tasking window"
_LONG = timedelta(days=36_500)  # open orders may have moved at any time since creation
_PAID = PaymentStatus.PAID
STATUS_SHAPES: dict[OrderStatus, StatusShape] = {
    OrderStatus.PENDING_PAYMENT: StatusShape(
        "OrderPaymentRequired", {}, PaymentStatus.UNPAID, ItemStatus.PENDING, None, {}, timedelta(0)
    ),
    OrderStatus.ACCEPTED: StatusShape(
        "OrderAccepted", {}, _PAID, ItemStatus.ACTIVE, "OrderItemActivated", {}, timedelta(0)
    ),
    OrderStatus.IN_PROGRESS: StatusShape(
        "OrderInProgress", {}, _PAID, ItemStatus.ACTIVE, "OrderItemActivated", {}, _LONG
    ),
    OrderStatus.COMPLETED: StatusShape(
        "OrderCompleted",
        {},
        _PAID,
        ItemStatus.COMPLETED,
        "OrderItemCompleted",
        {},
        timedelta(days=21),
    ),
    OrderStatus.PARTIALLY_COMPLETED: StatusShape(
        "OrderPartiallyCompleted",
        {},
        PaymentStatus.PARTIAL_REFUND,
        ItemStatus.PARTIALLY_COMPLETED,
        "OrderItemPartiallyCompleted",
        {},
        timedelta(days=30),
    ),
    OrderStatus.FAILED: StatusShape(
        "OrderFailed",
        {"reason": _FAILED},
        PaymentStatus.REFUNDED,
        ItemStatus.FAILED,
        "OrderItemFailed",
        {"reason": _FAILED},
        timedelta(days=14),
    ),
    OrderStatus.CANCELLED: StatusShape(
        "OrderCancelled",
        {"reason": _CANCEL},
        PaymentStatus.REFUNDED,
        ItemStatus.CANCELLED,
        "OrderItemCancelled",
        {"reason": _CANCEL},
        timedelta(days=3),
    ),
    OrderStatus.REJECTED: StatusShape(
        "OrderRejected",
        {"reason": "payment was not received"},
        PaymentStatus.UNPAID,
        ItemStatus.CANCELLED,
        "OrderItemCancelled",
        {"reason": "order rejected"},
        timedelta(hours=1),
    ),
}


@dataclass(frozen=True)
class ItemChoice:
    """One orderable tasking item (product, level, constraints) priced by the real engine."""

    sku: str
    level: str
    priority: Priority
    max_off_nadir: float
    price: dict[str, Any]  # line_to_json of its LinePrice
    total: int
    area_km2: float


SITES = (
    "Port of Rotterdam",
    "Pilbara iron mine",
    "Rondonia deforestation front",
    "Nile delta crops",
    "Singapore strait",
    "Atacama lithium ponds",
    "Po valley floods",
    "Kilauea summit",
    "Jakarta subsidence",
    "Greenland calving front",
)

# Session helpers (temporary objects: nothing is left in the benchmark's schema).
# rnd(i, k): a reproducible uniform number in [0, 1) per order sequence i and stream k.
# iso(ts): the text of Python's datetime.isoformat() for an aware UTC datetime.
HELPERS = """
CREATE FUNCTION pg_temp.rnd(i bigint, k bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(i, k) & 2147483647)::float8 / 2147483648 $$;
CREATE FUNCTION pg_temp.iso(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
       || CASE WHEN date_part('microseconds', ts)::bigint % 1000000 = 0 THEN ''
               ELSE to_char(ts AT TIME ZONE 'UTC', '.US') END
       || '+00:00' $$;
CREATE TEMP TABLE bench_status (
  status text PRIMARY KEY, order_event text, order_details jsonb, payment_status text,
  item_status text, item_event text, item_details jsonb, max_delay interval);
CREATE TEMP TABLE bench_products (
  idx int PRIMARY KEY, sku text, level text, priority text, max_off_nadir numeric,
  price jsonb, total bigint, area_km2 float8);
CREATE TEMP TABLE bench_sites (idx int PRIMARY KEY, name text);
"""

# One batch of orders [lo, hi] of one organisation, and their items, in one statement.
# The geometry is what the order_items_geom trigger computes; the load session may run with
# triggers off (session_replication_role = replica), so the statement sets it itself.
LOAD_BATCH = """
WITH s AS MATERIALIZED (
  SELECT g.i, nextval(%(pk_seq)s::regclass) AS pk, gen_random_uuid()::text AS id,
         gen_random_uuid()::text AS item_id, gen_random_uuid()::text AS event_id,
         gen_random_uuid()::text AS item_event_id, gen_random_uuid()::text AS checkout_id,
         CASE WHEN g.i < 1000000 THEN lpad(g.i::text, 6, '0') ELSE g.i::text END AS number,
         a.age_days, %(now)s::timestamptz - make_interval(secs => a.age_days * 86400) AS created_at,
         pg_temp.rnd(g.i, %(salt)s + 2) AS u_status
  FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g(i)
  CROSS JOIN LATERAL (
    SELECT %(span_days)s * (1 - ((g.i - 1) + pg_temp.rnd(g.i, %(salt)s + 1)) / %(n)s) AS age_days
  ) AS a
  ORDER BY g.i
),
r AS (
  SELECT s.*, ({status_case}) AS status,
         round((-180 + 360 * pg_temp.rnd(s.i, %(salt)s + 6))::numeric, 5)::float8 AS lon,
         round((-60 + 130 * pg_temp.rnd(s.i, %(salt)s + 7))::numeric, 5)::float8 AS lat
  FROM s
),
t AS MATERIALIZED (
  SELECT r.*, m.order_event, m.order_details, m.payment_status, m.item_status, m.item_event,
         m.item_details, p.sku, p.level, p.priority, p.max_off_nadir, p.price, p.total,
         p.area_km2, site.name AS site,
         r.created_at + pg_temp.rnd(r.i, %(salt)s + 3)
           * least(%(now)s::timestamptz - r.created_at, m.max_delay) AS updated_at,
         date_trunc('hour', r.created_at)
           + make_interval(days => 1 + floor(pg_temp.rnd(r.i, %(salt)s + 4) * 3)::int)
           AS window_start,
         30 * (1 + floor(pg_temp.rnd(r.i, %(salt)s + 5) * 3)::int) AS window_days,
         jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(r.lon, r.lat))
           AS aoi,
         pg_temp.rnd(r.i, %(salt)s + 8) < 0.5 AS in_project
  FROM r
  JOIN bench_status AS m USING (status)
  JOIN bench_products AS p
    ON p.idx = floor(pg_temp.rnd(r.i, %(salt)s + 9) * %(n_products)s)::int
  JOIN bench_sites AS site
    ON site.idx = floor(pg_temp.rnd(r.i, %(salt)s + 10) * %(n_sites)s)::int
),
o AS (
  INSERT INTO orders (pk, id, number, organisation_id, contract_id, project_id, name, status,
                      kind, delivery, created_by, created_at, updated_at, latest_event,
                      quote_id, currency, total_amount, payment_status)
  SELECT t.pk, t.id, t.number, %(org)s::text, %(contract)s::text,
         CASE WHEN t.in_project THEN %(project)s::text END,
         'Tasking ' || t.site || ' ' || t.number, t.status, %(kind)s::text,
         '{{"method": "api"}}'::jsonb, %(client)s::text, t.created_at, t.updated_at,
         jsonb_build_object(
           'id', t.event_id, 'type', t.order_event,
           'details', CASE WHEN t.order_event = 'OrderPaymentRequired'
             THEN jsonb_build_object(
               'checkout_url', %(base_url)s::text || '/checkout/' || t.checkout_id)
             ELSE jsonb_build_object('status', t.status) || t.order_details END,
           'message', t.order_event || ' event occurred for order ' || t.number,
           'timestamp', pg_temp.iso(t.updated_at), 'entity_type', 'order',
           'entity_id', t.id, 'order_id', t.id, 'organisation_id', %(org)s::text),
         NULL, %(currency)s::text, t.total, t.payment_status
  FROM t ORDER BY t.i
)
INSERT INTO order_items (id, order_pk, organisation_id, position, kind, product, status, aoi,
                         min_x, min_y, max_x, max_y, options, spec, area_km2, price,
                         created_at, updated_at, latest_event, geom)
SELECT t.item_id, t.pk, %(org)s::text, 0, %(kind)s::text, t.sku, t.item_status, t.aoi,
       t.lon, t.lat, t.lon, t.lat, '{{}}'::jsonb,
       jsonb_build_object('tasking', jsonb_build_object(
         'window_start', pg_temp.iso(t.window_start),
         'window_end', pg_temp.iso(t.window_start + make_interval(days => t.window_days)),
         'max_off_nadir', t.max_off_nadir, 'max_cloud_cover', 20.0, 'priority', t.priority,
         'revisit_period', NULL, 'recurrence', NULL,
         'processing_levels', jsonb_build_array(t.level),
         'feasibility_status', 'UNSPECIFIED', 'last_feasibility_check', NULL)),
       t.area_km2, t.price, t.created_at, t.updated_at,
       CASE WHEN t.item_event IS NOT NULL THEN jsonb_build_object(
         'id', t.item_event_id, 'type', t.item_event, 'details', t.item_details,
         'message', t.item_event || ' event occurred for order ' || t.number,
         'timestamp', pg_temp.iso(t.updated_at), 'entity_type', 'item',
         'entity_id', t.item_id, 'order_id', t.id, 'organisation_id', %(org)s::text) END,
       ST_SetSRID(ST_GeomFromGeoJSON(t.aoi::text), 4326)
FROM t ORDER BY t.i
"""

# Indexes and unique constraints of the loaded tables (not primary keys: foreign keys need
# them) are dropped before the load and rebuilt after it, which is much faster than
# maintaining them row by row; the DDL comes from the migrated schema itself.
DEFERRED_INDEXES = """
SELECT i.indexname, format('DROP INDEX %I', i.indexname), i.indexdef
FROM pg_indexes AS i
WHERE i.schemaname = current_schema() AND i.tablename IN ('orders', 'order_items')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)
UNION ALL
SELECT c.conname, format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname, c.conname),
       format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, c.conname,
              pg_get_constraintdef(c.oid))
FROM pg_constraint AS c JOIN pg_class AS t ON t.oid = c.conrelid
WHERE c.contype = 'u' AND t.relname IN ('orders', 'order_items')
  AND t.relnamespace = current_schema()::regnamespace
ORDER BY 1
"""


def log(message: str) -> None:
    """Progress and diagnostics: stderr only (stdout carries the one JSON result)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Tenant:
    """A provisioned organisation and how many orders it gets."""

    creds: dict[str, Any]
    orders: int

    @property
    def org_id(self) -> str:
        """The organisation's id."""
        return str(self.creds["organisation_id"])


# --- database -------------------------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    """The URL of database ``name`` on the server ``admin_url`` points at."""
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    """Drop database ``name`` if present (closing its sessions), then create it afresh."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def bench_settings(url: str, data_dir: Path) -> Settings:
    """Settings for in-process use of the benchmark database (real clock)."""
    return Settings.model_validate(
        {"data_dir": data_dir, "database_url": url, "sandbox": False, "jwt_secret": "b" * 48}
    )


def provision(url: str, data_dir: Path, orders: int, others: int) -> list[Tenant]:
    """Migrate the database and create the benchmarked organisation plus ``others`` more."""
    runtime = build_runtime(bench_settings(url, data_dir))
    try:
        tenants = []
        for index in range(others + 1):
            name = BENCH_ORG if index == 0 else f"Neighbour Organisation {index}"
            creds = provision_organisation(
                runtime.uow,
                runtime.clock,
                name,
                "http://127.0.0.1",
                ContractTerms(name=f"{name} contract"),
            )
            tenants.append(Tenant(creds, orders if index == 0 else max(1, orders // 10)))
        return tenants
    finally:
        runtime.close()


def _status_case() -> str:
    """SQL choosing an order's status from its age (``age_days``) and ``u_status``."""
    branches = []
    for max_age, mix in STATUS_MIX:
        assert abs(sum(share for _, share in mix) - 1) < 1e-9, "a status mix must add up to 1"
        cumulative, whens = 0.0, []
        for status, share in mix[:-1]:
            cumulative += share
            whens.append(f"WHEN s.u_status < {cumulative!r} THEN '{status.value}'")
        inner = f"CASE {' '.join(whens)} ELSE '{mix[-1][0].value}' END"
        condition = "TRUE" if math.isinf(max_age) else f"s.age_days < {max_age!r}"
        branches.append(f"WHEN {condition} THEN {inner}")
    return f"CASE {' '.join(branches)} END"


def item_choices(url: str, data_dir: Path, tenant: Tenant) -> tuple[list[ItemChoice], str]:
    """Every orderable tasking product and level, priced for ``tenant``'s contract; currency.

    The AOI is a Point, so the price does not depend on where it is: the pricing engine
    (``price_request``, as order placement uses it) bills the product's minimum area.
    """
    contract_id = str(tenant.creds["contract_id"])
    principal = Principal(tenant.org_id, "bench", (contract_id,), contract_id)
    runtime = build_runtime(bench_settings(url, data_dir))
    try:
        with runtime.uow(readonly=True) as uow:
            products = uow.products.all()
            contract = uow.tenants.get_contract(principal, contract_id)
    finally:
        runtime.close()
    assert contract is not None
    start = datetime(2030, 1, 1, tzinfo=UTC)
    choices = []
    for product in products.values():
        if product.kind is not ItemKind.TASKING:
            continue
        rush = product.properties.get("priority") == "rush"
        for level in product.processing_levels:
            request = TaskingItemRequest(
                product=product.sku,
                aoi={"type": "Point", "coordinates": [0.0, 0.0]},
                window_start=start,
                window_end=start + timedelta(days=30),
                max_off_nadir=min(25.0, product.max_off_nadir),
                max_cloud_cover=20.0,
                priority=Priority.RUSH if rush else Priority.STANDARD,
                processing_levels=(level,),
            )
            try:
                line = price_request((request,), contract, products, lambda _c, _i: None)
            except ValidationFailed:
                continue  # not priced: not orderable
            price = line.items[0].price
            choices.append(
                ItemChoice(
                    product.sku,
                    level,
                    request.priority,
                    min(25.0, product.max_off_nadir),
                    line_to_json(price),
                    price.total,
                    price.areas.billable_km2,
                )
            )
    if not choices:
        raise SystemExit("no tasking product of the catalogue can be priced")
    return choices, contract.currency


def _install_helpers(conn: psycopg.Connection[Any], choices: Sequence[ItemChoice]) -> None:
    """Create the session's helper functions and lookup tables."""
    conn.execute(HELPERS)
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO bench_status VALUES (%s, %s, %s::jsonb, %s, %s, %s, %s::jsonb, %s)",
            [
                (
                    status.value,
                    shape.order_event,
                    json.dumps(shape.order_details),
                    shape.payment_status.value,
                    shape.item_status.value,
                    shape.item_event,
                    json.dumps(shape.item_details),
                    shape.max_delay,
                )
                for status, shape in STATUS_SHAPES.items()
            ],
        )
        cur.executemany(
            "INSERT INTO bench_products VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s)",
            [
                (
                    i,
                    c.sku,
                    c.level,
                    c.priority.value,
                    Decimal(repr(c.max_off_nadir)),  # keeps JSON 25.0 (not 25), as json.dumps
                    json.dumps(c.price),
                    c.total,
                    c.area_km2,
                )
                for i, c in enumerate(choices)
            ],
        )
        cur.executemany("INSERT INTO bench_sites VALUES (%s, %s)", list(enumerate(SITES)))


def _tune_session(conn: psycopg.Connection[Any]) -> None:
    """Settings for one bulk-loading session; skip triggers when allowed (superuser)."""
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET jit = off")
    conn.execute("SET work_mem = '256MB'")
    conn.execute("SET maintenance_work_mem = '512MB'")
    try:
        conn.execute("SET session_replication_role = replica")
    except psycopg.errors.InsufficientPrivilege:
        log("not a superuser: loading with triggers and foreign-key checks (slower)")


def _drop_indexes(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    """Drop the deferred indexes; return (name, DDL that recreates it) for each."""
    deferred = [(str(n), str(drop), str(ddl)) for n, drop, ddl in conn.execute(DEFERRED_INDEXES)]
    for _, drop, _ in deferred:
        conn.execute(drop)  # built by format() in the catalog query
    return [(name, ddl) for name, _, ddl in deferred]


def _rebuild_indexes(conn: psycopg.Connection[Any], definitions: Sequence[tuple[str, str]]) -> None:
    for name, definition in definitions:
        began = time.monotonic()
        conn.execute(definition)  # the migrated schema's own DDL
        log(f"built index {name} ({time.monotonic() - began:.1f} s)")


def load_orders(
    url: str,
    tenants: Sequence[Tenant],
    catalogue: tuple[Sequence[ItemChoice], str],
    now: datetime,
    seed: int,
) -> None:
    """Bulk-load every tenant's orders and items, set order sequences and tallies, VACUUM."""
    choices, currency = catalogue
    statement = LOAD_BATCH.format(status_case=_status_case())
    total = sum(t.orders for t in tenants)
    done, started = 0, time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        _tune_session(conn)
        _install_helpers(conn, choices)
        indexes = _drop_indexes(conn)
        pk_seq = conn.execute("SELECT pg_get_serial_sequence('orders', 'pk')").fetchone()
        assert pk_seq is not None
        for index, tenant in enumerate(tenants):
            params: dict[str, Any] = {
                "pk_seq": pk_seq[0],
                "now": now,
                "span_days": HISTORY.total_seconds() / 86400,
                "n": tenant.orders,
                "salt": seed * 1000 + index * 16,
                "org": tenant.org_id,
                "contract": tenant.creds["contract_id"],
                "project": tenant.creds["project_id"],
                "client": tenant.creds["client_id"],
                "kind": ItemKind.TASKING.value,
                "n_products": len(choices),
                "currency": currency,
                "base_url": "http://127.0.0.1:8000",
                "n_sites": len(SITES),
            }
            for lo in range(1, tenant.orders + 1, BATCH):
                hi = min(tenant.orders, lo + BATCH - 1)
                conn.execute(statement, {**params, "lo": lo, "hi": hi})
                done += hi - lo + 1
                elapsed = time.monotonic() - started
                log(
                    f"loaded {done:,}/{total:,} orders ({elapsed:.0f} s, "
                    f"{done / elapsed:,.0f} orders/s)"
                )
            conn.execute(
                "UPDATE organisations SET order_sequence = %s WHERE id = %s",
                (tenant.orders, tenant.org_id),
            )
        _rebuild_indexes(conn, indexes)
        log("tallying orders per contract, status and day (what the repository keeps up)")
        for tallied in ("created_at", "updated_at"):
            day = f"({tallied} AT TIME ZONE 'UTC')::date"
            conn.execute(
                "INSERT INTO order_tallies (organisation_id, contract_id, field, status, day, n) "
                f"SELECT organisation_id, contract_id, '{tallied}', status, {day}, count(*) "
                f"FROM orders GROUP BY organisation_id, contract_id, status, {day}"
            )
        log("VACUUM ANALYZE orders, order_items, order_tallies")
        conn.execute("VACUUM (ANALYZE) orders")
        conn.execute("VACUUM (ANALYZE) order_items")
        conn.execute("VACUUM (ANALYZE) order_tallies")


def match_count(url: str, org_id: str, since: datetime) -> int:
    """How many orders the benchmarked request matches, counted directly."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM orders WHERE organisation_id = %s "
            "AND status = 'in_progress' AND updated_at >= %s",
            (org_id, since),
        ).fetchone()
    assert row is not None
    return int(row[0])


@contextmanager
def _captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Record every statement (with parameters) executed on ``engine``."""
    captured: list[tuple[str, Any]] = []

    def before(
        _conn: Connection, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool
    ) -> None:
        captured.append((statement, params))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", before)


def explain(url: str, data_dir: Path, tenant: Tenant, params: dict[str, str]) -> None:
    """EXPLAIN ANALYZE each statement ``OrderRepository.list`` emits for the request."""
    runtime = build_runtime(bench_settings(url, data_dir))
    principal = Principal(tenant.org_id, tenant.creds["client_id"], (tenant.creds["contract_id"],))
    query = parse_list_query(params, ORDER_FILTERS, spatial=True)
    try:
        with runtime.engine.connect() as conn:
            with _captured(runtime.engine) as statements:
                OrderRepository(conn, runtime.uow.sealer).list(principal, query)
            for statement, bound in statements:
                plan = conn.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + statement, bound
                ).scalars()
                log("EXPLAIN ANALYZE\n" + statement + "\n" + "\n".join(plan))
            conn.rollback()
    finally:
        runtime.close()


# --- server ---------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(url: str, data_dir: Path) -> Iterator[str]:
    """Run ``skyorder serve`` on a free loopback port; yield its base URL once healthy."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "skyorder.cli",
        "serve",
        "--data-dir",
        str(data_dir),
        "--database-url",
        url,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-demo",
        "--real-clock",
    ]
    log_path = data_dir / "server.log"
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(proc, base, log_path)
            log(f"server up on {base} (pid {proc.pid}, log {log_path})")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(proc: subprocess.Popen[bytes], base: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)


# --- load generation ------------------------------------------------------------------------


@dataclass
class Worker:
    """One client thread's measurements."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    last_done: float = 0.0


@dataclass(frozen=True)
class Request:
    """The benchmarked request and what a correct answer looks like."""

    base_url: str
    api_key: str
    params: dict[str, str]
    expected_count: int


def _check(response: httpx.Response, request: Request) -> str | None:
    """Why ``response`` is not a correct answer, or None."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    body = response.json()
    want = min(PAGE, request.expected_count)
    if len(body["results"]) != want or body["count"] != request.expected_count:
        got = f"{len(body['results'])} results of {body['count']}"
        return f"got {got}, want {want} of {request.expected_count}"
    return None


def _run_worker(
    request: Request,
    worker: Worker,
    start: threading.Barrier,
    measure_from: list[float],
    stop: list[float],
) -> None:
    with httpx.Client(
        base_url=request.base_url, headers={"X-API-Key": request.api_key}, timeout=30
    ) as client:
        start.wait()
        while (began := time.perf_counter()) < stop[0]:
            try:
                response = client.get("/v1/orders", params=request.params)
                problem = _check(response, request)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            done = time.perf_counter()
            if began >= measure_from[0]:
                worker.latencies.append(done - began)
                worker.last_done = done
                if problem is not None:
                    worker.errors.append(problem)
            elif problem is not None:
                worker.errors.append(f"(warm-up) {problem}")


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def measure(request: Request, concurrency: int, warmup: float, duration: float) -> dict[str, Any]:
    """Run ``concurrency`` clients for ``warmup`` + ``duration`` seconds; summarise latencies."""
    workers = [Worker() for _ in range(concurrency)]
    barrier = threading.Barrier(concurrency + 1)
    measure_from, stop = [math.inf], [math.inf]
    threads = [
        threading.Thread(target=_run_worker, args=(request, w, barrier, measure_from, stop))
        for w in workers
    ]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    measure_from[0], stop[0] = now + warmup, now + warmup + duration
    barrier.wait()
    for thread in threads:
        thread.join()
    latencies = [x for w in workers for x in w.latencies]
    errors = [e for w in workers for e in w.errors]
    for problem in sorted(set(errors))[:5]:
        log(f"c{concurrency} error: {problem}")
    wall = max((w.last_done for w in workers), default=0.0) - measure_from[0]
    result = {
        "requests": len(latencies),
        "errors": len(errors),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
        "rps": round(len(latencies) / wall, 1) if wall > 0 else 0.0,
    }
    log(f"c{concurrency}: {result}")
    return result


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders of the tenant")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per concurrency")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--days", type=int, default=30, help="updated_at__gte = now - DAYS")
    parser.add_argument("--other-orgs", type=int, default=3, help="neighbours with orders/10")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("SKYORDER_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL),
        help="a database on the PostgreSQL server to create the benchmark database from",
    )
    parser.add_argument("--database", default="skyorder_bench_orders", help="database name")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip creating and loading: measure a database kept by an earlier --keep run",
    )
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the repository's SQL (stderr)"
    )
    args = parser.parse_args(argv)
    if args.orders < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("--orders must be >= 1, --duration > 0 and --warmup >= 0")
    return args


def _mark_loaded(url: str, name: str, record: dict[str, Any]) -> None:
    """Remember how the database was loaded (for ``--reuse``) in its comment."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(json.dumps({"skyorder_bench": record}))
            )
        )


def reuse(url: str, data_dir: Path) -> tuple[Tenant, dict[str, Any]]:
    """The benchmarked tenant of a database an earlier ``--keep`` run loaded, with a new key."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        ).fetchone()
        org = conn.execute(
            "SELECT o.id, c.id FROM organisations AS o JOIN contracts AS c "
            "ON c.organisation_id = o.id WHERE o.name = %s ORDER BY c.created_at LIMIT 1",
            (BENCH_ORG,),
        ).fetchone()
    if row is None or not row[0] or org is None:
        raise SystemExit(f"{url} was not loaded by this benchmark; run once with --keep")
    record: dict[str, Any] = json.loads(row[0])["skyorder_bench"]
    runtime = build_runtime(bench_settings(url, data_dir))
    try:
        with runtime.uow() as uow:
            creds = create_client(uow, runtime.clock, org[0], "bench reuse client")
            uow.commit()
    finally:
        runtime.close()
    tenant = Tenant(
        {
            "organisation_id": org[0],
            "contract_id": org[1],
            "client_id": creds.client_id,
            "api_key": creds.api_key,
        },
        int(record["orders"]),
    )
    return tenant, record


def prepare(args: argparse.Namespace, url: str, data_dir: Path) -> tuple[Tenant, dict[str, Any]]:
    """Create, provision and load the database (or reuse one); describe the load."""
    if args.reuse:
        log(f"reusing database {args.database}")
        return reuse(url, data_dir)
    log(f"creating database {args.database}")
    recreate_database(args.admin_url, args.database)
    tenants = provision(url, data_dir, args.orders, args.other_orgs)
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.monotonic()
    load_orders(url, tenants, item_choices(url, data_dir, tenants[0]), now, args.seed)
    record = {
        "now": now.isoformat(),
        "orders": args.orders,
        "other_orders": sum(t.orders for t in tenants[1:]),
        "seed": args.seed,
        "load_seconds": round(time.monotonic() - started, 1),
    }
    _mark_loaded(url, args.database, record)
    return tenants[0], record


def run(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Create and load the database, then benchmark the server against it."""
    url = database_url(args.admin_url, args.database)
    tenant, record = prepare(args, url, data_dir)
    since = datetime.fromisoformat(record["now"]) - timedelta(days=args.days)
    params = {
        "status": OrderStatus.IN_PROGRESS.value,
        "updated_at__gte": since.isoformat().replace("+00:00", "Z"),
        "limit": str(PAGE),
    }
    matches = match_count(url, tenant.org_id, since)
    log(f"load: {record}; the request matches {matches:,} orders: {params}")
    if args.explain:
        explain(url, data_dir, tenant, params)
    results: dict[str, dict[str, Any]] = {}
    with server(url, data_dir) as base:
        request = Request(base, tenant.creds["api_key"], params, matches)
        log(f"load average before measuring: {os.getloadavg()} on {os.cpu_count()} CPUs")
        for concurrency in CONCURRENCIES:
            results[f"c{concurrency}"] = measure(request, concurrency, args.warmup, args.duration)
    c1 = results["c1"]
    errors = sum(r["errors"] for r in results.values())
    return {
        "orders": record["orders"],
        "other_orders": record["other_orders"],
        "match_count": matches,
        "load_seconds": None if args.reuse else record["load_seconds"],
        **{f"{name}_{k}": v for name, r in results.items() for k, v in r.items()},
        "target_p99_ms_c1": TARGET_P99_MS_C1,
        "target_met": errors == 0 and c1["p99_ms"] is not None and c1["p99_ms"] <= TARGET_P99_MS_C1,
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print one JSON line; exit 1 if any request was wrong."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="skyorder-bench-") as tmp:
        try:
            result = run(args, Path(tmp))
        finally:
            if args.keep:
                log(f"keeping database {args.database}")
            else:
                log(f"dropping database {args.database}")
                recreate_database(args.admin_url, args.database, drop_only=True)
    print(json.dumps(result), flush=True)
    return 1 if result["c1_errors"] or result["c16_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
