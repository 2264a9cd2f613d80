"""The product catalogue: built-in defaults or a provider's own file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from skyorder.core.licences import Licence
from skyorder.core.pricing import PriceRule
from skyorder.core.products import ItemKind, Product
from skyorder.store.uow import UnitOfWork


def _product(data: dict[str, Any]) -> Product:
    pricing = PriceRule.from_json(data["pricing"]) if data.get("pricing") else None
    product = Product(
        sku=data["sku"],
        name=data["name"],
        kind=ItemKind(data["kind"]),
        description=data.get("description", ""),
        processing_levels=tuple(data["processing_levels"]),
        parameters=data.get("parameters", {"type": "object"}),
        collection=data.get("collection"),
        sensor=data.get("sensor"),
        max_off_nadir=float(data.get("max_off_nadir", 45.0)),
        min_area_km2=pricing.min_order_km2 if pricing else float(data.get("min_area_km2", 0.1)),
        properties=data.get("properties", {}),
        pricing=pricing,
        licences=tuple(Licence.from_json(lic) for lic in data.get("licences", [])),
    )
    product.check_schema()
    return product


def load_products(path: Path | None = None) -> list[Product]:
    """Read products from ``path``, or the built-in catalogue when None."""
    if path is None:
        text = resources.files("skyorder.data").joinpath("products.json").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return [_product(p) for p in json.loads(text)["products"]]


def install_products(uow: UnitOfWork, products: list[Product]) -> None:
    """Insert or update each product (idempotent)."""
    for product in products:
        uow.products.upsert(product)


def list_products(uow: UnitOfWork) -> list[Product]:
    """Every product on offer."""
    return list(uow.products.all().values())
