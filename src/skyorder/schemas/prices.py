"""Item prices as the API shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from skyorder.core.pricing import LinePrice, line_to_json


class UpliftOut(BaseModel):
    """A surcharge (positive amount) or discount (negative amount) on a line."""

    title: str
    subtitle: str
    percentage: str
    amount: int


class PriceOut(BaseModel):
    """The price of one item: areas, unit price, base amount, uplifts, total."""

    requested_km2: float
    clipped_km2: float
    billable_km2: float
    unit_price: str
    quantity: str
    base_amount: int
    uplifts: list[UpliftOut]
    total: int
    estimated: bool = False
    """Volume-priced lines until delivered: ``total`` is an estimate."""
    volume_kb: int | None = None
    """Volume-priced lines: the estimated volume (kB) the price is for."""
    delivered_kb: int | None = None
    """Volume-priced lines, once delivered: the volume (kB) delivered."""
    final_amount: int | None = None
    """Volume-priced lines, once delivered: what the line costs (``total`` was the estimate)."""

    @classmethod
    def of(cls, line: LinePrice) -> PriceOut:
        """Render a line price."""
        return cls(
            requested_km2=line.areas.requested_km2,
            clipped_km2=line.areas.clipped_km2,
            billable_km2=line.areas.billable_km2,
            unit_price=str(line.unit_price),
            quantity=str(line.quantity),
            base_amount=line.base_amount,
            uplifts=[
                UpliftOut(
                    title=u.title,
                    subtitle=u.subtitle,
                    percentage=str(u.percentage),
                    amount=u.amount,
                )
                for u in line.uplifts
            ],
            total=line.total,
            estimated=line.estimated,
            volume_kb=line.volume_kb,
            delivered_kb=line.delivered_kb,
            final_amount=line.final_amount,
        )


def price_json(line: LinePrice) -> dict[str, Any]:
    """``PriceOut.of(line)`` as a dict, without building the model (listings render many)."""
    return {
        **line_to_json(line),
        "estimated": line.estimated,
        "volume_kb": line.volume_kb,
        "delivered_kb": line.delivered_kb,
        "final_amount": line.final_amount,
    }
