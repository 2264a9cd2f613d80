"""What an organisation may order and what it has to spend: products, contracts, balances."""

from __future__ import annotations

from pydantic import TypeAdapter

from skyorder.client.session import Session
from skyorder.schemas.billing import BalanceOut
from skyorder.schemas.tenants import ContractOut, ProductOut

_PRODUCTS = TypeAdapter(list[ProductOut])
_CONTRACTS = TypeAdapter(list[ContractOut])


class AccountClient:
    """``/v1/products``, ``/v1/contracts`` and a contract's ``/balance``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def products(self) -> list[ProductOut]:
        """The products on offer (SKU, kind, collection, processing levels, pricing)."""
        answer = await self._s.send("GET", "/v1/products")
        return _PRODUCTS.validate_json(answer.content)

    async def contracts(self) -> list[ContractOut]:
        """Your organisation's contracts (only the chosen one under ``X-Contract-Id``)."""
        answer = await self._s.send("GET", "/v1/contracts")
        return _CONTRACTS.validate_json(answer.content)

    async def balance(self, contract_id: str) -> BalanceOut:
        """A contract's balances: available to spend, held by open orders, spent."""
        return await self._s.get(f"/v1/contracts/{contract_id}/balance", BalanceOut)
