"""km² subscriptions: granting one to a contract, reading its consumption, drawing orders.

Granting is an administrator's act (the ``admin`` role), as topping up is an operator's.
Placing an order asks ``draw_order`` whether a subscription of its contract covers it;
a covered order is priced at nothing and its km² are drawn from the current period.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from skyorder.core.clock import Clock
from skyorder.core.errors import NotFound, ValidationFailed
from skyorder.core.ids import new_id
from skyorder.core.orders import Order
from skyorder.core.pricing import LinePrice
from skyorder.core.products import ItemKind, Product
from skyorder.core.subscriptions import Consumption, Subscription, check_terms
from skyorder.core.tenants import Contract, Principal, Role
from skyorder.store.uow import UnitOfWork


@dataclass(frozen=True)
class SubscriptionTerms:
    """What an administrator grants: a quota per period, from a start."""

    quota_km2: float
    period_months: int = 1
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def grant(
    uow: UnitOfWork, clock: Clock, principal: Principal, contract_id: str, terms: SubscriptionTerms
) -> Subscription:
    """Give one of the caller's contracts a km² subscription (``admin`` role)."""
    principal.require(Role.ADMIN, "granting a subscription")
    contract = uow.tenants.get_contract(principal.without_contract(), contract_id)
    if contract is None:
        raise NotFound(f"contract {contract_id} not found")
    check_terms(terms.quota_km2, terms.period_months)
    now = clock.now()
    subscription = Subscription(
        id=new_id(),
        organisation_id=contract.organisation_id,
        contract_id=contract.id,
        quota_km2=terms.quota_km2,
        period_months=terms.period_months,
        starts_at=terms.starts_at or now,
        created_at=now,
        ends_at=terms.ends_at,
    )
    uow.subscriptions.add(subscription)
    return subscription


def consumptions(
    uow: UnitOfWork, principal: Principal, contract_id: str, now: datetime
) -> list[Consumption]:
    """Every subscription of one of the caller's contracts, with its current period's use."""
    if uow.tenants.get_contract(principal.without_contract(), contract_id) is None:
        raise NotFound(f"contract {contract_id} not found")
    return [
        uow.subscriptions.consumption(s, now)
        for s in uow.subscriptions.of_contract(principal.without_contract(), contract_id)
    ]


def consumption(
    uow: UnitOfWork, principal: Principal, subscription_id: str, now: datetime
) -> Consumption:
    """One of the caller's subscriptions with its current period's use, or NotFound."""
    found = uow.subscriptions.get(principal.without_contract(), subscription_id)
    if found is None:
        raise NotFound(f"subscription {subscription_id} not found")
    return uow.subscriptions.consumption(found, now)


def _per_km2_archive(products: Mapping[str, Product], order_products: list[str]) -> bool:
    for sku in order_products:
        product = products.get(sku)
        if product is None or product.kind is not ItemKind.ARCHIVE:
            return False
        if product.pricing is None or product.pricing.volume is not None:
            return False
    return True


def covering(
    uow: UnitOfWork,
    principal: Principal,
    contract: Contract,
    products: Mapping[str, Product],
    skus: list[str],
    km2: float,
    now: datetime,
) -> Consumption | None:
    """The subscription (and its period) that covers ``km2`` of these products, if one does."""
    if not _per_km2_archive(products, skus):
        return None
    for s in uow.subscriptions.of_contract(principal.without_contract(), contract.id):
        if s.is_active(now):
            used = uow.subscriptions.consumption(s, now)
            if used.covers(km2):
                return used
    return None


def _refuse_subscription_only(order: Order, products: Mapping[str, Product], km2: float) -> None:
    """Refuse an order of a product sold only through a subscription that none covers."""
    for i, item in enumerate(order.items):
        product = products.get(item.product)
        if product is not None and product.subscription_only:
            raise ValidationFailed.on(
                f"items[{i}].product",
                f"{product.name} is sold only through a km² subscription, and no subscription "
                f"of your contract has {km2:.2f} km² left this period; ask your provider for "
                "one, or order another sensor",
            )


def draw_order(
    uow: UnitOfWork,
    principal: Principal,
    contract: Contract,
    order: Order,
    prices: dict[str, LinePrice],
    products: Mapping[str, Product],
    now: datetime,
) -> dict[str, LinePrice]:
    """Draw a new order from a subscription that covers it: its prices become nothing.

    Returns the prices to settle: unchanged when no subscription covers the order.
    """
    km2 = round(sum(p.areas.billable_km2 for p in prices.values()), 6)
    used = covering(uow, principal, contract, products, order.products, km2, now)
    if used is None:
        _refuse_subscription_only(order, products, km2)
        return prices
    uow.subscriptions.draw(used.subscription, order.id, km2, used.period_start, now)
    return {k: replace(p, base_amount=0, uplifts=()) for k, p in prices.items()}
