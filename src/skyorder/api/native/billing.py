"""Quotes, balances and the ledger."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request

from skyorder.api.deps import PrincipalDep, RuntimeDep
from skyorder.api.paging import list_query, page
from skyorder.core.errors import NotFound
from skyorder.core.order_requests import OrderRequest
from skyorder.schemas.billing import BalanceOut, LedgerEntryOut, QuoteCreate, QuoteOut
from skyorder.schemas.common import Page
from skyorder.services import quotes

router = APIRouter(prefix="/v1", tags=["billing"])


@router.post("/quotes", response_model=QuoteOut, status_code=201)
def create_quote(body: QuoteCreate, runtime: RuntimeDep, principal: PrincipalDep) -> QuoteOut:
    """Price items without ordering them.

    Items are validated exactly as an order's. The quote lists each item's
    requested, clipped and billable km², unit price, uplifts and total; cite its
    ``id`` as ``quote_id`` in ``POST /v1/orders`` (with the same items) before
    ``expires_at`` to be charged exactly ``total``.
    """
    request = OrderRequest(name="quote", items=tuple(i.to_request() for i in body.items))
    quote = quotes.create_quote(
        runtime.uow,
        runtime.clock,
        runtime.archive,
        principal,
        request,
        [i.model_dump(mode="json") for i in body.items],
        timedelta(seconds=runtime.settings.quote_ttl_seconds),
        runtime.settings.max_aoi_vertices,
    )
    return QuoteOut.of(quote)


@router.get("/quotes/{quote_id}", response_model=QuoteOut)
def get_quote(quote_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> QuoteOut:
    """Get one of your quotes."""
    with runtime.uow(readonly=True) as uow:
        return QuoteOut.of(quotes.get_quote(uow, principal, quote_id))


@router.get("/contracts/{contract_id}/balance", response_model=BalanceOut)
def balance(contract_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> BalanceOut:
    """A contract's balances: ``available`` to spend, ``held`` by open orders, ``spent``."""
    with runtime.uow(readonly=True) as uow:
        contract = uow.tenants.get_contract(principal, contract_id)
        if contract is None:
            raise NotFound(f"contract {contract_id} not found")
        return BalanceOut.of(contract.id, contract.currency, uow.ledger.balances(contract.id))


@router.get("/contracts/{contract_id}/ledger", response_model=Page[LedgerEntryOut])
def ledger(
    contract_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Page[LedgerEntryOut]:
    """A contract's ledger entries, oldest first (double entry: each transaction sums to 0)."""
    query = list_query(request, {})
    with runtime.uow(readonly=True) as uow:
        if uow.tenants.get_contract(principal, contract_id) is None:
            raise NotFound(f"contract {contract_id} not found")
        return page(request, uow.ledger.entries(principal, contract_id, query), LedgerEntryOut.of)
