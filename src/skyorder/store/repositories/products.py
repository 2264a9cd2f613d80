"""The product catalogue."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Text, cast, select
from sqlalchemy.engine import Connection

from skyorder.core.licences import Licence
from skyorder.core.pricing import PriceRule
from skyorder.core.products import ItemKind, Product
from skyorder.store import tables as t

_JSON_COLUMNS = ("processing_levels", "parameters", "properties", "pricing", "licences")
_RAW = select(
    *(
        cast(column, Text).label(column.name) if column.name in _JSON_COLUMNS else column
        for column in t.products.columns
    )
).order_by(t.products.c.sku)
"""Every product with its JSON columns as the stored text (comparable, hashable)."""


def _product(row: Row[Any]) -> Product:
    def data(text: str | None) -> Any:
        return json.loads(text) if text is not None else None

    pricing, licences = data(row.pricing), data(row.licences)
    return Product(
        sku=row.sku,
        name=row.name,
        kind=ItemKind(row.kind),
        description=row.description,
        processing_levels=tuple(data(row.processing_levels)),
        parameters=dict(data(row.parameters)),
        collection=row.collection,
        sensor=row.sensor,
        max_off_nadir=row.max_off_nadir,
        min_area_km2=row.min_area_km2,
        properties=dict(data(row.properties) or {}),
        pricing=PriceRule.from_json(pricing) if pricing else None,
        licences=tuple(Licence.from_json(lic) for lic in licences or []),
    )


class ProductMemo:
    """The products last built from the table, kept with the rows they were built from.

    Every read still fetches the rows (so a product changed by another process shows at
    once); only when they equal the last ones are the products, their price rules and
    licences not parsed and built again. One per unit-of-work factory (i.e. per process).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: tuple[tuple[Any, ...], ...] | None = None
        self._products: dict[str, Product] = {}

    def products(
        self, rows: tuple[tuple[Any, ...], ...], build: Sequence[Row[Any]]
    ) -> dict[str, Product]:
        """The products of ``rows`` (built from ``build``, the same rows, when they changed)."""
        with self._lock:
            if rows != self._rows:
                self._products = {r.sku: _product(r) for r in build}
                self._rows = rows
            return dict(self._products)


class ProductRepository:
    """Products are the provider's, visible to every tenant."""

    def __init__(self, conn: Connection, memo: ProductMemo | None = None) -> None:
        self.conn = conn
        self.memo = memo or ProductMemo()

    def upsert(self, product: Product) -> None:
        """Insert or replace a product."""
        values = {
            "name": product.name,
            "kind": product.kind.value,
            "description": product.description,
            "collection": product.collection,
            "sensor": product.sensor,
            "processing_levels": list(product.processing_levels),
            "parameters": product.parameters,
            "max_off_nadir": product.max_off_nadir,
            "min_area_km2": product.min_area_km2,
            "properties": product.properties,
            "pricing": product.pricing.to_json() if product.pricing else None,
            "licences": [lic.to_json() for lic in product.licences],
        }
        exists = self.conn.execute(
            select(t.products.c.sku).where(t.products.c.sku == product.sku)
        ).first()
        if exists:
            self.conn.execute(t.products.update().where(t.products.c.sku == product.sku), values)
        else:
            self.conn.execute(t.products.insert(), {"sku": product.sku, **values})

    def all(self) -> dict[str, Product]:
        """Every product by SKU (the objects are shared: read them, do not change them)."""
        rows = self.conn.execute(_RAW).all()
        return self.memo.products(tuple(tuple(r) for r in rows), rows)
