"""Pricing: geodesic areas, billable areas, per-km² prices, uplifts and discounts.

Amounts are integers (minor units of the contract currency, or credits);
rates and factors are Decimals; rounding happens once per amount, half-even.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from skyorder.core.errors import ValidationFailed
from skyorder.core.geometry import MAX_ABS_LATITUDE

WGS84 = Geod(ellps="WGS84")
HUNDRED = Decimal(100)
KB = Decimal(1000)
"""Bytes in a kB, as delivered volumes are counted."""


@dataclass(frozen=True)
class Threshold:
    """An uplift that applies beyond a threshold (off-nadir degrees, cloud percent)."""

    threshold: float
    percentage: Decimal


@dataclass(frozen=True)
class PriceRule:
    """How one product is priced."""

    price_per_km2: Mapping[str, Decimal]  # by processing level
    min_order_km2: float = 0.1
    min_billable_km2: float = 0.0
    product_type_factors: Mapping[str, Decimal] = field(default_factory=dict)
    radiometric_factors: Mapping[str, Decimal] = field(default_factory=dict)
    rush_percentage: Decimal = Decimal(0)
    expedited_percentage: Decimal = Decimal(0)
    off_nadir: Threshold | None = None
    cloud_guarantee: Threshold | None = None
    volume: VolumeRule | None = None
    """Set for a product priced by the volume it delivers instead of per km²."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PriceRule:
        """Read a rule from the product catalogue's ``pricing`` object."""

        def dec(value: Any) -> Decimal:
            return Decimal(str(value))

        def threshold(value: Any) -> Threshold | None:
            if not value:
                return None
            return Threshold(float(value["threshold"]), dec(value["percentage"]))

        return cls(
            price_per_km2={k: dec(v) for k, v in data["price_per_km2"].items()},
            min_order_km2=float(data.get("min_order_km2", 0.1)),
            min_billable_km2=float(data.get("min_billable_km2", 0.0)),
            product_type_factors={
                k: dec(v) for k, v in data.get("product_type_factors", {}).items()
            },
            radiometric_factors={k: dec(v) for k, v in data.get("radiometric_factors", {}).items()},
            rush_percentage=dec(data.get("rush_percentage", 0)),
            expedited_percentage=dec(data.get("expedited_percentage", 0)),
            off_nadir=threshold(data.get("off_nadir")),
            cloud_guarantee=threshold(data.get("cloud_guarantee")),
            volume=VolumeRule.from_json(data["volume"]) if data.get("volume") else None,
        )

    def to_json(self) -> dict[str, Any]:
        """The catalogue representation (Decimals as strings)."""

        def threshold(value: Threshold | None) -> dict[str, Any] | None:
            if value is None:
                return None
            return {"threshold": value.threshold, "percentage": str(value.percentage)}

        return {
            "price_per_km2": {k: str(v) for k, v in self.price_per_km2.items()},
            "min_order_km2": self.min_order_km2,
            "min_billable_km2": self.min_billable_km2,
            "product_type_factors": {k: str(v) for k, v in self.product_type_factors.items()},
            "radiometric_factors": {k: str(v) for k, v in self.radiometric_factors.items()},
            "rush_percentage": str(self.rush_percentage),
            "expedited_percentage": str(self.expedited_percentage),
            "off_nadir": threshold(self.off_nadir),
            "cloud_guarantee": threshold(self.cloud_guarantee),
            **({"volume": self.volume.to_json()} if self.volume else {}),
        }


@dataclass(frozen=True)
class VolumeRule:
    """Pricing by delivered volume (OneAtlas's GB consumption mode), counted in kB.

    An order is priced on an estimate (``estimated_kb_per_km2`` of the billable area); the
    amount becomes final, at ``price_per_kb``, once the product's files are delivered.
    """

    price_per_kb: Decimal
    estimated_kb_per_km2: Decimal

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VolumeRule:
        """Read the ``volume`` object of a product's ``pricing``."""
        return cls(Decimal(str(data["price_per_kb"])), Decimal(str(data["estimated_kb_per_km2"])))

    def to_json(self) -> dict[str, str]:
        """The catalogue representation."""
        return {
            "price_per_kb": str(self.price_per_kb),
            "estimated_kb_per_km2": str(self.estimated_kb_per_km2),
        }

    def estimate_kb(self, billable_km2: float) -> int:
        """The volume an area is expected to deliver, in whole kB (rounded up)."""
        return _ceil(Decimal(str(billable_km2)) * self.estimated_kb_per_km2)


@dataclass(frozen=True)
class Uplift:
    """A surcharge (positive) or discount (negative) on a line item, as Pixxel lists them."""

    title: str
    subtitle: str
    percentage: Decimal
    amount: int
    item_id: str | None = None
    """The archive scene it applies to, when an item buys several."""


@dataclass(frozen=True)
class Areas:
    """Requested, clipped and billable areas of one item, in km²."""

    requested_km2: float
    clipped_km2: float
    billable_km2: float


@dataclass(frozen=True)
class LinePrice:
    """The price of one item."""

    areas: Areas
    unit_price: Decimal
    quantity: Decimal
    base_amount: int
    uplifts: tuple[Uplift, ...]
    volume_kb: int | None = None
    """Volume-priced lines: the estimated volume the price is for."""
    delivered_kb: int | None = None
    """Volume-priced lines, once delivered: the volume delivered."""
    final_amount: int | None = None
    """Volume-priced lines, once delivered: the amount for the delivered volume."""

    @property
    def total(self) -> int:
        """Base amount plus every uplift and discount (the estimate, for a volume price)."""
        return self.base_amount + sum(u.amount for u in self.uplifts)

    @property
    def estimated(self) -> bool:
        """Whether the amount is an estimate still (a volume price not yet delivered)."""
        return self.volume_kb is not None and self.final_amount is None

    @property
    def charged(self) -> int:
        """What the line costs: the final amount once known, else the total."""
        return self.final_amount if self.final_amount is not None else self.total

    def delivered(self, size_bytes: int) -> LinePrice:
        """This volume-priced line made final for ``size_bytes`` delivered (kB rounded up).

        The same unit price and the same uplift and discount percentages apply.
        """
        kb = _ceil(Decimal(size_bytes) / KB)
        base = _round(Decimal(kb) * self.unit_price)
        final = base + sum(_round(Decimal(base) * u.percentage / HUNDRED) for u in self.uplifts)
        return replace(self, delivered_kb=kb, final_amount=final)


@dataclass(frozen=True)
class PricingOptions:
    """What about an item changes its price."""

    processing_level: str
    product_type: str | None = None
    radiometric_processing: str | None = None
    rush: bool = False
    expedited: bool = False
    max_off_nadir: float | None = None
    max_cloud_cover: float | None = None
    discount_percentage: Decimal = Decimal(0)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def _unwrap_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """Shift negative longitudes by 360° when a shape spans the antimeridian."""
    west, _, east, _ = geom.bounds
    if east - west <= 180:
        return geom

    def shift(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out = xy.copy()
        out[:, 0] = np.where(out[:, 0] < 0, out[:, 0] + 360.0, out[:, 0])
        return out

    return shapely.transform(geom, shift)


def prepare_area(geojson: Mapping[str, Any], field_name: str) -> BaseGeometry:
    """The AOI as a shape ready for area and clipping, or a clear refusal.

    A polygon whose longitudes jump across ±180° is read as crossing the
    antimeridian. Polar AOIs beyond 85° latitude are refused.
    """
    geom = shape(dict(geojson))
    _, south, _, north = geom.bounds
    if south < -MAX_ABS_LATITUDE or north > MAX_ABS_LATITUDE:
        raise ValidationFailed.on(
            field_name,
            f"reaches latitude {north if north > MAX_ABS_LATITUDE else south:.2f}; AOIs beyond "
            f"±{MAX_ABS_LATITUDE:g}° are not orderable (no priced coverage near the poles)",
        )
    return _unwrap_antimeridian(geom)


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """The area on the WGS84 ellipsoid, in km² (0 for points and lines)."""
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return 0.0
    area, _ = WGS84.geometry_area_perimeter(geom)
    return abs(float(area)) / 1e6


def clip_to_footprint(
    aoi: BaseGeometry | None, footprint: Mapping[str, Any], field_name: str
) -> BaseGeometry:
    """The part of the AOI inside a scene footprint (the footprint when no AOI)."""
    scene = _unwrap_antimeridian(shape(dict(footprint)))
    if aoi is None:
        return scene
    clipped = aoi.intersection(scene)
    if clipped.is_empty or clipped.area == 0:
        raise ValidationFailed.on(field_name, "does not overlap the scene's footprint")
    return clipped


def item_areas(
    rule: PriceRule, requested: BaseGeometry, clipped: BaseGeometry, field_name: str
) -> Areas:
    """Requested, clipped and billable km²; refuse what is under the minimum orderable area."""
    requested_km2 = geodesic_area_km2(requested)
    clipped_km2 = geodesic_area_km2(clipped)
    if requested.geom_type != "Point" and clipped_km2 < rule.min_order_km2:
        raise ValidationFailed.on(
            field_name,
            f"covers {clipped_km2:.4f} km² (after clipping to the scene); the minimum "
            f"orderable area is {rule.min_order_km2:g} km²",
        )
    billable = max(clipped_km2, rule.min_billable_km2)
    return Areas(round(requested_km2, 6), round(clipped_km2, 6), round(billable, 6))


def _factor(table: Mapping[str, Decimal], key: str | None, name: str, field_name: str) -> Decimal:
    if key is None or not table:
        return Decimal(1)
    if key not in table:
        raise ValidationFailed.on(
            field_name, f"{name} {key!r} is not priced; use one of {sorted(table)}"
        )
    return table[key]


def _uplifts(rule: PriceRule, opts: PricingOptions, base: int) -> list[Uplift]:
    out: list[Uplift] = []

    def add(title: str, subtitle: str, pct: Decimal) -> None:
        if pct:
            out.append(Uplift(title, subtitle, pct, _round(Decimal(base) * pct / HUNDRED)))

    if opts.rush:
        add("rush_priority", "rush tasking priority", rule.rush_percentage)
    if opts.expedited:
        add("expedited_delivery", "expedited delivery", rule.expedited_percentage)
    if rule.off_nadir and opts.max_off_nadir is not None:
        if opts.max_off_nadir > rule.off_nadir.threshold:
            add(
                "off_nadir",
                f"off-nadir above {rule.off_nadir.threshold:g}°",
                rule.off_nadir.percentage,
            )
    if rule.cloud_guarantee and opts.max_cloud_cover is not None:
        if opts.max_cloud_cover <= rule.cloud_guarantee.threshold:
            add(
                "cloud_cover_guarantee",
                f"cloud cover guaranteed at or below {rule.cloud_guarantee.threshold:g}%",
                rule.cloud_guarantee.percentage,
            )
    if opts.discount_percentage:
        add("discount", "contract discount", -opts.discount_percentage)
    return out


def price_line(
    rule: PriceRule,
    areas: Areas,
    opts: PricingOptions,
    field_name: str,
    quantity: Decimal = Decimal(1),
) -> LinePrice:
    """Price one item from its billable area and options (``quantity``: occurrences).

    A volume-priced product is priced on the volume its billable area is expected to
    deliver (``LinePrice.delivered`` makes it final).
    """
    if rule.volume is not None:
        kb = rule.volume.estimate_kb(areas.billable_km2) * int(quantity)
        unit = rule.volume.price_per_kb
        base = _round(Decimal(kb) * unit)
        return LinePrice(
            areas, unit, quantity, base, tuple(_uplifts(rule, opts, base)), volume_kb=kb
        )
    if opts.processing_level not in rule.price_per_km2:
        raise ValidationFailed.on(
            f"{field_name}.processing_level",
            f"{opts.processing_level!r} has no price; priced levels: {sorted(rule.price_per_km2)}",
        )
    unit = (
        rule.price_per_km2[opts.processing_level]
        * _factor(rule.product_type_factors, opts.product_type, "product type", field_name)
        * _factor(
            rule.radiometric_factors,
            opts.radiometric_processing,
            "radiometric processing",
            field_name,
        )
    )
    base = _round(Decimal(str(areas.billable_km2)) * unit * quantity)
    return LinePrice(areas, unit, quantity, base, tuple(_uplifts(rule, opts, base)))


def line_to_json(line: LinePrice) -> dict[str, Any]:
    """A line price as stored with quotes and order items."""
    return {
        "requested_km2": line.areas.requested_km2,
        "clipped_km2": line.areas.clipped_km2,
        "billable_km2": line.areas.billable_km2,
        "unit_price": str(line.unit_price),
        "quantity": str(line.quantity),
        "base_amount": line.base_amount,
        "uplifts": [
            {
                "title": u.title,
                "subtitle": u.subtitle,
                "percentage": str(u.percentage),
                "amount": u.amount,
                **({"item_id": u.item_id} if u.item_id is not None else {}),
            }
            for u in line.uplifts
        ],
        "total": line.total,
        **{
            k: v
            for k, v in (
                ("volume_kb", line.volume_kb),
                ("delivered_kb", line.delivered_kb),
                ("final_amount", line.final_amount),
            )
            if v is not None
        },
    }


def line_from_json(data: Mapping[str, Any]) -> LinePrice:
    """The inverse of ``line_to_json``."""
    return LinePrice(
        areas=Areas(data["requested_km2"], data["clipped_km2"], data["billable_km2"]),
        unit_price=Decimal(data["unit_price"]),
        quantity=Decimal(data.get("quantity", "1")),
        base_amount=int(data["base_amount"]),
        uplifts=tuple(
            Uplift(
                u["title"],
                u["subtitle"],
                Decimal(u["percentage"]),
                int(u["amount"]),
                u.get("item_id"),
            )  # fmt: skip
            for u in data["uplifts"]
        ),
        volume_kb=data.get("volume_kb"),
        delivered_kb=data.get("delivered_kb"),
        final_amount=data.get("final_amount"),
    )


def combine_lines(lines: list[tuple[str, LinePrice]]) -> LinePrice:
    """One price for several scenes of an item: areas and amounts summed, each uplift
    marked with the scene (``item_id``) it applies to."""
    if len(lines) == 1:
        return lines[0][1]
    first = lines[0][1]
    return LinePrice(
        areas=Areas(
            round(sum(p.areas.requested_km2 for _, p in lines), 6),
            round(sum(p.areas.clipped_km2 for _, p in lines), 6),
            round(sum(p.areas.billable_km2 for _, p in lines), 6),
        ),
        unit_price=first.unit_price,
        quantity=first.quantity,
        base_amount=sum(p.base_amount for _, p in lines),
        uplifts=tuple(
            Uplift(u.title, u.subtitle, u.percentage, u.amount, scene)
            for scene, p in lines
            for u in p.uplifts
        ),
    )
