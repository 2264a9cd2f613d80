"""What every repository shares: tenant scoping, filter translation, paging, events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Table, func, select
from sqlalchemy.engine import Connection

from skyorder.core.events import EntityType, Event
from skyorder.core.geometry import bbox_of
from skyorder.core.listing import Condition, ListQuery, Op
from skyorder.core.tenants import Principal
from skyorder.core.users import Actor
from skyorder.store import tables as t
from skyorder.store.webhook_outbox import fan_out


def scoped(
    table: Table, principal: Principal, contract_column: str | None = None
) -> ColumnElement[bool]:
    """The tenant condition: rows of the caller's organisation (and chosen contract)."""
    cond = table.c.organisation_id == principal.organisation_id
    if contract_column is not None and principal.contract_id is not None:
        cond = cond & (table.c[contract_column] == principal.contract_id)
    return cond


def actor_columns(event: str, actor: Actor | None) -> dict[str, str | None]:
    """The stored form of who ``event`` ("created", "updated") a row."""
    return {
        f"{event}_by": actor.client_id if actor else None,
        f"{event}_by_user_id": actor.user_id if actor else None,
        f"{event}_by_email": actor.email if actor else None,
    }


@lru_cache(maxsize=4096)
def _actor(client_id: str | None, user_id: str | None, email: str | None) -> Actor | None:
    # Actors are immutable and few (a page of 25 orders names the same one 100 times).
    return Actor.of(client_id, user_id, email)


_ACTOR_COLUMNS = {
    e: (f"{e}_by", f"{e}_by_user_id", f"{e}_by_email") for e in ("created", "updated")
}


def actor_from(row: Any, event: str) -> Actor | None:
    """Who ``event`` ("created", "updated") a row, from its stored form."""
    client, user, email = _ACTOR_COLUMNS[event]
    return _actor(getattr(row, client), getattr(row, user), getattr(row, email))


def condition_sql(column: Any, cond: Condition) -> ColumnElement[bool]:
    """Translate one parsed filter into SQL on ``column``."""
    value = cond.value
    match cond.op:
        case Op.IN:
            assert isinstance(value, tuple)
            return column.in_(value)  # type: ignore[no-any-return]
        case Op.GT:
            return column > value  # type: ignore[no-any-return]
        case Op.GTE:
            return column >= value  # type: ignore[no-any-return]
        case Op.LT:
            return column < value  # type: ignore[no-any-return]
        case Op.LTE:
            return column <= value  # type: ignore[no-any-return]
        case Op.CONTAINS:
            return func.lower(column).contains(str(value).lower(), autoescape=True)
        case Op.NE:
            return column.is_distinct_from(value)  # type: ignore[no-any-return]
        case _:
            return column == value  # type: ignore[no-any-return]


def apply_conditions(
    stmt: Select[Any], columns: Mapping[str, Any], query: ListQuery
) -> Select[Any]:
    """Add every condition of ``query`` whose field maps to a column."""
    for cond in query.conditions:
        column = columns.get(cond.field)
        if column is not None:
            stmt = stmt.where(condition_sql(column, cond))
    return stmt


def count(conn: Connection, stmt: Select[Any]) -> int:
    """Count the rows ``stmt`` would return."""
    return int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())


def page_rows(
    conn: Connection, stmt: Select[Any], query: ListQuery, *order_by: Any
) -> tuple[int, list[Row[Any]]]:
    """The total number of matches and the rows of the requested page."""
    total = count(conn, stmt)
    rows = conn.execute(stmt.order_by(*order_by).limit(query.limit).offset(query.offset)).all()
    return total, list(rows)


def bbox_columns(geojson: Mapping[str, Any] | None) -> dict[str, float | None]:
    """The bounding-box columns of a geometry-bearing row (all None without geometry)."""
    if not geojson:
        return {"min_x": None, "min_y": None, "max_x": None, "max_y": None}
    box = bbox_of(dict(geojson))
    return {"min_x": box.west, "min_y": box.south, "max_x": box.east, "max_y": box.north}


def event_json(event: Event | None) -> dict[str, Any] | None:
    """An event as stored in an entity's ``latest_event`` column."""
    if event is None:
        return None
    return {
        "id": event.id,
        "type": event.type,
        "details": event.details,
        "message": event.message,
        "timestamp": event.timestamp.isoformat(),
        "entity_type": event.entity_type.value,
        "entity_id": event.entity_id,
        "order_id": event.order_id,
        "organisation_id": event.organisation_id,
    }


def event_from_json(data: Mapping[str, Any] | None) -> Event | None:
    """The inverse of ``event_json``."""
    if not data:
        return None
    return Event(
        id=data["id"],
        organisation_id=data["organisation_id"],
        entity_type=EntityType(data["entity_type"]),
        entity_id=data["entity_id"],
        order_id=data.get("order_id"),
        type=data["type"],
        details=dict(data.get("details") or {}),
        message=data["message"],
        timestamp=datetime.fromisoformat(data["timestamp"]),
    )


def insert_events(conn: Connection, events: list[Event]) -> None:
    """Append events to the event log and queue their webhook deliveries (same transaction)."""
    if not events:
        return
    conn.execute(
        t.events.insert(),
        [
            {
                "id": e.id,
                "organisation_id": e.organisation_id,
                "entity_type": e.entity_type.value,
                "entity_id": e.entity_id,
                "order_id": e.order_id,
                "type": e.type,
                "details": e.details,
                "message": e.message,
                "timestamp": e.timestamp,
            }
            for e in events
        ],
    )
    fan_out(conn, events)
