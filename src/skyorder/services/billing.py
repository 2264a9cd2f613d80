"""Money around an order: holds and charges on placement, checkouts, refunds on cancellation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from skyorder.core.clock import Clock
from skyorder.core.deliverables import BillingDetails, billable_shares
from skyorder.core.errors import Conflict, NotFound, ValidationFailed
from skyorder.core.ids import new_id
from skyorder.core.ledger import (
    MAX_AMOUNT,
    Entry,
    EntryKind,
    InsufficientFunds,
    check_movable,
    transaction,
)
from skyorder.core.orders import Order, OrderItem, OrderStatus, PaymentStatus
from skyorder.core.pricing import LinePrice
from skyorder.core.steps import StepKind
from skyorder.core.tenants import ChargeOn, Contract, PaymentMode, Principal
from skyorder.services.statements import schedule_settlement
from skyorder.services.tasks import sync_tasks
from skyorder.store.repositories.billing import Checkout
from skyorder.store.uow import UnitOfWork


def _entries(
    order: Order, kind: EntryKind, amounts: dict[str | None, int], at: datetime, memo: str
) -> list[Entry]:
    """One ledger transaction per item with an amount to move."""
    return [
        entry
        for item_id, amount in amounts.items()
        if amount > 0
        for entry in transaction(
            kind,
            organisation_id=order.organisation_id,
            contract_id=order.contract_id,
            amount=amount,
            at=at,
            memo=memo,
            order_id=order.id,
            item_id=item_id,
        )
    ]


def _move(
    uow: UnitOfWork,
    order: Order,
    kind: EntryKind,
    amounts: dict[str | None, int],
    at: datetime,
    memo: str,
) -> int:
    """Move each item's amount (one ledger transaction per item, all in one insert)."""
    entries = _entries(order, kind, amounts, at, memo)
    if entries:
        uow.ledger.add(entries)
    return sum(amount for amount in amounts.values() if amount > 0)


@dataclass(frozen=True)
class Hold:
    """What a just-priced order still has to take from its contract's balance."""

    order: Order
    contract: Contract
    per_item: dict[str | None, int]
    total: int
    at: datetime

    def check(self, uow: UnitOfWork) -> None:
        """Refuse (:class:`InsufficientFunds`, saying what is available) what the balance
        cannot cover, taking nothing and locking nothing."""
        balances = uow.ledger.balances(self.contract.id)
        check_movable(EntryKind.HOLD, balances, self.total, self.contract.currency)

    def take(self, uow: UnitOfWork) -> None:
        """Hold (and charge) the order's amount; :class:`InsufficientFunds` when the available
        balance no longer covers it (the unit of work must then be rolled back).

        Call as the last write before the commit (after :meth:`check`): the first hold
        locks the contract's balance rows until the commit, and every other placement under
        the contract waits for them. The database refuses a balance spent meanwhile, in the
        insert itself, so no lock is taken before it.
        """
        memo = f"order {self.order.number}"
        entries = _entries(self.order, EntryKind.HOLD, self.per_item, self.at, memo)
        if self.contract.charge_on is ChargeOn.ACCEPTANCE:
            entries += _entries(self.order, EntryKind.CHARGE, self.per_item, self.at, memo)
        if entries and not uow.ledger.add_within_balance(entries):
            raise InsufficientFunds(
                f"the order costs {self.total} {self.contract.currency} and the contract's "
                "available balance no longer covers it (another order took it meanwhile); "
                "top up the contract or order less"
            )


def bill_new_order(
    uow: UnitOfWork,
    order: Order,
    contract: Contract,
    prices: dict[str, LinePrice],
    quote_id: str | None,
    at: datetime,
    base_url: str,
) -> tuple[Checkout | None, Hold | None]:
    """Price a just-built order and settle how it is paid for, as the contract says.

    Balance contracts accept the order as paid and answer the :class:`Hold` the caller
    must still :meth:`~Hold.take` (after writing the order, just before the commit, so that
    the contract's balance is locked for as short a time as can be); pay-per-order
    contracts get a hosted checkout and the order waits for it. Call before
    ``uow.orders.add(order)``: the order is then written once, in the state this leaves
    it in.
    """
    order.set_prices(prices, contract.currency, quote_id)
    total = order.total_amount or 0
    if total == 0:
        order.accept(at, PaymentStatus.NOT_REQUIRED)
        schedule_fulfilment(uow, order, at, new=True)
        return None, None
    if contract.payment_mode is PaymentMode.MONTHLY:
        order.accept(at, PaymentStatus.PARTIAL_MONTHLY)
        schedule_fulfilment(uow, order, at, new=True)
        schedule_settlement(uow, contract, at)
        return None, None
    if contract.payment_mode is PaymentMode.BALANCE:
        per_item: dict[str | None, int] = {
            i.id: p.total for i, p in ((i, prices[i.id]) for i in order.items)
        }
        order.accept(at, PaymentStatus.PAID)
        schedule_fulfilment(uow, order, at, new=True)
        return None, Hold(order, contract, per_item, total, at)
    checkout = Checkout(
        id=new_id(),
        organisation_id=order.organisation_id,
        order_id=order.id,
        amount=total,
        currency=contract.currency,
        status="open",
        created_at=at,
        completed_at=None,
    )
    uow.checkouts.add(checkout)
    order.await_payment(at, checkout_url(base_url, checkout.id))
    return checkout, None


def settle_new_order(
    uow: UnitOfWork,
    order: Order,
    contract: Contract,
    prices: dict[str, LinePrice],
    quote_id: str | None,
    at: datetime,
    base_url: str,
) -> Checkout | None:
    """:func:`bill_new_order` and take its hold at once (an amount the balance cannot cover
    is refused before anything is written)."""
    checkout, hold = bill_new_order(uow, order, contract, prices, quote_id, at, base_url)
    if hold is not None:
        hold.check(uow)
        hold.take(uow)
    return checkout


def schedule_fulfilment(uow: UnitOfWork, order: Order, at: datetime, *, new: bool = False) -> None:
    """Ask for an accepted order to be fulfilled (the ``order.fulfil`` agenda step).

    ``new``: the order is being placed in this transaction, so no step can exist for it
    yet and none is looked for (one statement, inside the write lock, saved).
    """
    if new:
        uow.agenda.schedule_new(StepKind.ORDER_FULFIL, [(order.id, at)], at, order.organisation_id)
    else:
        uow.agenda.schedule(StepKind.ORDER_FULFIL, order.id, at, at, order.organisation_id)


def checkout_url(base_url: str, checkout_id: str) -> str:
    """Where a person pays a checkout."""
    return f"{base_url}/checkout/{checkout_id}"


def refund_order(uow: UnitOfWork, order: Order, contract: Contract, at: datetime) -> None:
    """Give back what a cancelled order still holds or was charged; close its checkout."""
    memo = f"order {order.number} cancelled"
    if contract.payment_mode is PaymentMode.PAY_PER_ORDER:
        checkout = uow.checkouts.for_order(order.id)
        if checkout is not None and checkout.status == "open":
            uow.checkouts.complete(checkout.id, "cancelled", at)
    uow.ledger.lock_contract(contract.id)
    balances = uow.ledger.item_balances(order.id)
    released = _move(
        uow, order, EntryKind.RELEASE, {k: b.held for k, b in balances.items()}, at, memo
    )
    kind = EntryKind.REFUND if contract.payment_mode is PaymentMode.BALANCE else EntryKind.PAYOUT
    refunded = _move(uow, order, kind, {k: b.spent for k, b in balances.items()}, at, memo)
    if released or refunded:
        order.payment_status = PaymentStatus.REFUNDED


def settle_item(
    uow: UnitOfWork,
    order: Order,
    contract: Contract,
    item: OrderItem,
    share: tuple[int, int],
    at: datetime,
    charge_to: Sequence[str] = (),
) -> dict[str, int]:
    """An item ended with ``share`` = (done, wanted) of its work done: settle its money.

    A hold is charged for the done share (when the contract charges on delivery) and
    the rest released; the charge is split over the deliverables ``charge_to`` (one
    entry each, so usage reports show what each cost) or is one entry without them.
    An amount already charged or paid gives the undone share back. Shares are exact
    integers, rounded in the customer's favour. Returns each deliverable's part of the
    charge (see :func:`bill_deliverables`).
    """
    done, wanted = share
    uow.ledger.lock_contract(contract.id)
    if contract.payment_mode is PaymentMode.MONTHLY:
        _bill_in_arrears(uow, order, item, share, at, charge_to)
        schedule_settlement(uow, contract, at)  # owed this month: settled at its end
        return {}  # owed, not charged: deliverables bill their own delivered area
    balance = uow.ledger.item_balances(order.id).get(item.id)
    if balance is None or wanted <= 0:
        return {}
    parts: dict[str, int] = {}
    done = max(0, min(done, wanted))
    memo = f"order {order.number}"
    returned = 0
    if balance.held:
        charged = balance.held * done // wanted
        targets: list[str | None] = list(charge_to) or [None]
        for index, deliverable_id in enumerate(targets):
            part = charged // len(targets) + (1 if index < charged % len(targets) else 0)
            if deliverable_id is not None:
                parts[deliverable_id] = part
            if part:
                uow.ledger.add(
                    transaction(
                        EntryKind.CHARGE,
                        organisation_id=order.organisation_id,
                        contract_id=order.contract_id,
                        amount=part,
                        at=at,
                        memo=memo,
                        order_id=order.id,
                        item_id=item.id,
                        deliverable_id=deliverable_id,
                    )
                )
        returned = _move(uow, order, EntryKind.RELEASE, {item.id: balance.held - charged}, at, memo)
    elif balance.spent and done < wanted:
        kind = (
            EntryKind.REFUND if contract.payment_mode is PaymentMode.BALANCE else EntryKind.PAYOUT
        )
        kept = balance.spent * done // wanted
        returned = _move(uow, order, kind, {item.id: balance.spent - kept}, at, memo)
    if returned:
        order.payment_status = PaymentStatus.REFUNDED if not done else PaymentStatus.PARTIAL_REFUND
    return parts


def bill_deliverables(
    uow: UnitOfWork, principal: Principal, item: OrderItem, parts: dict[str, int], at: datetime
) -> None:
    """Record on each charged deliverable the billable km² its part of the charge paid for.

    The usage report and each front end's ``billable_sqkm`` then add up, per item, to
    the area the ledger charged for.
    """
    if not parts or item.price is None:
        return
    total_km2 = item.price.areas.billable_km2 * float(item.price.quantity)
    ids = list(parts)
    shares = billable_shares(total_km2, [parts[i] for i in ids], item.price.total)
    for deliverable_id, km2 in zip(ids, shares, strict=True):
        deliverable = uow.deliverables.get(principal, deliverable_id)
        if deliverable is not None:
            deliverable.bill(BillingDetails(km2, item.product), at)
            uow.deliverables.save(deliverable)


def adjust_hold(
    uow: UnitOfWork, order: Order, contract: Contract, item: OrderItem, amount: int, at: datetime
) -> None:
    """Bring an item's hold to ``amount`` (a volume price made final), before it is charged.

    Less than held: the difference is released. More: the difference is held too, as far
    as the available balance goes (a delivered product is never taken back).
    """
    if contract.payment_mode is not PaymentMode.BALANCE:
        return
    uow.ledger.lock_contract(contract.id)
    balance = uow.ledger.item_balances(order.id).get(item.id)
    held = balance.held if balance is not None else 0
    memo = f"order {order.number}: final amount for the delivered volume"
    if amount < held:
        _move(uow, order, EntryKind.RELEASE, {item.id: held - amount}, at, memo)
    elif amount > held:
        more = min(amount - held, uow.ledger.balances(contract.id).available)
        _move(uow, order, EntryKind.HOLD, {item.id: more}, at, memo)


def _bill_in_arrears(
    uow: UnitOfWork,
    order: Order,
    item: OrderItem,
    share: tuple[int, int],
    at: datetime,
    charge_to: Sequence[str],
) -> None:
    """A monthly contract owes the done share of the item's price (one entry per product)."""
    done, wanted = share
    total = item.price.total if item.price is not None else 0
    owed = total * max(0, min(done, wanted)) // wanted if wanted > 0 else 0
    targets: list[str | None] = list(charge_to) or [None]
    for index, deliverable_id in enumerate(targets):
        part = owed // len(targets) + (1 if index < owed % len(targets) else 0)
        if part:
            uow.ledger.add(
                transaction(
                    EntryKind.PAYMENT,
                    organisation_id=order.organisation_id,
                    contract_id=order.contract_id,
                    amount=part,
                    at=at,
                    memo=f"order {order.number}, billed monthly",
                    order_id=order.id,
                    item_id=item.id,
                    deliverable_id=deliverable_id,
                )
            )


def _open_checkout(uow: UnitOfWork, checkout_id: str) -> tuple[Checkout, Order]:
    checkout = uow.checkouts.get(checkout_id, for_update=True)
    if checkout is None:
        raise NotFound(f"checkout {checkout_id} not found")
    acting = Principal(checkout.organisation_id, f"checkout:{checkout.id}")
    order = uow.orders.get(acting, checkout.order_id, for_update=True)
    if order is None:
        raise NotFound(f"the order of checkout {checkout_id} no longer exists")
    if checkout.status != "open":
        raise Conflict(f"this checkout is already {checkout.status}")
    return checkout, order


def pay_checkout(uow: UnitOfWork, clock: Clock, checkout_id: str) -> Order:
    """A person paid: record the payment and accept the order."""
    now = clock.now()
    checkout, order = _open_checkout(uow, checkout_id)
    if order.status is not OrderStatus.PENDING_PAYMENT:
        raise Conflict(f"order {order.number} is {order.status.value}; it cannot be paid")
    uow.checkouts.complete(checkout.id, "paid", now)
    # Balance rows change in the order the entries come; the contract's lock keeps two
    # transactions from taking them in opposite orders (a refund moves spent -> funding).
    uow.ledger.lock_contract(order.contract_id)
    per_item: dict[str | None, int] = {i.id: i.price.total if i.price else 0 for i in order.items}
    _move(uow, order, EntryKind.PAYMENT, per_item, now, f"checkout {checkout.id}")
    order.accept(now, PaymentStatus.PAID)
    uow.orders.save(order)
    sync_tasks(uow, order, now)
    schedule_fulfilment(uow, order, now)
    return order


def cancel_checkout(uow: UnitOfWork, clock: Clock, checkout_id: str) -> Order:
    """A person abandoned the checkout: cancel the order; nothing is charged."""
    now = clock.now()
    checkout, order = _open_checkout(uow, checkout_id)
    uow.checkouts.complete(checkout.id, "cancelled", now)
    order.cancel(now, "checkout cancelled")
    uow.orders.save(order)
    sync_tasks(uow, order, now)
    return order


def top_up(uow: UnitOfWork, clock: Clock, contract: Contract, amount: int, memo: str) -> None:
    """Add credit to a balance contract."""
    if contract.payment_mode is not PaymentMode.BALANCE:
        raise Conflict(f"contract {contract.name} pays per order; it has no balance to top up")
    uow.ledger.lock_contract(contract.id)  # a first top-up has no balance row to lock
    funded = uow.ledger.balances(contract.id)
    room = MAX_AMOUNT - (funded.available + funded.held + funded.spent)
    if amount > room:
        raise ValidationFailed.on(
            "amount",
            f"{amount} is too large: at most {room} can be added to contract {contract.name} "
            f"({MAX_AMOUNT} is the most a balance can hold)",
        )
    uow.ledger.add(
        transaction(
            EntryKind.TOPUP,
            organisation_id=contract.organisation_id,
            contract_id=contract.id,
            amount=amount,
            at=clock.now(),
            memo=memo,
        )
    )
