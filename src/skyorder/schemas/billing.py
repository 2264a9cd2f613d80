"""Prices, quotes, balances and ledger entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from skyorder.core.ledger import Balances, Entry, Transaction
from skyorder.core.quoting import Quote
from skyorder.schemas.orders import ItemIn
from skyorder.schemas.prices import PriceOut


class QuoteCreate(BaseModel):
    """Items to price (the same shape as an order's items)."""

    model_config = ConfigDict(extra="forbid")

    items: list[ItemIn] = Field(min_length=1, max_length=100)


class QuoteLineOut(PriceOut):
    """One priced item of a quote."""

    sku: str


class QuoteOut(BaseModel):
    """A priced, expiring offer; cite its id as ``quote_id`` when ordering."""

    id: str
    contract_id: str
    currency: str
    total: int
    created_at: datetime
    expires_at: datetime
    order_id: str | None
    items: list[QuoteLineOut]
    request: dict[str, Any]

    @classmethod
    def of(cls, q: Quote) -> QuoteOut:
        """Render a quote."""
        return cls(
            id=q.id,
            contract_id=q.contract_id,
            currency=q.currency,
            total=q.total,
            created_at=q.created_at,
            expires_at=q.expires_at,
            order_id=q.order_id,
            items=[QuoteLineOut.model_validate(line) for line in q.lines],
            request=q.request,
        )


class BalanceOut(BaseModel):
    """A contract's balances."""

    contract_id: str
    currency: str
    available: int
    held: int
    spent: int

    @classmethod
    def of(cls, contract_id: str, currency: str, b: Balances) -> BalanceOut:
        """Render balances."""
        return cls(
            contract_id=contract_id,
            currency=currency,
            available=b.available,
            held=b.held,
            spent=b.spent,
        )


class LedgerEntryOut(BaseModel):
    """One ledger entry."""

    id: str
    transaction_id: str
    account: str
    amount: int
    kind: str
    order_id: str | None
    item_id: str | None
    memo: str
    created_at: datetime

    @classmethod
    def of(cls, e: Entry) -> LedgerEntryOut:
        """Render an entry."""
        return cls(
            id=e.id,
            transaction_id=e.transaction_id,
            account=e.account.value,
            amount=e.amount,
            kind=e.kind.value,
            order_id=e.order_id,
            item_id=e.item_id,
            memo=e.memo,
            created_at=e.created_at,
        )


class TransactionOut(BaseModel):
    """One ledger transaction: the amount it moved, what for, and its balanced entries."""

    id: str
    kind: str
    amount: int
    contract_id: str
    order_id: str | None
    item_id: str | None
    deliverable_id: str | None
    memo: str
    created_at: datetime
    entries: list[LedgerEntryOut]

    @classmethod
    def of(cls, tx: Transaction) -> TransactionOut:
        """Render a transaction (its fields are the core's, entries rendered one by one)."""
        fields = {name: getattr(tx, name) for name in cls.model_fields if name != "entries"}
        return cls(**fields, entries=[LedgerEntryOut.of(e) for e in tx.entries])
