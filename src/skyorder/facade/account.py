"""Products, contracts with their balances and ledgers, and projects."""

from __future__ import annotations

from skyorder.core.errors import NotFound
from skyorder.core.ledger import Balances, Entry, Transaction
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.products import Product
from skyorder.core.tenants import Contract, Organisation, Principal, Project
from skyorder.facade.base import Resource
from skyorder.services import tenants
from skyorder.services.products import list_products


class Products(Resource):
    """The products (SKUs) on offer."""

    def list(self) -> list[Product]:
        """Every product with its parameters and price rule (``GET /v1/products``)."""
        with self._rt.uow(readonly=True) as uow:
            return list_products(uow)

    def by_sku(self) -> dict[str, Product]:
        """Every product, by SKU."""
        with self._rt.uow(readonly=True) as uow:
            return dict(uow.products.all())


class Organisations(Resource):
    """The caller's organisation."""

    def own(self, principal: Principal) -> Organisation:
        """The caller's organisation with its account number (``GET /v1/organisation``)."""
        with self._rt.uow(readonly=True) as uow:
            found = uow.tenants.get_organisation(principal.organisation_id)
        if found is None:
            raise NotFound(f"organisation {principal.organisation_id} not found")
        return found


class Contracts(Resource):
    """The caller's contracts."""

    def list(self, principal: Principal) -> list[Contract]:
        """The organisation's contracts, or only the one the caller chose."""
        with self._rt.uow(readonly=True) as uow:
            return list(uow.tenants.list_contracts(principal))

    def get(self, principal: Principal, contract_id: str) -> Contract:
        """One of the caller's contracts, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            found = uow.tenants.get_contract(principal, contract_id)
        if found is None:
            raise NotFound(f"contract {contract_id} not found")
        return found

    def balance(self, principal: Principal, contract_id: str) -> tuple[Contract, Balances]:
        """A contract and its balances: available, held and spent."""
        with self._rt.uow(readonly=True) as uow:
            contract = uow.tenants.get_contract(principal, contract_id)
            if contract is None:
                raise NotFound(f"contract {contract_id} not found")
            return contract, uow.ledger.balances(contract.id)

    def ledger(self, principal: Principal, contract_id: str, query: ListQuery) -> PageResult[Entry]:
        """A contract's ledger entries, oldest first."""
        with self._rt.uow(readonly=True) as uow:
            if uow.tenants.get_contract(principal, contract_id) is None:
                raise NotFound(f"contract {contract_id} not found")
            return uow.ledger.entries(principal, contract_id, query)

    def transaction(
        self, principal: Principal, contract_id: str, transaction_id: str
    ) -> tuple[Contract, Transaction]:
        """A contract and one transaction of its ledger (a hold, a charge, a refund...)."""
        with self._rt.uow(readonly=True) as uow:
            contract = uow.tenants.get_contract(principal, contract_id)
            if contract is None:
                raise NotFound(f"contract {contract_id} not found")
            found = uow.ledger.transaction(principal, contract.id, transaction_id)
        if found is None:
            raise NotFound(f"transaction {transaction_id} not found in contract {contract_id}")
        return contract, found


class Projects(Resource):
    """The caller's projects, which group orders."""

    def create(self, principal: Principal, name: str, description: str = "") -> Project:
        """A new project of the caller's organisation."""
        with self._rt.uow() as uow:
            project = tenants.create_project(
                uow, self._clock(principal), principal, name, description
            )
            uow.commit()
        return project

    def list(self, principal: Principal) -> list[Project]:
        """The organisation's projects."""
        with self._rt.uow(readonly=True) as uow:
            return list(uow.tenants.list_projects(principal))

    def get(self, principal: Principal, project_id: str) -> Project:
        """One project, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            found = uow.tenants.get_project(principal, project_id)
        if found is None:
            raise NotFound(f"project {project_id} not found")
        return found
