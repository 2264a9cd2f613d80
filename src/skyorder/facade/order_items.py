"""Order items across orders, with their tasks and money (Pixxel's ``/v0/order-items``)."""

from __future__ import annotations

from skyorder.core.errors import NotFound
from skyorder.core.item_listing import ItemQuery, ItemRecord
from skyorder.core.listing import PageResult
from skyorder.core.orders import Order, OrderItem
from skyorder.core.tasks import ItemMoney
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.store.uow import UnitOfWork


def _records(
    uow: UnitOfWork, principal: Principal, pairs: list[tuple[Order, OrderItem]]
) -> list[ItemRecord]:
    ids = [item.id for _, item in pairs]
    tasks = uow.tasks.of_items(principal, ids)
    money = uow.ledger.item_money(principal, ids)
    return [
        ItemRecord(order, item, tuple(tasks.get(item.id, ())), money.get(item.id, ItemMoney()))
        for order, item in pairs
    ]


class OrderItems(Resource):
    """The caller's order items, newest first, whichever API placed them."""

    def list(self, principal: Principal, query: ItemQuery) -> PageResult[ItemRecord]:
        """One page of order items matching ``query`` (``GET /v0/order-items``)."""
        with self._rt.uow(readonly=True) as uow:
            page = uow.order_items.list(principal, query)
            records = _records(uow, principal, list(page.items))
        return PageResult(page.count, records, page.limit, page.offset)

    def get(self, principal: Principal, item_id: str) -> ItemRecord:
        """One order item by id (``GET /v0/order-items/{id}``).

        Raises:
            NotFound: no such item, or another tenant's.
        """
        with self._rt.uow(readonly=True) as uow:
            page = uow.order_items.list(principal, ItemQuery(ids=(item_id,), limit=1))
            if not page.items:
                raise NotFound(f"order item {item_id} not found")
            return _records(uow, principal, list(page.items))[0]
