"""km² subscriptions of the caller's contracts: grant one, read what orders drew."""

from __future__ import annotations

from collections.abc import Sequence

from skyorder.core.subscriptions import Consumption
from skyorder.core.tenants import Principal
from skyorder.facade.base import Resource
from skyorder.services import subscriptions as service
from skyorder.services.subscriptions import SubscriptionTerms

__all__ = ["Consumption", "Subscriptions", "SubscriptionTerms"]


class Subscriptions(Resource):
    """Quotas of km² per period that orders draw from."""

    def grant(
        self, principal: Principal, contract_id: str, terms: SubscriptionTerms
    ) -> Consumption:
        """Give a contract a km² subscription (``POST /v1/contracts/{id}/subscriptions``)."""
        rt = self._rt
        with rt.uow() as uow:
            subscription = service.grant(uow, self._clock(principal), principal, contract_id, terms)
            used = uow.subscriptions.consumption(subscription, self._clock(principal).now())
            uow.commit()
        return used

    def of_contract(self, principal: Principal, contract_id: str) -> Sequence[Consumption]:
        """A contract's subscriptions and their use (``GET /v1/contracts/{id}/subscriptions``)."""
        with self._rt.uow(readonly=True) as uow:
            return service.consumptions(uow, principal, contract_id, self._clock(principal).now())

    def get(self, principal: Principal, subscription_id: str) -> Consumption:
        """One subscription and its current period's use (``GET /v1/subscriptions/{id}``)."""
        with self._rt.uow(readonly=True) as uow:
            return service.consumption(
                uow, principal, subscription_id, self._clock(principal).now()
            )
