"""Hosted checkout: the page a pay-per-order customer pays or cancels on."""

from __future__ import annotations

from skyorder.core.clock import Clock
from skyorder.core.errors import NotFound
from skyorder.core.orders import Order
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.services import billing
from skyorder.store.repositories.billing import Checkout

__all__ = ["Checkout", "Checkouts"]


class Checkouts(Resource):
    """Checkouts, reached by their unguessable id (the link is the credential)."""

    def get(self, checkout_id: str) -> tuple[Checkout, Order]:
        """A checkout and its order, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            checkout = uow.checkouts.get(checkout_id)
            if checkout is None:
                raise NotFound(f"checkout {checkout_id} not found")
            owner = Principal(checkout.organisation_id, "checkout")
            order = uow.orders.get(owner, checkout.order_id)
        if order is None:
            raise NotFound(f"checkout {checkout_id} not found")
        return checkout, order

    def _clock_of(self, checkout_id: str) -> Clock:
        """The clock of the organisation the checkout is for (NotFound if none)."""
        checkout, _ = self.get(checkout_id)
        return self._rt.clocks.of(checkout.organisation_id)

    def pay(self, checkout_id: str) -> Order:
        """Pay an open checkout: its order is accepted."""
        clock = self._clock_of(checkout_id)
        with self._rt.uow() as uow:
            order = billing.pay_checkout(uow, clock, checkout_id)
            uow.commit()
        return order

    def cancel(self, checkout_id: str) -> Order:
        """Cancel an open checkout and its order."""
        clock = self._clock_of(checkout_id)
        with self._rt.uow() as uow:
            order = billing.cancel_checkout(uow, clock, checkout_id)
            uow.commit()
        return order
