"""The product catalogue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.engine import Connection

from skyorder.core.licences import Licence
from skyorder.core.pricing import PriceRule
from skyorder.core.products import ItemKind, Product
from skyorder.store import tables as t


def _product(row: Row[Any]) -> Product:
    return Product(
        sku=row.sku,
        name=row.name,
        kind=ItemKind(row.kind),
        description=row.description,
        processing_levels=tuple(row.processing_levels),
        parameters=dict(row.parameters),
        collection=row.collection,
        sensor=row.sensor,
        max_off_nadir=row.max_off_nadir,
        min_area_km2=row.min_area_km2,
        properties=dict(row.properties or {}),
        pricing=PriceRule.from_json(row.pricing) if row.pricing else None,
        licences=tuple(Licence.from_json(lic) for lic in row.licences or []),
    )


class ProductRepository:
    """Products are the provider's, visible to every tenant."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

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
        """Every product by SKU."""
        rows = self.conn.execute(select(t.products).order_by(t.products.c.sku))
        return {r.sku: _product(r) for r in rows}
