"""Order items across orders, with their tasks and money (Pixxel's ``/v0/order-items``)."""

from __future__ import annotations

from skyorder.core.errors import NotFound
from skyorder.core.item_listing import ItemQuery, ItemRecord
from skyorder.core.listing import PageResult
from skyorder.core.orders import Order, OrderItem, PaymentStatus
from skyorder.core.statements import monthly_item_status
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
    monthly = {o.contract_id for o, _ in pairs if o.payment_status is PaymentStatus.PARTIAL_MONTHLY}
    settled = uow.statements.settled_through(monthly)
    records: list[ItemRecord] = []
    for order, item in pairs:
        own = money.get(item.id, ItemMoney())
        status = (
            monthly_item_status(item, own, settled.get(order.contract_id))
            if order.contract_id in monthly
            else None
        )
        records.append(ItemRecord(order, item, tuple(tasks.get(item.id, ())), own, status))
    return records


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
