"""Item prices as the API shows them."""

from __future__ import annotations

from pydantic import BaseModel

from skyorder.core.pricing import LinePrice


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
        )
