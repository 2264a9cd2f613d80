"""OneAtlas Data answers: orders with ``_links``, deliveries with ``datas``, prices.

Every value comes from the core: an order's archive items are its deliveries, each
showing its scene (catalogue UUID, source id, sensor, footprint), its processing, its
area and price; an item's deliverable, once delivered, is the catalogue item the
guide's ``download`` link serves. Statuses are the guide's four words (and
``cancelled`` for an order cancelled by its customer, which the guide does not show).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skyorder.api.compat.oneatlas.wire import GB, KINDS, KM2, OPTION_NAMES, OrderBody
from skyorder.core.catalog import scene_uuid
from skyorder.core.deliverables import Deliverable, DeliverableStatus
from skyorder.core.geometry import right_handed
from skyorder.core.ledger import Entry, Transaction
from skyorder.core.orders import ItemStatus, OrderItem, OrderStatus
from skyorder.core.pricing import LinePrice
from skyorder.facade.order_views import OrderDetail, Pricing

ORDER_STATUS = {
    OrderStatus.PENDING_PAYMENT: "ordered",
    OrderStatus.ACCEPTED: "ordered",
    OrderStatus.IN_PROGRESS: "ordered",
    OrderStatus.COMPLETED: "delivered",
    OrderStatus.PARTIALLY_COMPLETED: "delivered",
    OrderStatus.FAILED: "error",
    OrderStatus.CANCELLED: "cancelled",
    OrderStatus.REJECTED: "rejected",
}
"""The guide's status of an order, by the core's."""
STATUS_FILTER: dict[str, tuple[str, ...]] = {}
for _core, _word in ORDER_STATUS.items():
    STATUS_FILTER.setdefault(_word, ())
    STATUS_FILTER[_word] += (_core.value,)

DELIVERY_STATUS = {
    ItemStatus.PENDING: "processing",
    ItemStatus.ACTIVE: "processing",
    ItemStatus.COMPLETED: "delivered",
    ItemStatus.PARTIALLY_COMPLETED: "delivered",
    ItemStatus.FAILED: "error",
    ItemStatus.EXPIRED: "error",
    ItemStatus.CANCELLED: "cancelled",
}
FEASIBILITY = "automatic"
"""Archive scenes need no tasking: every product is made automatically."""
NO_SUBSCRIPTION = "noAvailableSubscriptionData"
ORDERABLE = "orderable"
"""A km² subscription of the contract covers the order."""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _flag(value: bool) -> str:
    return "true" if value else "false"  # the guide writes booleans as strings


def amount_unit(currency: str | None) -> str:
    """The unit amounts are counted in: the contract's currency (credits, or a currency code)."""
    return "credits" if (currency or "CREDITS").upper() == "CREDITS" else str(currency)


def order_kind(detail: OrderDetail) -> str:
    """``order.data.gb.product`` when its products are priced by volume, else the km² kind."""
    volume = [i.price is not None and i.price.volume_kb is not None for i in detail.order.items]
    return GB if volume and all(volume) else KM2


@dataclass(frozen=True)
class Amounts:
    """What the guide shows of a price: credits, amount (kB for volume prices), estimate."""

    credits: int
    amount: int
    estimated_amount: int
    estimated: bool
    unit: str

    @classmethod
    def of(cls, lines: Sequence[LinePrice], currency: str | None) -> Amounts:
        """The amounts of some priced lines (all by volume: in kB; else in credits)."""
        credits = sum(line.charged for line in lines)
        if lines and all(line.volume_kb is not None for line in lines):
            estimate = sum(line.volume_kb or 0 for line in lines)
            amount = sum(
                line.delivered_kb if line.delivered_kb is not None else line.volume_kb or 0
                for line in lines
            )
            return cls(credits, amount, estimate, any(li.estimated for li in lines), "kB")
        estimate = sum(line.total for line in lines)
        return cls(credits, credits, estimate, False, amount_unit(currency))

    def price(self) -> dict[str, Any]:
        """As an order or a delivery shows it."""
        return {
            "isAmountEstimated": _flag(self.estimated),
            "price": self.credits,
            "amount": self.amount,
            "estimatedAmount": self.estimated_amount,
            "amountUnit": self.unit,
        }


def _href(base: str, path: str) -> dict[str, str]:
    return {"href": f"{base}{path}"}


def product_json(item: OrderItem, uuid: str) -> dict[str, Any]:
    """A product as the guide's bodies name it."""
    out = {wire: item.options.get(core) for core, wire in OPTION_NAMES.items()}
    return {**out, "id": uuid, "aoi": item.aoi}


def _uuid(detail: OrderDetail, item: OrderItem) -> str:
    scene = detail.scenes.get(item.id)
    if scene is not None:
        return scene.catalog_uuid
    assert item.archive is not None
    return scene_uuid(item.archive.collection, item.archive.item_id)


def _delivered(detail: OrderDetail, item: OrderItem) -> Deliverable | None:
    made = detail.deliverables.get(item.id, ())
    return next((d for d in made if d.status is DeliverableStatus.DELIVERED), None)


def _datas(detail: OrderDetail, item: OrderItem) -> dict[str, Any]:
    assert item.archive is not None
    scene = detail.scenes.get(item.id)
    product = detail.products.get(item.product)
    sensor = scene.properties.get("skyorder:sensor") if scene is not None else None
    area = item.price.areas.clipped_km2 if item.price is not None else 0.0
    return {
        **product_json(item, _uuid(detail, item)),
        "aoi": right_handed(item.aoi) if item.aoi else item.aoi,  # as clipped (RFC 7946)
        "sourceId": item.archive.item_id,
        "sensor": sensor or (product.sensor if product is not None else None),
        "segmentFootprint": scene.geometry if scene is not None else None,
        "processingLevel": item.archive.processing_level,
        "areaKm2": round(area, 2),
    }


def delivery_json(detail: OrderDetail, item: OrderItem, base: str) -> dict[str, Any]:
    """One product of an order, as the guide's ``deliveries[]`` show it."""
    order = detail.order
    links = {
        "self": _href(base, f"/deliveries/{item.id}"),
        "contract": _href(base, f"/contracts/{order.contract_id}"),
    }
    made = _delivered(detail, item)
    if made is not None:
        # the guide's two catalogue links name the same delivered item
        links["catalogUrl"] = _href(base, f"/items/{made.id}")
        links["catalogItem"] = _href(base, f"/items/{made.id}")
        links["download"] = _href(base, f"/items/{made.id}/download")
    paid = detail.payment(item.id, made.id if made is not None else None)
    if paid is not None:
        links["payment"] = _href(base, f"/contracts/{paid.contract_id}/payments/{paid.id}")
    status = "rejected" if order.status is OrderStatus.REJECTED else DELIVERY_STATUS[item.status]
    lines = [item.price] if item.price is not None else []
    area = item.price.areas.clipped_km2 if item.price is not None else 0.0
    out: dict[str, Any] = {
        "_links": links,
        "id": item.id,
        "kind": "delivery.data.product",
        "service": "data",
        "createdAt": _time(item.created_at),
        "status": status,
        **Amounts.of(lines, order.currency).price(),
        "area": f"{area:.2f}",
        "unit": "km2",
        "datas": _datas(detail, item),
        "updatedAt": _time(item.updated_at),
    }
    if made is not None:
        out["deliveredAt"] = _time(made.delivered_at)
    return out


def order_json(detail: OrderDetail, base: str) -> dict[str, Any]:
    """An order, as ``POST /orders``, ``GET /orders/{id}`` and the listing show it."""
    order = detail.order
    me = f"/orders/{order.id}"
    by = order.created_by
    archive = [i for i in order.items if i.archive is not None]
    return {
        "_links": {
            "self": _href(base, me),
            "cancel": _href(base, f"{me}/cancel"),
            "contract": _href(base, f"/contracts/{order.contract_id}"),
            "payments": _href(base, f"{me}/payments"),
            "deliveries": _href(base, f"{me}/deliveries"),
            "subscription": _href(
                base, f"/subscriptions/{detail.subscription_id or order.contract_id}"
            ),
        },
        "id": order.id,
        "kind": order_kind(detail),
        "service": "data",
        "createdAt": _time(order.created_at),
        "createdBy": (by.user_id or by.client_id) if by is not None else None,
        "status": ORDER_STATUS[order.status],
        "contractId": order.contract_id,
        **Amounts.of([i.price for i in archive if i.price], order.currency).price(),
        "payload": {
            # as sent: a OneAtlas order is named for its kind (``order.product`` included)
            "kind": order.name if order.name in KINDS else order_kind(detail),
            "products": [product_json(i, _uuid(detail, i)) for i in archive],
        },
        "deliveries": [delivery_json(detail, i, base) for i in archive],
        "updatedAt": _time(order.updated_at),
        **({"deliveredAt": _time(max(done))} if (done := _delivered_at(detail)) else {}),
    }


def _delivered_at(detail: OrderDetail) -> list[datetime]:
    """When each product of a delivered order was delivered (empty: not delivered)."""
    if detail.order.status not in (OrderStatus.COMPLETED, OrderStatus.PARTIALLY_COMPLETED):
        return []
    made = (_delivered(detail, i) for i in detail.order.items)
    return [d.delivered_at for d in made if d is not None and d.delivered_at is not None]


def prices_json(body: OrderBody, pricing: Pricing) -> dict[str, Any]:
    """The answer of ``POST /prices``: each product's area and amount, and the total."""
    currency = pricing.contract.currency
    deliveries = []
    for line in pricing.priced.items:
        sent = body.products[line.index]
        resolved = pricing.request.items[line.index]
        amounts = Amounts.of([line.price], currency)
        deliveries.append(
            {
                "datas": {
                    **sent.model_dump(),
                    "aoi": right_handed(sent.aoi),  # as clipped, its rings as RFC 7946 winds them
                    "sourceId": getattr(resolved, "item_id", None),
                },
                "id": sent.id,
                "amount": amounts.amount,
                "amountUnit": amounts.unit,
                "isAmountEstimated": _flag(amounts.estimated),
                "areaKm2": round(line.price.areas.clipped_km2, 2),
            }
        )
    area = round(sum(p.price.areas.clipped_km2 for p in pricing.priced.items), 2)
    total = Amounts.of([p.price for p in pricing.priced.items], currency)
    return {
        "payload": body.model_dump(),
        "deliveries": deliveries,
        "price": {
            "credits": total.credits,
            "amount": total.amount,
            "isAmountEstimated": _flag(total.estimated),
            "areaKm2": area,
            "amountUnit": total.unit,
        },
        "feasibility": FEASIBILITY,
        "orderable": ORDERABLE if pricing.covered_by is not None else NO_SUBSCRIPTION,
    }


def entry_json(entry: Entry, base: str) -> dict[str, Any]:
    """One ledger entry of an order (``/orders/{id}/payments``)."""
    payment = f"/contracts/{entry.contract_id}/payments/{entry.transaction_id}"
    return {
        "_links": {"payment": _href(base, payment)},
        "id": entry.id,
        "transactionId": entry.transaction_id,
        "kind": entry.kind.value,
        "account": entry.account.value,
        "amount": entry.amount,
        "orderId": entry.order_id,
        "deliveryId": entry.item_id,
        "contractId": entry.contract_id,
        "memo": entry.memo,
        "createdAt": entry.created_at.isoformat(),
    }


def payment_json(tx: Transaction, currency: str | None, base: str) -> dict[str, Any]:
    """One payment (a ledger transaction): what moved, how much, and what it paid for."""
    links = {
        "self": _href(base, f"/contracts/{tx.contract_id}/payments/{tx.id}"),
        "contract": _href(base, f"/contracts/{tx.contract_id}"),
    }
    if tx.order_id is not None:
        links["order"] = _href(base, f"/orders/{tx.order_id}")
    if tx.item_id is not None:
        links["delivery"] = _href(base, f"/deliveries/{tx.item_id}")
    if tx.deliverable_id is not None:
        links["catalogItem"] = _href(base, f"/items/{tx.deliverable_id}")
    return {
        "_links": links,
        "id": tx.id,
        "kind": tx.kind.value,
        "amount": tx.amount,
        "amountUnit": amount_unit(currency),
        "contractId": tx.contract_id,
        "orderId": tx.order_id,
        "deliveryId": tx.item_id,
        "memo": tx.memo,
        "createdAt": tx.created_at.isoformat(),
        "entries": [{"account": e.account.value, "amount": e.amount} for e in tx.entries],
    }
