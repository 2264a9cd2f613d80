"""km² subscriptions: a contract's quota of square kilometres per period."""

from __future__ import annotations

from fastapi import APIRouter

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.facade.subscriptions import SubscriptionTerms
from skyorder.schemas.subscriptions import SubscriptionCreate, SubscriptionOut

router = APIRouter(prefix="/v1", tags=["billing"])


@router.post(
    "/contracts/{contract_id}/subscriptions", response_model=SubscriptionOut, status_code=201
)
def grant_subscription(
    contract_id: str, body: SubscriptionCreate, facade: FacadeDep, principal: PrincipalDep
) -> SubscriptionOut:
    """Give a contract a km² subscription (needs the ``admin`` role).

    While it runs, an order of archive products priced per km² whose billable area
    fits in the current period's remaining quota is drawn from it and costs no credits;
    other orders are paid as usual. Cancelling an order gives its km² back.
    """
    terms = SubscriptionTerms(body.quota_km2, body.period_months, body.starts_at, body.ends_at)
    return SubscriptionOut.of(facade.subscriptions.grant(principal, contract_id, terms))


@router.get("/contracts/{contract_id}/subscriptions", response_model=list[SubscriptionOut])
def contract_subscriptions(
    contract_id: str, facade: FacadeDep, principal: PrincipalDep
) -> list[SubscriptionOut]:
    """A contract's km² subscriptions, each with its current period's consumption."""
    return [SubscriptionOut.of(u) for u in facade.subscriptions.of_contract(principal, contract_id)]


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionOut)
def get_subscription(
    subscription_id: str, facade: FacadeDep, principal: PrincipalDep
) -> SubscriptionOut:
    """One km² subscription and its current period's consumption."""
    return SubscriptionOut.of(facade.subscriptions.get(principal, subscription_id))
