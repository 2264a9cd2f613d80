"""The relational schema (SQLAlchemy Core). Migrations under ``migrations/`` create it.

Geometry is kept as GeoJSON plus a bounding box. Each database indexes it its
own way, maintained by triggers the migrations install: PostGIS fills a
``geom`` column indexed with GiST; SQLite fills an R*Tree virtual table.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from skyorder.store.types import UTCDateTime, json_type

metadata = MetaData()

ID = 36  # canonical UUID length
ENTITY_ID = 301
EMAIL = 254
PK = BigInteger().with_variant(Integer(), "sqlite")


def _id() -> Column[str]:
    return Column("id", String(ID), primary_key=True)


def _org_fk() -> Column[str]:
    return Column(
        "organisation_id", String(ID), ForeignKey("organisations.id"), nullable=False, index=True
    )


def _actor(event: str, client: bool = True) -> list[Column[str]]:
    """Who ``event`` ("created", "updated") a row: API client, and its user if it has one."""
    columns = [
        Column(f"{event}_by_user_id", String(ID), nullable=True),
        Column(f"{event}_by_email", String(EMAIL), nullable=True),
    ]
    return [Column(f"{event}_by", String(64), nullable=True), *columns] if client else columns


def _bbox() -> list[Column[float]]:
    return [Column(n, Float, nullable=True) for n in ("min_x", "min_y", "max_x", "max_y")]


organisations = Table(
    "organisations",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("order_sequence", Integer, nullable=False, default=0),
    Column("task_sequence", Integer, nullable=False, default=0, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    # Nullable in the schema only: every row has one (migration 0013 numbered the old ones).
    Column("number", Integer, nullable=True),
    Index("uq_organisations_number", "number", unique=True),
)

contracts = Table(
    "contracts",
    metadata,
    _id(),
    Column(
        "organisation_id", String(ID), ForeignKey("organisations.id"), nullable=False, index=True
    ),
    Column("name", String(200), nullable=False),
    Column("billing", String(20), nullable=False),
    Column("currency", String(10), nullable=False),
    Column("payment_mode", String(20), nullable=False),
    Column("allowed_products", json_type(), nullable=False),
    Column("valid_from", UTCDateTime, nullable=True),
    Column("valid_until", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("charge_on", String(20), nullable=False, server_default="delivery"),
    Column("discount_percentage", String(20), nullable=False, server_default="0"),
    Column("number", Integer, nullable=True),  # as organisations.number
    Index("uq_contracts_number", "number", unique=True),
)

projects = Table(
    "projects",
    metadata,
    _id(),
    Column(
        "organisation_id", String(ID), ForeignKey("organisations.id"), nullable=False, index=True
    ),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
)

api_clients = Table(
    "api_clients",
    metadata,
    _id(),
    Column(
        "organisation_id", String(ID), ForeignKey("organisations.id"), nullable=False, index=True
    ),
    Column("name", String(200), nullable=False),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("secret_hash", String(200), nullable=False),
    Column("api_key_hash", String(64), nullable=False, unique=True),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("roles", String(200), nullable=False, server_default="customer"),
    Column("created_at", UTCDateTime, nullable=False),
    # The user the client belongs to; null for a service account of the organisation.
    Column("user_id", String(ID), ForeignKey("users.id"), nullable=True),
)

users = Table(
    "users",
    metadata,
    _id(),
    _org_fk(),
    Column("email", String(EMAIL), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Console sign-in: an argon2 hash, and the hash of a one-time invitation token.
    Column("password_hash", String(200), nullable=True),
    Column("invitation_hash", String(64), nullable=True),
    Column("invitation_expires_at", UTCDateTime, nullable=True),
    UniqueConstraint("organisation_id", "email", name="uq_users_org_email"),
    Index("ix_users_invitation_hash", "invitation_hash", unique=True),
    Index("ix_users_email", "email"),
)

products = Table(
    "products",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("collection", String(100), nullable=True),
    Column("sensor", String(100), nullable=True),
    Column("processing_levels", json_type(), nullable=False),
    Column("parameters", json_type(), nullable=False),
    Column("max_off_nadir", Float, nullable=False),
    Column("min_area_km2", Float, nullable=False),
    Column("properties", json_type(), nullable=False),
    Column("pricing", json_type(), nullable=True),
    Column("licences", json_type(), nullable=True),
)

orders = Table(
    "orders",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("number", String(20), nullable=False),
    Column("organisation_id", String(ID), ForeignKey("organisations.id"), nullable=False),
    Column("contract_id", String(ID), ForeignKey("contracts.id"), nullable=False),
    Column("project_id", String(ID), ForeignKey("projects.id"), nullable=True),
    Column("name", String(200), nullable=False),
    Column("status", String(30), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("delivery", json_type(), nullable=False),
    Column("created_by", String(64), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("latest_event", json_type(), nullable=True),
    Column("quote_id", String(ID), nullable=True),
    Column("currency", String(10), nullable=True),
    Column("total_amount", BigInteger, nullable=True),
    Column("payment_status", String(30), nullable=True),
    *_actor("created", client=False),
    Column(
        "licences", json_type(), nullable=True
    ),  # created_by (the client) is above, from the start
    *_actor("updated"),
    UniqueConstraint("organisation_id", "number", name="uq_orders_org_number"),
    Index("ix_orders_org_status_updated", "organisation_id", "status", "updated_at"),
    Index("ix_orders_org_updated", "organisation_id", "updated_at"),
    Index("ix_orders_org_created", "organisation_id", "created_at"),
    Index("ix_orders_org_name", "organisation_id", "name"),
    Index(
        "ix_orders_org_status_created",
        "organisation_id",
        "status",
        "created_at",
        "pk",
        postgresql_include=["updated_at"],
    ),
)

order_tallies = Table(
    "order_tallies",
    metadata,
    Column("organisation_id", String(ID), nullable=False),
    Column("contract_id", String(ID), nullable=False),
    Column("field", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("day", Date, nullable=False),
    Column("n", BigInteger, nullable=False),
    PrimaryKeyConstraint("organisation_id", "field", "status", "day", "contract_id"),
)
"""Orders per contract, status and UTC day of creation / last update (core/tallies.py)."""

order_items = Table(
    "order_items",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("order_pk", PK, ForeignKey("orders.pk"), nullable=False, index=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("product", String(64), nullable=False),
    Column("status", String(30), nullable=False),
    Column("aoi", json_type(), nullable=True),
    *_bbox(),
    Column("options", json_type(), nullable=False),
    Column("spec", json_type(), nullable=False),
    Column("area_km2", Float, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("latest_event", json_type(), nullable=True),
    Column("price", json_type(), nullable=True),
    *_actor("created"),
    *_actor("updated"),
    Column("task_id", String(32), nullable=True),
    Index("ix_items_product_order", "product", "order_pk"),
    Index("ix_items_org_task_id", "organisation_id", "task_id"),
    Column("name", String(200), nullable=True),
    Column("validation_errors", json_type(), nullable=True),
    Index("ix_items_org_created", "organisation_id", "created_at"),
    Column("cloud_delivery", json_type(), nullable=True),
    Column("cloud_config_id", String(ID), nullable=True),
    Index("ix_items_cloud_config_id", "cloud_config_id"),
)

cloud_delivery_configs = Table(
    "cloud_delivery_configs",
    metadata,
    _id(),
    _org_fk(),
    Column("name", String(100), nullable=False),
    Column("bucket", String(63), nullable=False),
    Column("prefix", String(500), nullable=False),
    Column("access_key_id", String(200), nullable=False),
    Column("secret_access_key", Text, nullable=False),
    Column("endpoint_url", String(500), nullable=True),
    Column("region", String(40), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    *_actor("created"),
    UniqueConstraint("organisation_id", "name", name="uq_cloud_delivery_configs_org_name"),
)

order_tasks = Table(
    "order_tasks",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("order_id", String(ID), nullable=False, index=True),
    Column("item_id", String(ID), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("start", UTCDateTime, nullable=True),
    Column("end", UTCDateTime, nullable=True),
    Column("status", String(30), nullable=False),
    Column("number_of_strips", Integer, nullable=True),
    Column("tokens_used", BigInteger, nullable=True),
    Column("transaction_id", String(ID), nullable=True),
    Column("delivery_status", String(20), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    *_actor("created"),
    *_actor("updated"),
    UniqueConstraint("item_id", "position", name="uq_order_tasks_item_position"),
)

captures = Table(
    "captures",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("order_pk", PK, ForeignKey("orders.pk"), nullable=False, index=True),
    Column("item_id", String(ID), nullable=False),
    Column("satellite", String(64), nullable=False),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Column("status", String(30), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("ground_track", json_type(), nullable=True),
    Column("footprint", json_type(), nullable=True),
    *_bbox(),
    Column("metadata", json_type(), nullable=False),
    Column("cloud_cover", Float, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("latest_event", json_type(), nullable=True),
    *_actor("created"),
    *_actor("updated"),
    Index("ix_captures_org_status_start", "organisation_id", "status", "start"),
    Index("ix_captures_org_start", "organisation_id", "start"),
)

deliverables = Table(
    "deliverables",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("contract_id", String(ID), nullable=False),
    Column("order_pk", PK, ForeignKey("orders.pk"), nullable=False, index=True),
    Column("item_id", String(ID), nullable=False),
    Column("capture_id", String(ID), nullable=True),
    Column("processing_level", String(40), nullable=False),
    Column("status", String(30), nullable=False),
    Column("footprint", json_type(), nullable=True),
    *_bbox(),
    Column("assets", json_type(), nullable=False),
    Column("metadata", json_type(), nullable=True),
    Column("billing_details", json_type(), nullable=True),
    Column("tags", json_type(), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("rejected_at", UTCDateTime, nullable=True),
    Column("latest_event", json_type(), nullable=True),
    *_actor("created"),
    *_actor("updated"),
    Index("ix_deliverables_org_status_delivered", "organisation_id", "status", "delivered_at"),
    Index("ix_deliverables_org_delivered", "organisation_id", "delivered_at"),
    Column("scene_id", String(200), nullable=True),
)

events = Table(
    "events",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("entity_type", String(20), nullable=False),
    # an entity's id; a catalogue item's is "<collection>/<item>" (100 + 1 + 200 characters)
    Column("entity_id", String(ENTITY_ID), nullable=False),
    Column("order_id", String(ID), nullable=True),
    Column("type", String(60), nullable=False),
    Column("details", json_type(), nullable=False),
    Column("message", Text, nullable=False),
    Column("timestamp", UTCDateTime, nullable=False),
    Index("ix_events_org_timestamp", "organisation_id", "timestamp"),
    Index("ix_events_order", "order_id", "pk"),
    Index("ix_events_entity", "entity_id", "pk"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("organisation_id", String(ID), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("order_id", String(ID), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

agenda = Table(
    "agenda",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("kind", String(60), nullable=False),
    Column("entity_id", String(ID), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("attempt", Integer, nullable=False, default=0),
    Column("state", String(20), nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime, nullable=True),
    # Whose sandbox time the step runs on (None: the server's).
    Column("organisation_id", String(ID), nullable=True),
    UniqueConstraint("kind", "entity_id", "due_at", name="uq_agenda_step"),
    Index("ix_agenda_state_due", "state", "due_at"),
    Index("ix_agenda_org_state_due", "organisation_id", "state", "due_at"),
)

clock_state = Table(
    "clock_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("offset_seconds", Float, nullable=False),
)

organisation_clocks = Table(
    "organisation_clocks",
    metadata,
    Column(
        "organisation_id",
        String(ID),
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # How far the organisation's sandbox time runs ahead of the server's.
    Column("offset_seconds", Float, nullable=False),
    # How many times an admin put it back on the server's time (migration 0024).
    Column("resets", Integer, nullable=False, server_default="0"),
)

secret_seal = Table(
    "secret_seal",
    metadata,
    Column("id", Integer, primary_key=True),
    # The key every stored secret was sealed with at the last sweep (see store/sealing.py).
    Column("key_id", String(32), nullable=False),
)

quotes = Table(
    "quotes",
    metadata,
    _id(),
    Column("organisation_id", String(ID), nullable=False),
    Column("contract_id", String(ID), ForeignKey("contracts.id"), nullable=False),
    Column("created_by", String(64), nullable=True),
    Column("currency", String(10), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("request", json_type(), nullable=False),
    Column("lines", json_type(), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("order_id", String(ID), nullable=True),
    Index("ix_quotes_org_created", "organisation_id", "created_at"),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("transaction_id", String(ID), nullable=False, index=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("contract_id", String(ID), ForeignKey("contracts.id"), nullable=False),
    Column("account", String(20), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("order_id", String(ID), nullable=True),
    Column("item_id", String(ID), nullable=True),
    Column("deliverable_id", String(ID), nullable=True, index=True),
    Column("memo", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_ledger_contract_account", "contract_id", "account"),
    Index("ix_ledger_order", "order_id"),
)

monthly_statements = Table(
    "monthly_statements",
    metadata,
    _id(),
    _org_fk(),
    Column("contract_id", String(ID), ForeignKey("contracts.id"), nullable=False),
    Column("month", String(7), nullable=False),
    Column("period_start", UTCDateTime, nullable=False),
    Column("period_end", UTCDateTime, nullable=False),
    Column("currency", String(10), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("lines", json_type(), nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    UniqueConstraint("contract_id", "month", name="uq_monthly_statements_contract_month"),
)

contract_balances = Table(
    "contract_balances",
    metadata,
    Column("contract_id", String(ID), ForeignKey("contracts.id"), nullable=False),
    Column("account", String(20), nullable=False),
    Column("amount", BigInteger, nullable=False),
    PrimaryKeyConstraint("contract_id", "account"),
    CheckConstraint(
        "account <> 'available' OR amount >= 0", name="ck_contract_balances_available_not_negative"
    ),
)
"""Each contract's ledger summed per account, kept by triggers on ``ledger_entries``
(migration 0022), so a balance is one indexed read whatever the ledger's length; the
database refuses an available balance below zero (migration 0023)."""

checkouts = Table(
    "checkouts",
    metadata,
    _id(),
    Column("organisation_id", String(ID), nullable=False),
    Column("order_id", String(ID), nullable=False, unique=True),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime, nullable=True),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), ForeignKey("organisations.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("event_types", json_type(), nullable=True),  # null: every event
    Column("description", Text, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("secret", Text, nullable=False),  # sealed (store/sealing.py)
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_webhook_subscriptions_org_enabled", "organisation_id", "enabled"),
    Index("ix_webhook_subscriptions_org_pk", "organisation_id", "pk"),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("subscription_id", String(ID), ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("event_id", String(ID), nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", json_type(), nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_webhook_deliveries_subscription", "subscription_id", "pk"),
    Index("ix_webhook_deliveries_subscription_status", "subscription_id", "status", "pk"),
)

opportunity_searches = Table(
    "opportunity_searches",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("request", json_type(), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    Column("result", json_type(), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_opportunity_searches_org", "organisation_id", "pk"),
)

km2_subscriptions = Table(
    "km2_subscriptions",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("organisation_id", String(ID), nullable=False),
    Column("contract_id", String(ID), ForeignKey("contracts.id"), nullable=False),
    Column("quota_km2", Float, nullable=False),
    Column("period_months", Integer, nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_km2_subscriptions_contract", "contract_id"),
)

# What orders drew from a subscription's period (a cancelled order's draw is given back).
subscription_draws = Table(
    "subscription_draws",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=True),
    Column("subscription_id", String(ID), nullable=False),
    Column("organisation_id", String(ID), nullable=False),
    Column("order_id", String(ID), nullable=False, unique=True),
    Column("period_start", UTCDateTime, nullable=False),
    Column("km2", Float, nullable=False),
    Column("given_back_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_subscription_draws_period", "subscription_id", "period_start"),
)
