"""Quotes: a priced, expiring offer an order may cite to be charged exactly that."""

from __future__ import annotations

from skyorder.client.session import Session
from skyorder.schemas.billing import QuoteCreate, QuoteOut


class QuotesClient:
    """``/v1/quotes``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def create(self, request: QuoteCreate) -> QuoteOut:
        """Price items (nothing is ordered); cite the quote's id in an order to pay its total."""
        return await self._s.post("/v1/quotes", QuoteOut, request)

    async def get(self, quote_id: str) -> QuoteOut:
        """One quote."""
        return await self._s.get(f"/v1/quotes/{quote_id}", QuoteOut)
