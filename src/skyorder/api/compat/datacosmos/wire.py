"""DataCosmos's wire format: request bodies, the ``{"data": ...}`` answers, its statuses.

DataCosmos addresses organisations and contracts by integer numbers (the core's
account numbers), calls licences ``licenses`` with ``license_*`` fields, and an
order's lines ``order_line_items`` (``collection``, ``item``, ``level``).

The order ``status`` is the purchase's, as the document's scripts poll it:

================  =====================================================================
DataCosmos        core
================  =====================================================================
AWAITING_PAYMENT  order ``pending_payment`` (payment ``unpaid``: a checkout is open)
PAID              order ``accepted``, ``in_progress``, ``completed`` or
                  ``partially_completed`` (payment ``paid`` or ``not_required``)
FAILED            order ``failed`` (nothing could be delivered; the money went back)
CANCELLED         order ``cancelled`` or ``rejected`` (checkout abandoned, or cancelled)
================  =====================================================================

``processing_status`` follows the data once paid: ``PROCESSING`` (accepted, in
progress), ``DELIVERED`` (completed), ``PARTIALLY_DELIVERED``, ``FAILED``; null before
payment and for orders cancelled unpaid. Each line item's ``status`` is one of
``AWAITING_PAYMENT``, ``PROCESSING``, ``DELIVERED``, ``PARTIALLY_DELIVERED``,
``FAILED``, ``CANCELLED``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from skyorder.core.licences import MAX_LICENCES, MAX_TEXT, AcceptedLicence, LicenceAcceptance
from skyorder.core.order_requests import ArchiveItemRequest, OrderRequest
from skyorder.core.orders import ItemStatus, Order, OrderItem, OrderStatus
from skyorder.core.pricing import LinePrice
from skyorder.core.tenants import AccountRef

ORDER_NAME = "DataCosmos IMAGE order"
MAX_LINE_ITEMS = 100
AccountNumber = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class LineItemIn(BaseModel):
    """One scene to buy: a STAC item of a collection, at a processing level."""

    model_config = ConfigDict(extra="forbid")

    collection: Name
    item: Name
    level: Name

    def to_core(self) -> ArchiveItemRequest:
        """The core's archive item."""
        return ArchiveItemRequest(self.collection, self.item, self.level)


class OrderDataIn(BaseModel):
    """The order's lines."""

    model_config = ConfigDict(extra="forbid")

    order_line_items: list[LineItemIn] = Field(min_length=1, max_length=MAX_LINE_ITEMS)


class LicenseIn(BaseModel):
    """A licence the customer accepts (or refuses) with the order."""

    model_config = ConfigDict(extra="forbid")

    license_name: Text
    license_version: Text = ""
    license_link: Text = ""
    accepted: StrictBool

    def to_core(self) -> LicenceAcceptance:
        """The core's acceptance."""
        return LicenceAcceptance(
            self.license_name, self.license_version, self.license_link, self.accepted
        )


class OrderIn(BaseModel):
    """``POST /api/data/v0/order/orders``: an IMAGE order of catalogue scenes."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["IMAGE"]
    data: OrderDataIn
    organisation: AccountNumber
    contract_id: AccountNumber
    licenses: list[LicenseIn] = Field(default_factory=list, max_length=MAX_LICENCES)

    def to_request(self) -> OrderRequest:
        """The core's order request."""
        return OrderRequest(
            name=ORDER_NAME,
            items=tuple(line.to_core() for line in self.data.order_line_items),
            licences=tuple(lic.to_core() for lic in self.licenses),
        )

    def account(self) -> AccountRef:
        """The organisation and contract the order names."""
        return AccountRef(self.organisation, self.contract_id)

    def items_json(self) -> list[dict[str, Any]]:
        """The lines as sent (kept with the order's idempotency and quotes)."""
        return [line.model_dump() for line in self.data.order_line_items]


def order_status(order: Order) -> str:
    """The purchase's status in DataCosmos's words (see the module's table)."""
    match order.status:
        case OrderStatus.CANCELLED | OrderStatus.REJECTED:
            return "CANCELLED"
        case OrderStatus.PENDING_PAYMENT:
            return "AWAITING_PAYMENT"
        case OrderStatus.FAILED:
            return "FAILED"
        case _:
            return "PAID"


def processing_status(order: Order) -> str | None:
    """Where the paid data stand: PROCESSING, DELIVERED, PARTIALLY_DELIVERED, FAILED."""
    match order.status:
        case OrderStatus.ACCEPTED | OrderStatus.IN_PROGRESS:
            return "PROCESSING"
        case OrderStatus.COMPLETED:
            return "DELIVERED"
        case OrderStatus.PARTIALLY_COMPLETED:
            return "PARTIALLY_DELIVERED"
        case OrderStatus.FAILED:
            return "FAILED"
        case _:
            return None


_ITEM_STATUS = {
    ItemStatus.PENDING: "AWAITING_PAYMENT",
    ItemStatus.ACTIVE: "PROCESSING",
    ItemStatus.COMPLETED: "DELIVERED",
    ItemStatus.PARTIALLY_COMPLETED: "PARTIALLY_DELIVERED",
    ItemStatus.FAILED: "FAILED",
    ItemStatus.EXPIRED: "FAILED",
    ItemStatus.CANCELLED: "CANCELLED",
}


def breakdown(line: LinePrice) -> dict[str, Any]:
    """How a line's price is made: area, rate, base amount, each uplift or discount."""
    return {
        "area_km2": line.areas.clipped_km2,
        "billable_area_km2": line.areas.billable_km2,
        "price_per_km2": str(line.unit_price),
        "quantity": str(line.quantity),
        "base": line.base_amount,
        "adjustments": [
            {
                "name": u.title,
                "description": u.subtitle,
                "percentage": str(u.percentage),
                "amount": u.amount,
            }
            for u in line.uplifts
        ],
        "final": line.total,
    }


def _line_item(item: OrderItem, currency: str | None) -> dict[str, Any]:
    a, t = item.archive, item.tasking
    return {
        "id": item.id,
        "collection": a.collection if a else None,
        "item": a.item_id if a else None,
        "level": a.processing_level
        if a
        else (t.processing_levels[0] if t and t.processing_levels else None),
        "product": item.product,
        "status": _ITEM_STATUS[item.status],
        "price": {
            "final": item.price.total if item.price else 0,
            "currency": currency,
            "breakdown": breakdown(item.price) if item.price else None,
        },
    }


def license_json(licence: AcceptedLicence) -> dict[str, Any]:
    """A recorded licence in DataCosmos's words, with who accepted it and when."""
    by = licence.accepted_by
    return {
        "license_name": licence.name,
        "license_version": licence.version,
        "license_link": licence.link,
        "accepted": True,
        "accepted_by": (by.email or by.client_id) if by else None,
        "accepted_at": licence.accepted_at.isoformat().replace("+00:00", "Z"),
    }


def order_json(
    order: Order,
    checkout_url: str | None,
    organisation_number: int | None,
    contract_number: int | None,
) -> dict[str, Any]:
    """An order as DataCosmos shows it (inside ``data``)."""
    return {
        "id": order.id,
        "type": "IMAGE",
        "status": order_status(order),
        "processing_status": processing_status(order),
        "organisation": organisation_number,
        "contract_id": contract_number,
        "order_line_items": [_line_item(i, order.currency) for i in order.items],
        "price": {"final": order.total_amount or 0, "currency": order.currency},
        "licenses": [license_json(lic) for lic in order.licences],
        "checkout_redirect_url": checkout_url,
        "created_at": order.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": order.updated_at.isoformat().replace("+00:00", "Z"),
    }


_LINE = re.compile(r"items\[(\d+)\](?:\.(.*))?")
_LICENCE = re.compile(r"licences(?:\[(\d+)\](?:\.(.*))?)?")
_LINE_FIELDS = {"processing_level": "level", "item_id": "item", "product": "collection"}
_LICENCE_FIELDS = {"name": "license_name", "version": "license_version", "link": "license_link"}
_FIELDS = {
    "organisation_number": "organisation",
    "contract_number": "contract_id",
    "X-Contract-Id": "contract_id",
    "processing_level": "level",
    "item_id": "item",
    "items": "data.order_line_items",
}


def field_name(name: str) -> str:
    """DataCosmos's name for a core field (``items[0].processing_level`` -> ``…level``)."""
    if m := _LINE.fullmatch(name):
        rest = m.group(2)
        head = f"data.order_line_items[{m.group(1)}]"
        if not rest:
            return head
        first, _, tail = rest.partition(".")
        return f"{head}.{_LINE_FIELDS.get(first, first)}" + (f".{tail}" if tail else "")
    if m := _LICENCE.fullmatch(name):
        if m.group(1) is None:
            return "licenses"
        part = m.group(2) or ""
        return f"licenses[{m.group(1)}]" + (f".{_LICENCE_FIELDS.get(part, part)}" if part else "")
    return _FIELDS.get(name, name)
