"""Monthly settlement of contracts billed in arrears (``contract.settle_month`` steps).

Placing an order under a monthly contract schedules the settlement of the month it is
placed in, due at the next month's start on the organisation's clock. The step issues the
statement of the month that just ended (at most one per contract and month: repeating the
step changes nothing), marks as paid the orders that ended owing nothing more, and
schedules the next month's settlement while orders of the contract are still open.
"""

from __future__ import annotations

from datetime import datetime

from skyorder.core.ids import new_id
from skyorder.core.statements import (
    MonthlyStatement,
    month_label,
    next_month_start,
    previous_month_start,
)
from skyorder.core.steps import StepKind
from skyorder.core.tenants import Contract, PaymentMode, Principal
from skyorder.store.repositories.agenda import Step
from skyorder.store.uow import UnitOfWork


def schedule_settlement(uow: UnitOfWork, contract: Contract, at: datetime) -> None:
    """Have the month holding ``at`` settled when it ends (nothing for other contracts)."""
    if contract.payment_mode is PaymentMode.MONTHLY:
        uow.agenda.schedule(
            StepKind.CONTRACT_SETTLE_MONTH,
            contract.id,
            next_month_start(at),
            at,
            contract.organisation_id,
        )


def settle_month(uow: UnitOfWork, step: Step, now: datetime) -> None:
    """``contract.settle_month``: the statement of the month ending at the step's due time."""
    contract = uow.tenants.contract_by_id(step.entity_id)
    if contract is None or contract.payment_mode is not PaymentMode.MONTHLY:
        return
    end = step.due_at
    start = previous_month_start(end)
    month = month_label(start)
    uow.ledger.lock_contract(contract.id)
    statement = MonthlyStatement(
        id=new_id(),
        organisation_id=contract.organisation_id,
        contract_id=contract.id,
        month=month,
        period_start=start,
        period_end=end,
        currency=contract.currency,
        lines=tuple(uow.statements.owed(contract.id, start, end)),
        issued_at=now,
    )
    if uow.statements.add(statement):
        acting = Principal(contract.organisation_id, "skyorder:agenda")
        for order_id in uow.statements.ended_unsettled_orders(contract.id, end):
            order = uow.orders.get(acting, order_id, for_update=True)
            if order is not None:
                order.settle_monthly(now, month)
                uow.orders.save(order)
    if uow.statements.has_open_orders(contract.id):
        uow.agenda.schedule(
            StepKind.CONTRACT_SETTLE_MONTH, contract.id, next_month_start(end), now,
            contract.organisation_id,
        )  # fmt: skip
