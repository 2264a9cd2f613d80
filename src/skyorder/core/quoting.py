"""Pricing a whole order request: each item's areas, line price, uplifts; the total.

Archive items are clipped to their scene's footprint, which the caller looks up
(``FootprintLookup``); tasking items are priced on their AOI with the product's
minimum billable area, once per occurrence. A ``Quote`` is a priced request kept as an
expiring offer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.imagery import canonical_options
from skyorder.core.order_requests import ArchiveItemRequest, ItemRequest, TaskingItemRequest
from skyorder.core.orders import ArchiveImage
from skyorder.core.pricing import (
    LinePrice,
    PricingOptions,
    clip_to_footprint,
    combine_lines,
    item_areas,
    prepare_area,
    price_line,
)
from skyorder.core.products import Product, collection_product
from skyorder.core.tenants import Contract

FootprintLookup = Callable[[str, str], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Quote:
    """A priced, expiring offer, as kept: the request it prices and its priced lines.

    Attributes:
        request: The order request priced (``{"items": [...]}``, as the caller sent it).
        lines: One priced line per item (its SKU and ``line_to_json`` of its price).
        created_by: The API client that asked for it.
        order_id: The order that cited it; None while it is unused.
    """

    id: str
    organisation_id: str
    contract_id: str
    created_by: str | None
    currency: str
    total: int
    request: dict[str, Any]
    lines: list[dict[str, Any]]
    created_at: datetime
    expires_at: datetime
    order_id: str | None


@dataclass(frozen=True)
class PricedItem:
    """One item of a request with its price."""

    index: int
    sku: str
    price: LinePrice


@dataclass(frozen=True)
class PricedRequest:
    """Every item's price and the total, in the contract's currency."""

    items: tuple[PricedItem, ...]
    currency: str

    @property
    def total(self) -> int:
        """The sum of every line."""
        return sum(i.price.total for i in self.items)


def archive_sku(req: ArchiveItemRequest, products: Mapping[str, Product]) -> str | None:
    """The SKU an archive item is sold under (explicit, or its collection's product)."""
    if req.product is not None:
        return req.product
    product = collection_product(products, req.collection, req.by_volume)
    return product.sku if product is not None else None


def _expedited(options: Mapping[str, Any]) -> bool:
    return str(options.get("delivery_speed", "")).upper() == "EXPEDITED"


def _price_archive(
    req: ArchiveItemRequest,
    product: Product,
    contract: Contract,
    footprint_of: FootprintLookup,
    path: str,
) -> LinePrice:
    assert product.pricing is not None
    lines: list[tuple[str, LinePrice]] = []
    errors: list[FieldError] = []
    for i, image in enumerate(req.images):
        where = path if i == 0 else f"{path}.images[{i}]"
        try:
            line = _price_scene(req, image, product, contract, footprint_of, where)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            continue
        lines.append((image.item_id, line))
    if errors:
        raise ValidationFailed.of(errors)
    return combine_lines(lines)


def _price_scene(
    req: ArchiveItemRequest,
    image: ArchiveImage,
    product: Product,
    contract: Contract,
    footprint_of: FootprintLookup,
    path: str,
) -> LinePrice:
    assert product.pricing is not None
    footprint = footprint_of(req.collection, image.item_id)
    if footprint is None:
        raise ValidationFailed.on(
            f"{path}.item_id",
            f"no scene {image.item_id!r} in collection {req.collection!r}; "
            "search /stac to find one",
        )
    aoi = prepare_area(image.aoi, f"{path}.aoi") if image.aoi else None
    clipped = clip_to_footprint(aoi, footprint, f"{path}.aoi")
    areas = item_areas(product.pricing, aoi if aoi is not None else clipped, clipped, f"{path}.aoi")
    options = canonical_options(req.options)
    opts = PricingOptions(
        processing_level=req.processing_level,
        product_type=options.get("product_type"),
        radiometric_processing=options.get("radiometric_processing"),
        expedited=_expedited(req.options),
        discount_percentage=contract.discount_percentage,
    )
    return price_line(product.pricing, areas, opts, path)


def _price_tasking(
    req: TaskingItemRequest, product: Product, contract: Contract, path: str
) -> LinePrice:
    rule = product.pricing
    assert rule is not None
    aoi = prepare_area(req.aoi, f"{path}.aoi")
    areas = item_areas(rule, aoi, aoi, f"{path}.aoi")
    levels = req.processing_levels or product.processing_levels[:1]
    priced = [lv for lv in levels if lv in rule.price_per_km2]
    level = max(priced, key=lambda lv: rule.price_per_km2[lv]) if priced else levels[0]
    options = canonical_options(req.options)
    opts = PricingOptions(
        processing_level=level,
        product_type=options.get("product_type"),
        radiometric_processing=options.get("radiometric_processing"),
        rush=req.priority.value == "rush",
        expedited=_expedited(req.options),
        max_off_nadir=req.max_off_nadir,
        max_cloud_cover=req.max_cloud_cover,
        discount_percentage=contract.discount_percentage,
    )
    occurrences = req.recurrence.occurrences if req.recurrence else 1
    return price_line(rule, areas, opts, path, quantity=Decimal(occurrences))


def price_request(
    items: tuple[ItemRequest, ...],
    contract: Contract,
    products: Mapping[str, Product],
    footprint_of: FootprintLookup,
) -> PricedRequest:
    """Price every item of a validated request; refusals list every item that cannot be priced."""
    errors: list[FieldError] = []
    priced: list[PricedItem] = []
    for i, req in enumerate(items):
        path = f"items[{i}]"
        sku = archive_sku(req, products) if isinstance(req, ArchiveItemRequest) else req.product
        product = products.get(sku or "")
        if product is None or product.pricing is None:
            errors.append(FieldError(f"{path}.product", f"{sku!r} has no price list"))
            continue
        try:
            if isinstance(req, ArchiveItemRequest):
                line = _price_archive(req, product, contract, footprint_of, path)
            else:
                line = _price_tasking(req, product, contract, path)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            continue
        priced.append(PricedItem(i, product.sku, line))
    if errors:
        raise ValidationFailed.of(errors)
    return PricedRequest(tuple(priced), contract.currency)
