"""The archive catalog: collections and items, bulk upserts and index-backed searches.

The catalog is the provider's public archive: it is the same for every tenant,
so reads take no principal (the API still requires an authenticated caller).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Row, Text, and_, bindparam, cast, func, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from skyorder.core.catalog import (
    QUERYABLES,
    CatalogItem,
    Collection,
    QueryableType,
    parse_rfc3339,
)
from skyorder.core.catalog_search import PageToken, SearchRequest, SortKey
from skyorder.core.errors import ValidationFailed
from skyorder.core.geometry import BBox
from skyorder.core.products import ItemKind
from skyorder.store.catalog_spatial import (
    bbox_condition,
    register_sqlite_functions,
    spatial_condition,
)
from skyorder.store.catalog_tables import catalog_items as items
from skyorder.store.catalog_tables import collections
from skyorder.store.cql2_sql import FilterCompiler
from skyorder.store.search_slices import WHOLE, TimeSlice, time_slices
from skyorder.store.tables import order_items

BATCH = 500
DEFAULT_SORT = (SortKey("datetime", descending=True),)
_NOT_NULL = ("datetime", "id", "collection", "pk")


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and the token of the next page (None on the last)."""

    items: list[CatalogItem]
    next_token: str | None


@dataclass(frozen=True)
class _SortColumn:
    field: str
    expr: Any
    descending: bool
    column: str | None  # the table column it reads, None for a JSON property
    numeric: bool = False

    @property
    def nullable(self) -> bool:
        return self.field not in _NOT_NULL

    def value(self, row: Row[Any], properties: dict[str, Any]) -> Any:
        """This key's value in ``row`` as the token keeps it (None: not usable for keyset)."""
        if self.column is not None:
            value = row._mapping[self.column]
            return value.isoformat() if isinstance(value, datetime) else value
        value = properties.get(self.field)
        if self.numeric:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return value if ok else None
        return value if isinstance(value, str) else None


def _collection(row: Row[Any]) -> Collection:
    return Collection(
        row.id, row.title, row.description, row.license, dict(row.document), row.owner_id
    )


# Items are read with their JSON columns as text and decoded with orjson: several times
# faster than the drivers' default decoders on the search path.
_JSON_COLUMNS = ("geometry", "properties", "assets", "stac_extensions")
ITEM_COLUMNS = [
    *(c for c in items.columns if c.name not in _JSON_COLUMNS),
    *(cast(items.c[name], Text).label(name) for name in _JSON_COLUMNS),
]


def _item(row: Row[Any]) -> CatalogItem:
    return CatalogItem(
        id=row.id,
        collection=row.collection_id,
        datetime=row.datetime,
        geometry=orjson.loads(row.geometry),
        bbox=BBox(row.min_x, row.min_y, row.max_x, row.max_y),
        properties=orjson.loads(row.properties),
        assets=orjson.loads(row.assets),
        stac_extensions=tuple(orjson.loads(row.stac_extensions)),
        uuid=row.uuid,
    )


def _collection_values(collection: Collection, now: datetime) -> dict[str, Any]:
    return {
        "title": collection.title,
        "description": collection.description,
        "license": collection.license,
        "document": dict(collection.fields),
        "owner_id": collection.owner,
        "updated_at": now,
    }


def item_row(item: CatalogItem, now: datetime) -> dict[str, Any]:
    """The table row of an item (also used by bulk loaders)."""
    return {
        "id": item.id,
        "collection_id": item.collection,
        "datetime": item.datetime,
        "geometry": item.geometry,
        "min_x": item.bbox.west,
        "min_y": item.bbox.south,
        "max_x": item.bbox.east,
        "max_y": item.bbox.north,
        **item.extracted(),
        "properties": item.properties,
        "assets": item.assets,
        "stac_extensions": list(item.stac_extensions),
        "created_at": now,
        "updated_at": now,
        "uuid": item.catalog_uuid,
    }


_FOOTPRINT = select(items.c.geometry).where(
    items.c.collection_id == bindparam("collection_id"), items.c.id == bindparam("item_id")
)
"""Built once: a statement made per call costs more to build and key than to run."""


class CatalogRepository:
    """Reads and writes the public archive catalog."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        if self.dialect == "sqlite":
            register_sqlite_functions(conn)

    # --- collections ---------------------------------------------------------------------------

    def add_collection(self, collection: Collection, now: datetime) -> bool:
        """Insert a new collection; False (and nothing written) when its id is taken."""
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(collections)
            .values(id=collection.id, created_at=now, **_collection_values(collection, now))
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(collections.c.id)
        )
        return self.conn.execute(stmt).first() is not None

    def claim_collections(self, collection_ids: Iterable[str], owner: str) -> int:
        """Give the collections that have no owner to ``owner``; return how many."""
        result = self.conn.execute(
            collections.update()
            .where(collections.c.id.in_(list(collection_ids)), collections.c.owner_id.is_(None))
            .values(owner_id=owner)
        )
        return result.rowcount

    def upsert_collection(self, collection: Collection, now: datetime) -> None:
        """Insert or replace a collection's description (and its owner)."""
        values = _collection_values(collection, now)
        found = self.conn.execute(
            select(collections.c.id).where(collections.c.id == collection.id)
        ).first()
        if found:
            self.conn.execute(collections.update().where(collections.c.id == collection.id), values)
        else:
            self.conn.execute(
                collections.insert(), {"id": collection.id, "created_at": now, **values}
            )

    def delete_collection(self, collection_id: str) -> bool:
        """Remove a collection (the caller makes sure it has no items); False if it was gone."""
        stmt = collections.delete().where(collections.c.id == collection_id)
        return self.conn.execute(stmt).rowcount > 0

    def collection(self, collection_id: str) -> Collection | None:
        """One collection, or None."""
        row = self.conn.execute(
            select(collections).where(collections.c.id == collection_id)
        ).first()
        return _collection(row) if row else None

    def collections(self) -> list[Collection]:
        """Every collection, by id."""
        rows = self.conn.execute(select(collections).order_by(collections.c.id))
        return [_collection(r) for r in rows]

    def extent(self, collection_id: str) -> tuple[BBox | None, datetime | None, datetime | None]:
        """The bounding box and time span of a collection's items (None when it has none)."""
        row = self.conn.execute(
            select(
                func.min(items.c.min_x),
                func.min(items.c.min_y),
                func.max(items.c.max_x),
                func.max(items.c.max_y),
                func.min(items.c.datetime),
                func.max(items.c.datetime),
            ).where(items.c.collection_id == collection_id)
        ).one()
        box = BBox(row[0], row[1], row[2], row[3]) if row[0] is not None else None
        return box, _time(row[4]), _time(row[5])

    # --- items ---------------------------------------------------------------------------------

    def upsert_items(self, new_items: Iterable[CatalogItem], now: datetime) -> int:
        """Insert items, replacing any with the same collection and id; return how many."""
        return self._write_items(new_items, now, replace=True)

    def insert_items(self, new_items: Iterable[CatalogItem], now: datetime) -> int:
        """Insert items, skipping any whose collection and id exist; return how many went in."""
        return self._write_items(new_items, now, replace=False)

    def existing_item_ids(self, collection_id: str, item_ids: Sequence[str]) -> list[str]:
        """Which of ``item_ids`` the collection holds already, in the order given."""
        found: set[str] = set()
        for start in range(0, len(item_ids), BATCH):
            chunk = item_ids[start : start + BATCH]
            found.update(
                self.conn.execute(
                    select(items.c.id).where(
                        items.c.collection_id == collection_id, items.c.id.in_(chunk)
                    )
                ).scalars()
            )
        return [i for i in item_ids if i in found]

    def _write_items(self, new_items: Iterable[CatalogItem], now: datetime, replace: bool) -> int:
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        count = 0
        batch: list[dict[str, Any]] = []
        for item in new_items:
            batch.append(item_row(item, now))
            if len(batch) >= BATCH:
                count += self._write_batch(insert, batch, replace)
                batch = []
        if batch:
            count += self._write_batch(insert, batch, replace)
        return count

    def _write_batch(self, insert: Any, rows: list[dict[str, Any]], replace: bool) -> int:
        stmt = insert(items)
        if not replace:
            stmt = stmt.on_conflict_do_nothing(index_elements=["collection_id", "id"])
            return len(self.conn.execute(stmt.returning(items.c.pk), rows).all())
        keep = {"pk", "id", "collection_id", "created_at"}
        stmt = stmt.on_conflict_do_update(
            index_elements=["collection_id", "id"],
            set_={c.name: stmt.excluded[c.name] for c in items.columns if c.name not in keep},
        )
        self.conn.execute(stmt, rows)
        return len(rows)

    def item(self, collection_id: str, item_id: str) -> CatalogItem | None:
        """One item, or None."""
        row = self.conn.execute(
            select(*ITEM_COLUMNS).where(
                items.c.collection_id == collection_id, items.c.id == item_id
            )
        ).first()
        return _item(row) if row else None

    def item_by_uuid(self, scene_uuid: str) -> CatalogItem | None:
        """The item with this catalogue UUID, whatever its collection, or None."""
        row = self.conn.execute(
            select(*ITEM_COLUMNS).where(items.c.uuid == scene_uuid.lower())
        ).first()
        return _item(row) if row else None

    def set_uuid(self, collection_id: str, item_id: str, scene_uuid: str) -> None:
        """Give an item the catalogue UUID a document names it by."""
        self.conn.execute(
            items.update()
            .where(
                items.c.collection_id == collection_id,
                items.c.id == item_id,
                items.c.uuid != scene_uuid,
            )
            .values(uuid=scene_uuid)
        )

    def delete_item(self, collection_id: str, item_id: str) -> bool:
        """Remove one item (its spatial index entry goes with it); False if it was gone."""
        stmt = items.delete().where(items.c.collection_id == collection_id, items.c.id == item_id)
        return self.conn.execute(stmt).rowcount > 0

    def scene_orders(self, collection_id: str, item_id: str) -> int:
        """How many order items, of any organisation and status, buy this scene.

        Only a count leaves here, so the check reveals no other tenant's orders.
        """
        scene = order_items.c.spec
        stmt = (
            select(func.count())
            .select_from(order_items)
            .where(
                order_items.c.kind == ItemKind.ARCHIVE.value,
                scene[("archive", "collection")].as_string() == collection_id,
                scene[("archive", "item_id")].as_string() == item_id,
            )
        )
        return int(self.conn.execute(stmt).scalar_one())

    def footprint(self, collection_id: str, item_id: str) -> dict[str, Any] | None:
        """The GeoJSON footprint of an item, or None (what pricing clips an archive AOI to)."""
        geometry: dict[str, Any] | None = self.conn.execute(
            _FOOTPRINT, {"collection_id": collection_id, "item_id": item_id}
        ).scalar()
        return geometry

    def count(self, collection_id: str | None = None) -> int:
        """How many items (in one collection, or in all)."""
        stmt = select(func.count()).select_from(items)
        if collection_id is not None:
            stmt = stmt.where(items.c.collection_id == collection_id)
        return int(self.conn.execute(stmt).scalar_one())

    # --- search --------------------------------------------------------------------------------

    def conditions(self, request: SearchRequest) -> list[ColumnElement[bool]]:
        """The WHERE conditions of a search (index-backed where an index exists)."""
        where: list[ColumnElement[bool]] = []
        if request.collections:
            where.append(items.c.collection_id.in_(request.collections))
        if request.ids:
            where.append(items.c.id.in_(request.ids))
        if request.bbox is not None:
            where.append(bbox_condition(self.dialect, request.bbox))
        if request.intersects is not None:
            where.append(spatial_condition(self.dialect, "s_intersects", request.intersects))
        if request.datetime is not None:
            start, end = request.datetime
            if start is not None and start == end:
                where.append(items.c.datetime == start)
            else:
                if start is not None:
                    where.append(items.c.datetime >= start)
                if end is not None:
                    where.append(items.c.datetime <= end)
        if request.filter is not None:
            where.append(FilterCompiler(self.dialect).condition(request.filter))
        return where

    def _sort_columns(self, keys: Sequence[SortKey]) -> list[_SortColumn]:
        compiler = FilterCompiler(self.dialect)
        out: list[_SortColumn] = []
        for key in keys or DEFAULT_SORT:
            queryable = QUERYABLES.get(key.field)
            numeric = queryable is not None and queryable.type is QueryableType.NUMBER
            if queryable is not None and queryable.column is not None:
                column = queryable.column
                out.append(_SortColumn(key.field, items.c[column], key.descending, column))
            elif numeric:
                expr = compiler.json_number(key.field)
                out.append(_SortColumn(key.field, expr, key.descending, None, numeric=True))
            else:
                expr = compiler.json_text(key.field)
                out.append(_SortColumn(key.field, expr, key.descending, None))
        out.append(_SortColumn("pk", items.c.pk, out[0].descending, "pk"))
        return out

    def search(self, request: SearchRequest, limit: int | None = None) -> SearchPage:
        """One page of the items matching ``request``, in its sort order.

        A page sorted by time is read slice by slice from the end the sort starts at
        (``search_slices``), until it is full.
        """
        size = limit or request.limit
        sort = self._sort_columns(request.sortby)
        where = self.conditions(request)
        token = PageToken.decode(request.token) if request.token else None
        after = _token_values(sort, token) if token is not None and token.values else None
        if after is not None:
            where.append(_after(sort, after))
        offset = token.offset if token is not None else 0
        skip = offset if token is not None and not token.values else 0
        rows: list[Row[Any]] = []
        for part in self._slices(request, sort, after, skip):
            rows += self._page_rows(sort, [*where, *_within(part)], size + 1 - len(rows), skip)
            if len(rows) > size:
                break
        page = [_item(r) for r in rows[:size]]
        if len(rows) <= size:
            return SearchPage(page, None)
        last = rows[size - 1]
        values = tuple(column.value(last, page[-1].properties) for column in sort[:-1])
        seen = offset + size
        if any(v is None for v in values):
            return SearchPage(page, PageToken((), last.pk, seen).encode())
        return SearchPage(page, PageToken(values, last.pk, seen).encode())

    def _page_rows(
        self, sort: list[_SortColumn], where: list[ColumnElement[bool]], count: int, skip: int
    ) -> list[Row[Any]]:
        """Up to ``count`` matching rows in sort order, after skipping ``skip``.

        Two steps: the keys of the page (sorted and limited where the indexes are), then
        the full rows of those keys only, so that no other candidate's JSON is read.
        """
        keys = select(items.c.pk.label("key"), *(c.expr.label(f"s{i}") for i, c in enumerate(sort)))
        keys = keys.where(*where).order_by(*_order(sort, [c.expr for c in sort])).limit(count)
        if skip:
            keys = keys.offset(skip)
        page_keys = keys.subquery("page_keys")
        stmt = (
            select(*ITEM_COLUMNS)
            .join_from(items, page_keys, items.c.pk == page_keys.c.key)
            .order_by(*_order(sort, [page_keys.c[f"s{i}"] for i in range(len(sort))]))
        )
        return list(self.conn.execute(stmt).all())

    def _slices(
        self, request: SearchRequest, sort: list[_SortColumn], after: list[Any] | None, skip: int
    ) -> list[TimeSlice]:
        """The time slices to read a page in.

        Several only where they pay: on PostgreSQL, whose spatial index also holds the time,
        for a spatial search sorted by ``datetime`` that no list of ids already bounds.
        Without a box the time index already stops after one page; SQLite's R*Tree holds
        boxes only, so each slice would scan the box's candidates again.
        """
        first = sort[0]
        spatial = request.bbox is not None or request.intersects is not None
        if self.dialect != "postgresql" or not spatial or request.ids:
            return [WHOLE]
        if first.column != "datetime" or skip:
            return [WHOLE]
        start, end = request.datetime if request.datetime is not None else (None, None)
        if after is not None:  # the page starts where the previous one ended
            if first.descending:
                end = after[0] if end is None else min(end, after[0])
            else:
                start = after[0] if start is None else max(start, after[0])
        if start is None or end is None:
            earliest, latest = self._time_extent()
            start = start if start is not None else earliest
            end = end if end is not None else latest
        if start is None or end is None or end <= start:
            return [WHOLE]
        return time_slices(start, end, descending=first.descending)

    def _time_extent(self) -> tuple[datetime | None, datetime | None]:
        """The earliest and latest item times (two index lookups; a guide for slicing only)."""
        row = self.conn.execute(
            select(
                select(func.min(items.c.datetime)).scalar_subquery(),
                select(func.max(items.c.datetime)).scalar_subquery(),
            )
        ).one()
        return _time(row[0]), _time(row[1])


def _within(part: TimeSlice) -> list[ColumnElement[bool]]:
    """The conditions of one time slice."""
    where: list[ColumnElement[bool]] = []
    if part.lower is not None:
        where.append(items.c.datetime >= part.lower)
    if part.upper is not None:
        where.append(items.c.datetime < part.upper)
    return where


def _order(sort: list[_SortColumn], exprs: list[Any]) -> list[Any]:
    """ORDER BY terms for ``sort`` applied to ``exprs`` (NULLs last, as on both databases)."""
    order = []
    for column, expr in zip(sort, exprs, strict=True):
        term = expr.desc() if column.descending else expr.asc()
        order.append(term.nulls_last() if column.nullable else term)
    return order


def _time(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _token_values(sort: list[_SortColumn], token: PageToken) -> list[Any]:
    if len(token.values) != len(sort) - 1:
        raise ValidationFailed.on("token", "does not belong to this search; start from page one")
    values: list[Any] = []
    for column, value in zip(sort[:-1], token.values, strict=True):
        if column.field == "datetime":
            value = parse_rfc3339(str(value).replace("+00:00", "Z"), "token")
        values.append(value)
    values.append(token.key)
    return values


def _after(sort: list[_SortColumn], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after the row whose sort values are ``values`` (NULLs sort last)."""
    branches: list[ColumnElement[bool]] = []
    for i, column in enumerate(sort):
        equal = [sort[j].expr == values[j] for j in range(i)]
        beyond = column.expr < values[i] if column.descending else column.expr > values[i]
        if column.nullable:
            beyond = or_(beyond, column.expr.is_(None))
        branches.append(and_(*equal, beyond) if equal else beyond)
    return or_(*branches) if branches else true()
