"""Organisations, contracts, projects and API clients."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Row, Table, bindparam, func, select, update
from sqlalchemy.engine import Connection

from skyorder.core.tenants import (
    ApiClient,
    Billing,
    ChargeOn,
    Contract,
    Organisation,
    PaymentMode,
    Principal,
    Project,
    Role,
)
from skyorder.store import tables as t
from skyorder.store.repositories.base import scoped


def _contract(row: Row[Any]) -> Contract:
    return Contract(
        id=row.id,
        organisation_id=row.organisation_id,
        name=row.name,
        billing=Billing(row.billing),
        currency=row.currency,
        payment_mode=PaymentMode(row.payment_mode),
        allowed_products=list(row.allowed_products or []),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        created_at=row.created_at,
        charge_on=ChargeOn(row.charge_on),
        discount_percentage=Decimal(row.discount_percentage),
        number=row.number,
    )


def _project(row: Row[Any]) -> Project:
    return Project(row.id, row.organisation_id, row.name, row.description, row.created_at)


def _client(row: Row[Any]) -> ApiClient:
    return ApiClient(
        id=row.id,
        organisation_id=row.organisation_id,
        name=row.name,
        client_id=row.client_id,
        secret_hash=row.secret_hash,
        api_key_hash=row.api_key_hash,
        created_at=row.created_at,
        disabled=row.disabled,
        roles=tuple(Role(r) for r in str(row.roles).split(",") if r),
        user_id=row.user_id,
    )


_o = t.organisations.c
_NEXT_SEQUENCES = (
    update(t.organisations)
    .where(_o.id == bindparam("org_id"))
    .values(
        order_sequence=_o.order_sequence + 1,
        task_sequence=_o.task_sequence + bindparam("tasks", type_=Integer),
    )
    .returning(_o.order_sequence, _o.task_sequence)
)
"""Built once: a statement made per call costs more to build and key than to run."""


class TenantRepository:
    """Tenants and their credentials."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_organisation(self, org: Organisation) -> None:
        """Insert an organisation."""
        self.conn.execute(
            t.organisations.insert(),
            {
                "id": org.id,
                "name": org.name,
                "order_sequence": 0,
                "created_at": org.created_at,
                "number": org.number or self._next_number(t.organisations),
            },
        )

    def get_organisation(self, org_id: str) -> Organisation | None:
        """An organisation by id (administrative use)."""
        row = self.conn.execute(
            select(t.organisations).where(t.organisations.c.id == org_id)
        ).first()
        return Organisation(row.id, row.name, row.created_at, row.number) if row else None

    def _next_number(self, table: Table) -> int:
        top = self.conn.execute(select(func.max(table.c.number))).scalar()
        return int(top or 0) + 1

    def next_organisation_number(self) -> int:
        """The number the next organisation gets (one more than the highest given)."""
        return self._next_number(t.organisations)

    def next_contract_number(self) -> int:
        """The number the next contract gets (one more than the highest given)."""
        return self._next_number(t.contracts)

    def contract_by_number(self, principal: Principal, number: int) -> Contract | None:
        """One of the caller organisation's contracts, by its number."""
        row = self.conn.execute(
            select(t.contracts).where(
                scoped(t.contracts, principal), t.contracts.c.number == number
            )
        ).first()
        return _contract(row) if row else None

    def next_order_sequence(self, org_id: str) -> int:
        """Reserve the organisation's next order number (row-locked until commit)."""
        return int(
            self.conn.execute(
                update(t.organisations)
                .where(t.organisations.c.id == org_id)
                .values(order_sequence=t.organisations.c.order_sequence + 1)
                .returning(t.organisations.c.order_sequence)
            ).scalar_one()
        )

    def next_sequences(self, org_id: str, tasks: int) -> tuple[int, int]:
        """Reserve the next order number and ``tasks`` task ids, in one statement.

        Returns the order's sequence number and the first task id's (row-locked until
        commit, like :meth:`next_order_sequence`).
        """
        row = self.conn.execute(_NEXT_SEQUENCES, {"org_id": org_id, "tasks": tasks}).one()
        return int(row[0]), int(row[1]) - tasks + 1

    def add_contract(self, c: Contract) -> None:
        """Insert a contract."""
        self.conn.execute(
            t.contracts.insert(),
            {
                "id": c.id,
                "organisation_id": c.organisation_id,
                "name": c.name,
                "billing": c.billing.value,
                "currency": c.currency,
                "payment_mode": c.payment_mode.value,
                "allowed_products": c.allowed_products,
                "valid_from": c.valid_from,
                "valid_until": c.valid_until,
                "created_at": c.created_at,
                "charge_on": c.charge_on.value,
                "discount_percentage": str(c.discount_percentage),
                "number": c.number or self._next_number(t.contracts),
            },
        )

    def contract_ids(self, org_id: str) -> tuple[str, ...]:
        """Every contract id of an organisation, oldest first."""
        rows = self.conn.execute(
            select(t.contracts.c.id)
            .where(t.contracts.c.organisation_id == org_id)
            .order_by(t.contracts.c.created_at, t.contracts.c.id)
        ).scalars()
        return tuple(rows)

    def list_contracts(self, principal: Principal) -> list[Contract]:
        """The caller's contracts."""
        stmt = (
            select(t.contracts)
            .where(scoped(t.contracts, principal))
            .order_by(t.contracts.c.created_at)
        )
        if principal.contract_id is not None:
            stmt = stmt.where(t.contracts.c.id == principal.contract_id)
        return [_contract(r) for r in self.conn.execute(stmt)]

    def contract_by_id(self, contract_id: str) -> Contract | None:
        """A contract by id (administration only: the CLI acts for the provider)."""
        row = self.conn.execute(select(t.contracts).where(t.contracts.c.id == contract_id)).first()
        return _contract(row) if row else None

    def get_contract(self, principal: Principal, contract_id: str) -> Contract | None:
        """One of the caller's contracts."""
        row = self.conn.execute(
            select(t.contracts).where(
                scoped(t.contracts, principal), t.contracts.c.id == contract_id
            )
        ).first()
        return _contract(row) if row else None

    def add_project(self, p: Project) -> None:
        """Insert a project."""
        self.conn.execute(
            t.projects.insert(),
            {
                "id": p.id,
                "organisation_id": p.organisation_id,
                "name": p.name,
                "description": p.description,
                "created_at": p.created_at,
            },
        )

    def list_projects(self, principal: Principal) -> list[Project]:
        """The caller's projects, oldest first."""
        rows = self.conn.execute(
            select(t.projects)
            .where(scoped(t.projects, principal))
            .order_by(t.projects.c.created_at)
        )
        return [_project(r) for r in rows]

    def get_project(self, principal: Principal, project_id: str) -> Project | None:
        """One of the caller's projects."""
        row = self.conn.execute(
            select(t.projects).where(scoped(t.projects, principal), t.projects.c.id == project_id)
        ).first()
        return _project(row) if row else None

    def add_client(self, c: ApiClient) -> None:
        """Insert an API client."""
        self.conn.execute(
            t.api_clients.insert(),
            {
                "id": c.id,
                "organisation_id": c.organisation_id,
                "name": c.name,
                "client_id": c.client_id,
                "secret_hash": c.secret_hash,
                "api_key_hash": c.api_key_hash,
                "disabled": c.disabled,
                "roles": ",".join(r.value for r in c.roles),
                "created_at": c.created_at,
                "user_id": c.user_id,
            },
        )

    def client_by_client_id(self, client_id: str) -> ApiClient | None:
        """Look an API client up by its public client id (authentication only)."""
        row = self.conn.execute(
            select(t.api_clients).where(t.api_clients.c.client_id == client_id)
        ).first()
        return _client(row) if row else None

    def client_by_api_key_hash(self, key_hash: str) -> ApiClient | None:
        """Look an API client up by the hash of its API key (authentication only)."""
        row = self.conn.execute(
            select(t.api_clients).where(t.api_clients.c.api_key_hash == key_hash)
        ).first()
        return _client(row) if row else None

    def list_clients(self, principal: Principal) -> list[ApiClient]:
        """The API clients of the caller's organisation, oldest first."""
        rows = self.conn.execute(
            select(t.api_clients)
            .where(scoped(t.api_clients, principal))
            .order_by(t.api_clients.c.created_at, t.api_clients.c.client_id)
        )
        return [_client(r) for r in rows]

    def get_client(self, principal: Principal, client_id: str) -> ApiClient | None:
        """One API client of the caller's organisation, by its public client id."""
        row = self.conn.execute(
            select(t.api_clients).where(
                scoped(t.api_clients, principal), t.api_clients.c.client_id == client_id
            )
        ).first()
        return _client(row) if row else None

    def save_client_credentials(self, client: ApiClient) -> None:
        """Write a client's disabled flag and credential hashes (what administration changes)."""
        self.conn.execute(
            update(t.api_clients)
            .where(t.api_clients.c.id == client.id)
            .values(
                disabled=client.disabled,
                secret_hash=client.secret_hash,
                api_key_hash=client.api_key_hash,
            )
        )
