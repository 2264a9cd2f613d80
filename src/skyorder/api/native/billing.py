"""Quotes, balances and the ledger."""

from __future__ import annotations

from fastapi import APIRouter, Request

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.api.paging import list_query, page
from skyorder.core.order_requests import OrderRequest
from skyorder.schemas.billing import (
    BalanceOut,
    LedgerEntryOut,
    QuoteCreate,
    QuoteOut,
    TransactionOut,
)
from skyorder.schemas.common import Page

router = APIRouter(prefix="/v1", tags=["billing"])


@router.post("/quotes", response_model=QuoteOut, status_code=201)
def create_quote(body: QuoteCreate, facade: FacadeDep, principal: PrincipalDep) -> QuoteOut:
    """Price items without ordering them.

    Items are validated exactly as an order's. The quote lists each item's
    requested, clipped and billable km², unit price, uplifts and total; cite its
    ``id`` as ``quote_id`` in ``POST /v1/orders`` (with the same items) before
    ``expires_at`` to be charged exactly ``total``.
    """
    request = OrderRequest(name="quote", items=tuple(i.to_request() for i in body.items))
    items_json = [i.model_dump(mode="json") for i in body.items]
    return QuoteOut.of(facade.quotes.create(principal, request, items_json))


@router.get("/quotes/{quote_id}", response_model=QuoteOut)
def get_quote(quote_id: str, facade: FacadeDep, principal: PrincipalDep) -> QuoteOut:
    """Get one of your quotes."""
    return QuoteOut.of(facade.quotes.get(principal, quote_id))


@router.get("/contracts/{contract_id}/balance", response_model=BalanceOut)
def balance(contract_id: str, facade: FacadeDep, principal: PrincipalDep) -> BalanceOut:
    """A contract's balances: ``available`` to spend, ``held`` by open orders, ``spent``."""
    contract, balances = facade.contracts.balance(principal, contract_id)
    return BalanceOut.of(contract.id, contract.currency, balances)


@router.get("/contracts/{contract_id}/ledger", response_model=Page[LedgerEntryOut])
def ledger(
    contract_id: str, request: Request, facade: FacadeDep, principal: PrincipalDep
) -> Page[LedgerEntryOut]:
    """A contract's ledger entries, oldest first (double entry: each transaction sums to 0)."""
    query = list_query(request, {})
    entries = facade.contracts.ledger(principal, contract_id, query)
    return page(request, entries, LedgerEntryOut.of)


@router.get(
    "/contracts/{contract_id}/ledger/transactions/{transaction_id}", response_model=TransactionOut
)
def ledger_transaction(
    contract_id: str, transaction_id: str, facade: FacadeDep, principal: PrincipalDep
) -> TransactionOut:
    """One transaction of a contract's ledger (its ``transaction_id``): a hold, a charge, a
    release or a refund, the amount it moved, the order and product it was for, its entries."""
    _, found = facade.contracts.transaction(principal, contract_id, transaction_id)
    return TransactionOut.of(found)
