"""Monthly statements of contracts billed in arrears, and what they are made from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.engine import Connection

from skyorder.core.ledger import Account
from skyorder.core.orders import ORDER_STATES, OrderStatus, PaymentStatus
from skyorder.core.statements import MonthlyStatement, StatementLine
from skyorder.core.tenants import Principal
from skyorder.store import tables as t
from skyorder.store.repositories.base import scoped

_S = t.monthly_statements
_OPEN = [s.value for s in OrderStatus if not ORDER_STATES.is_terminal(s)]


class StatementRepository:
    """Statements per contract and month; one per month, never rewritten."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, statement: MonthlyStatement) -> bool:
        """Keep a statement; False when the contract's month has one already."""
        if self.of_month(statement.contract_id, statement.month) is not None:
            return False
        self.conn.execute(
            _S.insert(),
            {
                "id": statement.id,
                "organisation_id": statement.organisation_id,
                "contract_id": statement.contract_id,
                "month": statement.month,
                "period_start": statement.period_start,
                "period_end": statement.period_end,
                "currency": statement.currency,
                "amount": statement.amount,
                "lines": [
                    {"order_id": x.order_id, "item_id": x.item_id, "amount": x.amount}
                    for x in statement.lines
                ],
                "issued_at": statement.issued_at,
            },
        )
        return True

    def of_month(self, contract_id: str, month: str) -> MonthlyStatement | None:
        """The contract's statement of ``month`` (``YYYY-MM``), if issued."""
        row = self.conn.execute(
            select(_S).where(_S.c.contract_id == contract_id, _S.c.month == month)
        ).first()
        return _from(row) if row is not None else None

    def list(self, principal: Principal, contract_id: str) -> list[MonthlyStatement]:
        """The caller's contract's statements, newest month first."""
        rows = self.conn.execute(
            select(_S)
            .where(scoped(_S, principal), _S.c.contract_id == contract_id)
            .order_by(_S.c.period_start.desc())
        )
        return [_from(r) for r in rows]

    def settled_through(self, contract_ids: set[str]) -> dict[str, datetime]:
        """The end of each contract's latest settled month (contracts without any: absent)."""
        if not contract_ids:
            return {}
        rows = self.conn.execute(
            select(_S.c.contract_id, func.max(_S.c.period_end))
            .where(_S.c.contract_id.in_(contract_ids))
            .group_by(_S.c.contract_id)
        )
        return {contract_id: end for contract_id, end in rows}

    def owed(self, contract_id: str, start: datetime, end: datetime) -> tuple[StatementLine, ...]:
        """Net amounts owed per order item for work recorded in ``[start, end)``."""
        le = t.ledger_entries
        rows = self.conn.execute(
            select(le.c.order_id, le.c.item_id, func.sum(le.c.amount))
            .where(
                le.c.contract_id == contract_id,
                le.c.account == Account.SPENT.value,
                le.c.created_at >= start,
                le.c.created_at < end,
            )
            .group_by(le.c.order_id, le.c.item_id)
            .order_by(le.c.order_id, le.c.item_id)
        )
        return tuple(
            StatementLine(order_id or "", item_id or "", int(total or 0))
            for order_id, item_id, total in rows
            if total
        )

    def has_open_orders(self, contract_id: str) -> bool:
        """Whether orders of the contract may still owe work (placed and not ended)."""
        found = self.conn.execute(
            select(t.orders.c.pk)
            .where(
                t.orders.c.contract_id == contract_id,
                t.orders.c.status.in_(_OPEN),
                t.orders.c.status != OrderStatus.DRAFT.value,
            )
            .limit(1)
        ).first()
        return found is not None

    def ended_unsettled_orders(self, contract_id: str, before: datetime) -> tuple[str, ...]:
        """Ids of the contract's ended orders still ``partial_monthly``, ended before ``before``."""
        rows = self.conn.execute(
            select(t.orders.c.id).where(
                t.orders.c.contract_id == contract_id,
                t.orders.c.payment_status == PaymentStatus.PARTIAL_MONTHLY.value,
                t.orders.c.status.not_in(_OPEN),
                t.orders.c.updated_at < before,
            )
        )
        return tuple(r.id for r in rows)


def _from(row: Row[Any]) -> MonthlyStatement:
    return MonthlyStatement(
        id=row.id,
        organisation_id=row.organisation_id,
        contract_id=row.contract_id,
        month=row.month,
        period_start=row.period_start,
        period_end=row.period_end,
        currency=row.currency,
        lines=tuple(
            StatementLine(x["order_id"], x["item_id"], int(x["amount"])) for x in row.lines
        ),
        issued_at=row.issued_at,
    )
