"""Products (SKUs): what can be bought, and the order parameters each accepts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.licences import Licence
from skyorder.core.pricing import PriceRule


@lru_cache(maxsize=256)
def _validator(schema: str) -> Draft202012Validator:
    """A compiled validator per distinct schema (building one is the slow part)."""
    return Draft202012Validator(json.loads(schema))


class ItemKind(StrEnum):
    """Whether an item buys an existing archive scene or a new capture."""

    ARCHIVE = "archive"
    TASKING = "tasking"


@dataclass(frozen=True)
class Product:
    """A product / SKU with its order parameters as JSON Schema (the STAPI way).

    ``parameters`` validates an item's ``options`` object. ``processing_levels``
    lists the levels on offer; ``max_off_nadir`` bounds what a tasking item may ask.
    """

    sku: str
    name: str
    kind: ItemKind
    description: str
    processing_levels: tuple[str, ...]
    parameters: dict[str, Any]
    collection: str | None = None
    sensor: str | None = None
    max_off_nadir: float = 45.0
    min_area_km2: float = 0.1
    properties: dict[str, Any] = field(default_factory=dict)
    pricing: PriceRule | None = None
    licences: tuple[Licence, ...] = ()
    """The licences a buyer must accept to order this product."""

    @property
    def subscription_only(self) -> bool:
        """Whether it is sold only through a km² subscription (OneAtlas's Pléiades Neo)."""
        return bool(self.properties.get("subscription_only", False))

    def check_schema(self) -> None:
        """Raise if the product's own parameters schema is not valid JSON Schema."""
        try:
            Draft202012Validator.check_schema(self.parameters)
        except SchemaError as exc:
            raise ValueError(
                f"product {self.sku}: invalid parameters schema: {exc.message}"
            ) from exc

    def validate_options(self, options: dict[str, Any], field_name: str) -> None:
        """Validate an item's options against the product's parameters schema."""
        validator = _validator(json.dumps(self.parameters, sort_keys=True))
        errors = [
            FieldError(".".join([field_name, *(str(p) for p in err.absolute_path)]), err.message)
            for err in sorted(validator.iter_errors(options), key=lambda e: list(e.path))
        ]
        if errors:
            raise ValidationFailed.of(errors)

    def validate_level(self, level: str, field_name: str) -> None:
        """Refuse a processing level the product does not offer."""
        if level not in self.processing_levels:
            raise ValidationFailed.on(
                field_name,
                f"processing level {level!r} is not offered by {self.sku}; choose one of "
                + ", ".join(self.processing_levels),
            )


def required_licences(
    products: Mapping[str, Product], skus: Iterable[str]
) -> list[tuple[str, Licence]]:
    """Each licence the products ``skus`` require, paired with the SKU requiring it."""
    return [
        (sku, licence)
        for sku in dict.fromkeys(skus)
        if (product := products.get(sku)) is not None
        for licence in product.licences
    ]


def collection_product(
    products: Mapping[str, Product], collection: str, by_volume: bool = False
) -> Product | None:
    """The archive product that sells ``collection``: per km², or by volume when asked."""
    return next(
        (
            p
            for p in products.values()
            if p.kind is ItemKind.ARCHIVE
            and p.collection == collection
            and (p.pricing is not None and p.pricing.volume is not None) == by_volume
        ),
        None,
    )
