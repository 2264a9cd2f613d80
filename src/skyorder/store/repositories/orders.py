"""Orders and their items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Text, and_, cast, delete, exists, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from skyorder.core.ids import is_uuid
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.orders import (
    BOUGHT,
    Order,
    OrderItem,
)
from skyorder.core.products import ItemKind
from skyorder.core.tallies import (
    TALLIED_TIMES,
    TalliedState,
    TallyCount,
    TallyKey,
    plan_tally_count,
    tally_changes,
)
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import (
    actor_columns,
    apply_conditions,
    condition_sql,
    insert_events,
    scoped,
)
from skyorder.store.repositories.order_rows import (
    FIRST_ITEM_COLUMN,
    ITEM_LABELS,
    ItemColumns,
    delivery_json,
    item_cloud_columns,
    item_from,
    item_row,
    order_from,
    order_state,
    spec_from,
)
from skyorder.store.sealing import SecretSealer
from skyorder.store.side_reads import SideReader
from skyorder.store.spatial import intersects_bbox

ORDER_COLUMNS = {
    "status": t.orders.c.status,
    "kind": t.orders.c.kind,
    "project_id": t.orders.c.project_id,
    "contract_id": t.orders.c.contract_id,
    "name": t.orders.c.name,
    "created_at": t.orders.c.created_at,
    "updated_at": t.orders.c.updated_at,
    "number": t.orders.c.number,
}


def _created_by(value: str | tuple[str, ...] | Any) -> Any:
    """Orders created by any of ``value``: user ids, emails or API client ids."""
    values = value if isinstance(value, tuple) else (value,)
    emails = [v.lower() for v in values if "@" in v]
    ids = [v for v in values if "@" not in v]
    o = t.orders.c
    return or_(o.created_by_user_id.in_(ids), o.created_by.in_(ids), o.created_by_email.in_(emails))


def _tallied(order: Order) -> TalliedState:
    return TalliedState(
        order.organisation_id, order.contract_id, order.status.value,
        order.created_at, order.updated_at,
    )  # fmt: skip


def _tally_upsert(insert: Callable[[Any], Any]) -> Any:
    tl = t.order_tallies
    stmt = insert(tl)
    return stmt.on_conflict_do_update(
        index_elements=list(tl.primary_key.columns), set_={"n": tl.c.n + stmt.excluded.n}
    )


# Built once: a statement made per call costs more to build and key than to run.
_TALLY_UPSERTS = {
    "postgresql": _tally_upsert(postgresql_insert),
    "sqlite": _tally_upsert(sqlite_insert),
}
_INSERT_ORDER = t.orders.insert().returning(t.orders.c.pk)


class OrderRepository:
    """Reads and writes orders; every read is scoped to the caller's organisation."""

    def __init__(
        self, conn: Connection, sealer: SecretSealer, side: SideReader | None = None
    ) -> None:
        self.conn = conn
        self.sealer = sealer
        """Seals the bucket secret of a delivery request on the way in, opens it on the way out."""
        self.side = side
        self.tally_changes: dict[TallyKey, int] = {}
        """Changes to the day tallies, written by :meth:`flush_tallies` before commit."""

    def readable(self, principal: Principal) -> Any:
        """The one statement every order read starts from."""
        return select(t.orders).where(scoped(t.orders, principal, "contract_id"))

    def add(self, order: Order) -> None:
        """Insert a new order with its items and pending events."""
        order_pk = self.conn.execute(
            _INSERT_ORDER,
            {
                "id": order.id,
                "number": order.number,
                "organisation_id": order.organisation_id,
                "contract_id": order.contract_id,
                "project_id": order.project_id,
                "name": order.name,
                "kind": order.kind,
                "delivery": delivery_json(order.delivery, self.sealer),
                "licences": [lic.to_json() for lic in order.licences] or None,
                **actor_columns("created", order.created_by),
                "created_at": order.created_at,
                **order_state(order),
            },
        ).scalar_one()
        self._insert_items(order, order_pk)
        self._tally(tally_changes(None, _tallied(order)))
        self._flush_events(order)

    def rewrite_draft(self, order: Order) -> None:
        """Write a draft order again as edited: its own fields, state, and items anew."""
        order_pk = self.pk_of(order.id)
        assert order_pk is not None
        self.conn.execute(
            update(t.orders)
            .where(t.orders.c.pk == order_pk)
            .values(
                name=order.name,
                project_id=order.project_id,
                kind=order.kind,
                delivery=delivery_json(order.delivery, self.sealer),
                licences=[lic.to_json() for lic in order.licences] or None,
            )
        )
        self.conn.execute(delete(t.order_items).where(t.order_items.c.order_pk == order_pk))
        self._insert_items(order, order_pk)
        self.save(order)

    def _insert_items(self, order: Order, order_pk: int) -> None:
        self.conn.execute(
            t.order_items.insert(),
            [
                {
                    **item_row(item),
                    "id": item.id,
                    "order_pk": order_pk,
                    "organisation_id": order.organisation_id,
                    "position": i,
                    "kind": item.kind.value,
                    "product": item.product,
                    "options": item.options,
                    "task_id": item.task_id,
                    "name": item.name,
                    **item_cloud_columns(order, item),
                    **actor_columns("created", item.created_by),
                    "created_at": item.created_at,
                }
                for i, item in enumerate(order.items)
            ],
        )

    def save(self, order: Order) -> None:
        """Write the order's and its items' changed state and pending events."""
        stored = self.conn.execute(
            select(t.orders.c.status, t.orders.c.updated_at)
            .where(t.orders.c.id == order.id)
            .with_for_update()
        ).first()
        self.conn.execute(
            update(t.orders).where(t.orders.c.id == order.id).values(order_state(order))
        )
        if stored is not None:
            before = TalliedState(
                order.organisation_id, order.contract_id, stored.status,
                order.created_at, stored.updated_at,
            )  # fmt: skip
            self._tally(tally_changes(before, _tallied(order)))
        for item in order.items:
            if item.pending_events or item.price is not None:
                self.conn.execute(
                    update(t.order_items)
                    .where(t.order_items.c.id == item.id)
                    .values(item_row(item))
                )
        self._flush_events(order)

    def _tally(self, changes: dict[TallyKey, int]) -> None:
        for key, n in changes.items():
            self.tally_changes[key] = self.tally_changes.get(key, 0) + n

    def flush_tallies(self) -> None:
        """Write the tally changes of this unit of work (called just before it commits).

        They are written last and in key order, so two committing units of work never
        wait for each other's tallies in opposite orders, and each tally row is locked only
        from its upsert to the commit.
        """
        changes = [(key, n) for key, n in sorted(self.tally_changes.items()) if n]
        self.tally_changes.clear()
        if not changes:
            return
        self.conn.execute(
            _TALLY_UPSERTS[self.conn.dialect.name],
            [
                {
                    "organisation_id": key.organisation_id,
                    "contract_id": key.contract_id,
                    "field": key.field,
                    "status": key.status,
                    "day": key.day,
                    "n": n,
                }
                for key, n in changes
            ],
        )

    def rebuild_tallies(self) -> int:
        """Recount every tally from the orders themselves; return how many tallies there are.

        For orders written around the repository (bulk imports in SQL) or a suspected drift.
        Takes the tallies' write locks for the rest of the unit of work.
        """
        tl, o = t.order_tallies, t.orders
        self.conn.execute(tl.delete())
        for field in TALLIED_TIMES:
            column = o.c[field]
            day = (
                func.date(func.timezone("UTC", column))
                if self.conn.dialect.name == "postgresql"
                else func.date(column)
            )
            grouped = select(
                o.c.organisation_id, o.c.contract_id, literal(field), o.c.status, day,
                func.count(),
            ).group_by(o.c.organisation_id, o.c.contract_id, o.c.status, day)  # fmt: skip
            self.conn.execute(
                tl.insert().from_select(
                    ["organisation_id", "contract_id", "field", "status", "day", "n"], grouped
                )
            )
        return int(self.conn.execute(select(func.count()).select_from(tl)).scalar_one())

    def _flush_events(self, order: Order) -> None:
        events = list(order.journal)  # in the order they happened
        order.journal.clear()
        order.pending_events.clear()
        for item in order.items:
            item.pending_events.clear()
        insert_events(self.conn, events)

    def get(self, principal: Principal, ref: str, *, for_update: bool = False) -> Order | None:
        """An order by id or order number, if the caller may see it."""
        column = t.orders.c.id if is_uuid(ref) else t.orders.c.number
        stmt = self.readable(principal).where(column == ref)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.conn.execute(stmt).first()
        if row is None and not is_uuid(ref):
            row = self.conn.execute(self._by_task_id(principal, ref, for_update)).first()
        if row is None:
            return None
        return order_from(row, self._items([row.pk])[row.pk], self.sealer)

    def _by_task_id(self, principal: Principal, task_id: str, for_update: bool) -> Any:
        """The order holding the tasking item ``task_id`` (a ref that is no order number)."""
        stmt = self.readable(principal).where(
            t.orders.c.pk.in_(
                select(t.order_items.c.order_pk).where(
                    t.order_items.c.organisation_id == principal.organisation_id,
                    t.order_items.c.task_id == task_id,
                )
            )
        )
        return stmt.with_for_update() if for_update else stmt

    def _items(self, order_pks: list[int]) -> dict[int, list[OrderItem]]:
        out: dict[int, list[OrderItem]] = defaultdict(list)
        if not order_pks:
            return out
        rows = self.conn.execute(
            select(t.order_items)
            .where(t.order_items.c.order_pk.in_(order_pks))
            .order_by(t.order_items.c.order_pk, t.order_items.c.position)
        ).all()
        for row in rows:
            out[row.order_pk].append(item_from(row))
        return out

    def list(self, principal: Principal, query: ListQuery) -> PageResult[Order]:
        """One page of the caller's orders matching ``query``, newest first."""
        stmt = apply_conditions(self.readable(principal), ORDER_COLUMNS, query)
        for cond in query.where("created_by"):
            stmt = stmt.where(_created_by(cond.value))
        for cond in query.where("task_id"):
            stmt = stmt.where(
                exists().where(
                    t.order_items.c.order_pk == t.orders.c.pk,
                    t.order_items.c.organisation_id == t.orders.c.organisation_id,
                    t.order_items.c.task_id.in_(
                        cond.value if isinstance(cond.value, tuple) else (cond.value,)
                    ),
                )
            )
        for cond in query.where("product"):
            stmt = stmt.where(
                exists().where(
                    t.order_items.c.order_pk == t.orders.c.pk,
                    t.order_items.c.product.in_(
                        cond.value if isinstance(cond.value, tuple) else (cond.value,)
                    ),
                )
            )
        if query.bbox is not None:
            stmt = stmt.where(
                exists().where(
                    t.order_items.c.order_pk == t.orders.c.pk,
                    intersects_bbox(self.conn, t.order_items, query.bbox),
                )
            )
        plan = plan_tally_count(query)
        # With a count limit, counting stops one match past it (enough to say it was reached).
        matches = stmt.with_only_columns(t.orders.c.pk)
        if query.count_limit is not None:
            matches = matches.limit(query.count_limit + 1)
        counted = (
            self._tally_count(principal, plan)
            if plan is not None
            else select(func.count()).select_from(matches.subquery())
        )
        # The exact total (from the day tallies when the filters allow, else a walk over every
        # match) runs on PostgreSQL beside the page read and the caller's rendering; it is
        # resolved when the caller reads ``count``.
        total: int | Callable[[], int] = (
            self.side.integer(self.conn, counted)
            if self.side is not None
            else int(self.conn.execute(counted).scalar_one())
        )
        newest_first = (t.orders.c.created_at.desc(), t.orders.c.pk.desc())
        # Page the keys first (an index-only walk), then read just those rows: the planner
        # otherwise may walk the created_at index filtering on status for every row.
        keys = (
            stmt.with_only_columns(t.orders.c.pk)
            .order_by(*newest_first)
            .limit(query.limit)
            .offset(query.offset)
        )
        # The page's orders and their items in one statement: one row per item.
        rows = self.conn.execute(
            select(t.orders, *ITEM_LABELS)
            .outerjoin(t.order_items, t.order_items.c.order_pk == t.orders.c.pk)
            .where(t.orders.c.pk.in_(keys))
            .order_by(*newest_first, t.order_items.c.position)
        ).all()
        orders: list[Order] = []
        for row in rows:
            if not orders or orders[-1].id != row.id:
                orders.append(order_from(row, [], self.sealer))
            if row.item_id is not None:  # every order has items; an outer join all the same
                orders[-1].items.append(item_from(ItemColumns._make(row[FIRST_ITEM_COLUMN:])))
        return PageResult(total, orders, query.limit, query.offset, query.count_limit)

    def _tally_count(self, principal: Principal, plan: TallyCount) -> Any:
        """One statement counting a list from the day tallies and its partial days."""
        tl = t.order_tallies
        tallied = select(func.coalesce(func.sum(tl.c.n), 0)).where(
            tl.c.organisation_id == principal.organisation_id, tl.c.field == plan.field
        )
        if principal.contract_id is not None:
            tallied = tallied.where(tl.c.contract_id == principal.contract_id)
        if plan.statuses is not None:
            tallied = tallied.where(tl.c.status.in_(plan.statuses))
        if plan.after_day is not None:
            tallied = tallied.where(tl.c.day > plan.after_day)
        if plan.before_day is not None:
            tallied = tallied.where(tl.c.day < plan.before_day)
        total: Any = tallied.scalar_subquery()
        column = t.orders.c[plan.field]
        partial_days = []
        if plan.lower is not None:
            partial_days.append(
                and_(condition_sql(column, plan.lower), column < plan.first_whole_day_start)
            )
        if plan.upper is not None:
            partial_days.append(
                and_(column >= plan.last_day_start, condition_sql(column, plan.upper))
            )
        if partial_days:
            exact = select(func.count()).where(
                scoped(t.orders, principal, "contract_id"), or_(*partial_days)
            )
            if plan.statuses is not None:
                exact = exact.where(t.orders.c.status.in_(plan.statuses))
            total = total + exact.scalar_subquery()
        return select(total)

    def names(self, principal: Principal, order_ids: Iterable[str]) -> dict[str, str]:
        """The names of the caller's orders among ``order_ids``, by order id."""
        ids = sorted(set(order_ids))
        if not ids:
            return {}
        rows = self.conn.execute(
            select(t.orders.c.id, t.orders.c.name).where(
                scoped(t.orders, principal, "contract_id"), t.orders.c.id.in_(ids)
            )
        )
        return {str(r.id): str(r.name) for r in rows}

    def owner_of(self, order_id: str) -> str | None:
        """The organisation an order belongs to, for background steps that act for it.

        Steps carry only an entity id; they then read the order as its owner, through
        the same scoped statements as everyone else.
        """
        value = self.conn.execute(
            select(t.orders.c.organisation_id).where(t.orders.c.id == order_id)
        ).scalar()
        return str(value) if value is not None else None

    def item_owner(self, item_id: str) -> tuple[str, str] | None:
        """The organisation and order of an order item, for background steps keyed by item.

        Steps carry only an entity id; they then read the order as its owner, through
        the same scoped statements as everyone else.
        """
        row = self.conn.execute(
            select(t.order_items.c.organisation_id, t.orders.c.id)
            .join(t.orders, t.orders.c.pk == t.order_items.c.order_pk)
            .where(t.order_items.c.id == item_id)
        ).first()
        return (str(row[0]), str(row[1])) if row is not None else None

    def bought_whole_scene(self, principal: Principal, collection_id: str, scene_id: str) -> bool:
        """Whether the caller's organisation (under any of its contracts) has an accepted
        order item that buys archive scene ``scene_id`` of ``collection_id`` unclipped.

        The text match only narrows the rows; :meth:`ArchiveSpec.buys_whole` decides.
        """
        rows = self.conn.execute(
            select(t.order_items.c.aoi, t.order_items.c.spec).where(
                scoped(t.order_items, principal),
                t.order_items.c.kind == ItemKind.ARCHIVE.value,
                t.order_items.c.status.in_(sorted(s.value for s in BOUGHT)),
                cast(t.order_items.c.spec, Text).contains(scene_id, autoescape=True),
            )
        )
        for aoi, data in rows:
            archive, _ = spec_from(data)
            if archive is not None and archive.buys_whole(collection_id, scene_id, aoi):
                return True
        return False

    def pk_of(self, order_id: str) -> int | None:
        """The internal key of an order (for child tables)."""
        pk = self.conn.execute(select(t.orders.c.pk).where(t.orders.c.id == order_id)).scalar()
        return int(pk) if pk is not None else None
