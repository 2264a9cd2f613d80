"""Placing, reading and cancelling orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from skyorder.core.clock import Clock
from skyorder.core.errors import (
    Conflict,
    FieldError,
    Hint,
    IdempotencyConflict,
    NotFound,
    ValidationFailed,
)
from skyorder.core.geometry import DEFAULT_MAX_VERTICES
from skyorder.core.ledger import InsufficientFunds, OrderRejected
from skyorder.core.licences import AcceptedLicence, accept_licences
from skyorder.core.order_requests import OrderDraft, OrderingContext, OrderRequest, draft_order
from skyorder.core.orders import CloudConfigRef, Delivery, Order, PaymentStatus
from skyorder.core.pricing import LinePrice, line_from_json
from skyorder.core.products import required_licences
from skyorder.core.quoting import PricedRequest, price_request
from skyorder.core.tenants import AccountRef, Contract, Principal
from skyorder.core.users import UserRole
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.services.archive import Archive, read_footprints, resolve_scenes
from skyorder.services.billing import bill_new_order, checkout_url, refund_order
from skyorder.services.subscriptions import draw_order
from skyorder.services.tasking_plan import cancel_captures
from skyorder.services.tasks import open_tasks, sync_tasks
from skyorder.services.tenants import resolve_account
from skyorder.store.repositories.idempotency import IdempotencyRecord
from skyorder.store.uow import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class IdempotencyKey:
    """An ``Idempotency-Key`` header and the hash of the body it came with."""

    key: str
    request_hash: str


@dataclass(frozen=True)
class Placed:
    """The outcome of placing an order."""

    order: Order
    replayed: bool = False
    dry_run: bool = False
    checkout_url: str | None = None


@dataclass(frozen=True)
class Placement:
    """How to place an order besides what it contains."""

    items_json: list[dict[str, Any]]  # the items as sent, to compare with a quote's
    quote_id: str | None = None
    idempotency: IdempotencyKey | None = None
    dry_run: bool = False
    base_url: str = ""
    max_vertices: int = DEFAULT_MAX_VERTICES
    outbound: OutboundPolicy = field(default_factory=OutboundPolicy)
    """Which bucket endpoints pushes may reach (the default refuses every non-public one)."""
    account: AccountRef = field(default_factory=AccountRef)
    """The organisation and contract the request names by number (a DataCosmos order's)."""


def _vet_endpoint(delivery: Delivery, outbound: OutboundPolicy) -> None:
    """Refuse a push endpoint the outbound policy refuses (a malformed one is left to the core).

    Runs before any transaction opens: resolving a host name may take a while.
    """
    bucket = delivery.bucket
    if bucket is None or bucket.endpoint_url is None or delivery.problems("delivery"):
        return
    outbound.check(bucket.endpoint_url, "delivery.endpoint_url")


def _replay(
    uow: UnitOfWork, principal: Principal, idem: IdempotencyKey, base_url: str
) -> Placed | None:
    record = uow.idempotency.find(principal.organisation_id, idem.key)
    if record is None:
        return None
    if record.request_hash != idem.request_hash:
        raise IdempotencyConflict(
            f"Idempotency-Key {idem.key!r} was already used with a different request body; "
            "use a new key for a new order"
        )
    order = uow.orders.get(principal.without_contract(), record.order_id)
    if order is None:
        raise NotFound("the order created with this Idempotency-Key is no longer visible")
    return Placed(order, replayed=True, checkout_url=_checkout_url(uow, order, base_url))


def pending_checkout_url(uow: UnitOfWork, order: Order, base_url: str) -> str | None:
    """The checkout URL of an order still waiting for payment."""
    if order.payment_status is not PaymentStatus.UNPAID:
        return None
    return _checkout_url(uow, order, base_url)


def _checkout_url(uow: UnitOfWork, order: Order, base_url: str) -> str | None:
    checkout = uow.checkouts.for_order(order.id)
    return checkout_url(base_url, checkout.id) if checkout else None


def _quoted_prices(
    uow: UnitOfWork,
    principal: Principal,
    contract: Contract,
    order: Order,
    how: Placement,
    now: datetime,
) -> dict[str, LinePrice]:
    assert how.quote_id is not None
    quote = uow.quotes.get(principal, how.quote_id, for_update=True)
    if quote is None:
        raise NotFound(f"quote {how.quote_id} not found", hint=Hint.MAKE_QUOTE)
    if quote.contract_id != contract.id:
        raise Conflict(f"quote {quote.id} was made under another contract ({quote.contract_id})")
    if now >= quote.expires_at:
        raise Conflict(
            f"quote {quote.id} expired at {quote.expires_at.isoformat()}; request a new quote"
        )
    if quote.order_id is not None:
        raise Conflict(f"quote {quote.id} was already used by order {quote.order_id}")
    if quote.request.get("items") != how.items_json:
        raise ValidationFailed.on(
            "items",
            "differ from the quoted items; order exactly what was quoted or get a new quote",
        )
    if not how.dry_run and not uow.quotes.mark_used(quote.id, order.id):
        raise Conflict(f"quote {quote.id} was already used by another order")
    return {item.id: line_from_json(quote.lines[i]) for i, item in enumerate(order.items)}


def place_order(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    archive: Archive,
    principal: Principal,
    request: OrderRequest,
    how: Placement,
) -> Placed:
    """Validate, price, pay for and place an order under the caller's contract.

    A balance contract holds the price (refused with nothing written when the
    balance cannot cover it); a pay-per-order contract answers a checkout URL.
    With ``quote_id`` the order costs exactly the quote. With ``dry_run`` every
    check and price is computed and nothing is kept. With an idempotency key, a
    retry with the same body returns the order the first call made, however
    many retries run at once; the same key with another body is refused. An S3
    delivery endpoint that resolves to a non-public address is refused.

    Reads, validation and pricing happen before the write transaction opens, so
    that it holds SQLite's write lock only for the writes themselves.
    """
    if not how.dry_run:
        principal.require_user_role(UserRole.MEMBER, "placing an order")
    _vet_endpoint(request.delivery, how.outbound)
    request = resolve_scenes(archive, request)
    idem = how.idempotency
    footprint_of = read_footprints(archive, request.items)
    # Reads need no snapshot here (the write unit checks what matters again): on PostgreSQL
    # they run without BEGIN and ROLLBACK round trips.
    with new_uow(readonly=True, autocommit=True) as uow:
        principal = resolve_account(uow, principal, how.account)
        if idem is not None and not how.dry_run:
            replay = _replay(uow, principal, idem, how.base_url)
            if replay is not None:
                return replay
        contract = caller_contract(uow, principal)
        if request.project_id is not None and (
            uow.tenants.get_project(principal, request.project_id) is None
        ):
            raise ValidationFailed.on(
                "project_id", f"project {request.project_id} not found", Hint.LIST_PROJECTS
            )
        products = uow.products.all()
        request = with_cloud_config(uow, principal, request)
    ctx = OrderingContext(
        contract=contract,
        products=products,
        now=clock.now(),
        created_by=principal.actor,
        max_vertices=how.max_vertices,
    )
    draft = draft_order(request, ctx)
    licences = accept_licences(
        required_licences(products, (item.product for item in draft.items)),
        request.licences,
        ctx.created_by,
        ctx.now,
    )
    listed = (
        None
        if how.quote_id is not None
        else price_request(request.items, contract, products, footprint_of)
    )
    try:
        return _write_order(new_uow, principal, contract, draft, listed, licences, how, ctx)
    except OrderRejected:
        raise  # recorded in the order's own write transaction
    except InsufficientFunds as refusal:
        if how.dry_run:
            raise
        prices = listed or price_request(request.items, contract, products, footprint_of)
        with new_uow() as uow:
            sequences = uow.tenants.next_sequences(contract.organisation_id, draft.tasks)
            rejected = _rejected(draft, sequences, contract, prices, licences, refusal.detail)
            uow.orders.add(rejected)
            uow.commit()
        raise _rejection(refusal, rejected) from refusal


def _rejected(
    draft: OrderDraft,
    sequences: tuple[int, int],
    contract: Contract,
    listed: PricedRequest,
    licences: tuple[AcceptedLicence, ...],
    reason: str,
) -> Order:
    """An order the balance could not cover, rejected with ``reason``; nothing is held.

    ``sequences``: its order number and first task id, reserved in the transaction that
    keeps it.
    """
    order = draft.numbered(sequences[0])
    order.assign_task_ids(sequences[1])
    order.licences = licences
    order.set_prices(
        {order.items[p.index].id: p.price for p in listed.items}, contract.currency, None
    )
    order.reject(draft.ctx.now, reason)
    return order


def _rejection(refusal: InsufficientFunds, rejected: Order) -> OrderRejected:
    return OrderRejected(
        f"{refusal.detail}; the order is recorded as rejected: order {rejected.number} "
        f"(id {rejected.id})",
        order_id=rejected.id,
        order_number=rejected.number,
    )


def _reserve_sequences(
    new_uow: UnitOfWorkFactory, contract: Contract, draft: OrderDraft, how: Placement
) -> tuple[int, int] | None:
    """The order's number and first task id, reserved and committed at once where the store
    :attr:`~UnitOfWorkFactory.reserves_apart` (None: the write transaction reserves them).

    Committed apart, the organisation's row is locked for one statement rather than for a
    whole placement, so one organisation's orders do not queue behind each other. A
    number taken by an order that then fails stays unused, as a rejected order's does.
    """
    if how.dry_run or not new_uow.reserves_apart:
        return None
    with new_uow(autocommit=True) as uow:
        return uow.tenants.next_sequences(contract.organisation_id, draft.tasks)


def _write_order(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    contract: Contract,
    draft: OrderDraft,
    listed: PricedRequest | None,
    licences: tuple[AcceptedLicence, ...],
    how: Placement,
    ctx: OrderingContext,
) -> Placed:
    idem = how.idempotency
    reserved = _reserve_sequences(new_uow, contract, draft, how)
    try:
        with new_uow() as uow:
            sequences = reserved or uow.tenants.next_sequences(
                contract.organisation_id, draft.tasks
            )
            order = draft.numbered(sequences[0])
            order.assign_task_ids(sequences[1])
            order.licences = licences
            if listed is None:
                prices = _quoted_prices(uow, principal, contract, order, how, ctx.now)
            else:
                prices = {order.items[p.index].id: p.price for p in listed.items}
            drawn = draw_order(uow, principal, contract, order, prices, ctx.products, ctx.now)
            checkout, hold = bill_new_order(
                uow, order, contract, drawn, how.quote_id, ctx.now, how.base_url
            )
            try:
                if hold is not None:
                    hold.check(uow)  # read, not locked: most refusals end here, nothing written
            except InsufficientFunds as refusal:
                if how.dry_run or listed is None or drawn is not prices:
                    raise  # a quote was used or a subscription drawn: undone by the rollback
                # Recorded as rejected in this transaction (one turn of SQLite's write lock,
                # not two), with the number reserved; the key is not kept.
                rejected = _rejected(draft, sequences, contract, listed, licences, refusal.detail)
                uow.orders.add(rejected)
                uow.commit()
                raise _rejection(refusal, rejected) from refusal
            if how.dry_run:
                return Placed(order, dry_run=True, checkout_url=None)
            # The key before the order: a concurrent retry with the same key waits on it,
            # then fails on its primary key and answers with this order.
            if idem is not None:
                uow.idempotency.add(
                    principal.organisation_id,
                    IdempotencyRecord(idem.key, idem.request_hash, order.id),
                    ctx.now,
                )
            uow.orders.add(order)
            open_tasks(uow, order, ctx.now)
            if hold is not None:
                # The holds last: they lock the contract's balance rows until the commit. On
                # PostgreSQL another placement may have spent the balance since the check; the
                # database then refuses, all of this is rolled back and place_order records
                # the rejected order in a transaction of its own.
                hold.take(uow)
            uow.commit()
            url = checkout_url(how.base_url, checkout.id) if checkout else None
            return Placed(order, checkout_url=url)
    except IntegrityError:
        if idem is None:
            raise
    # A concurrent request with the same key won the race: answer with its order.
    assert idem is not None
    with new_uow(readonly=True) as uow:
        replay = _replay(uow, principal, idem, how.base_url)
        if replay is None:
            raise RuntimeError("idempotency record vanished after a key conflict")
        return replay


def with_cloud_config(uow: UnitOfWork, principal: Principal, request: OrderRequest) -> OrderRequest:
    """The request with its cloud-delivery configurations (named by id or name) resolved to ids.

    The order's and each item's own.

    Raises:
        ValidationFailed: the organisation has no such configuration (every unknown one named).
    """
    resolved, problems = resolve_cloud_configs(uow, principal, request)
    if problems:
        raise ValidationFailed.of(problems)
    return resolved


def resolve_cloud_configs(
    uow: UnitOfWork, principal: Principal, request: OrderRequest
) -> tuple[OrderRequest, list[FieldError]]:
    """The request with each configuration it names resolved to its id (its name kept beside),
    and one error per configuration the organisation does not have (left as named)."""
    problems: list[FieldError] = []

    def resolve(ref: CloudConfigRef | None, field_name: str) -> CloudConfigRef | None:
        if ref is None:
            return None
        config = uow.cloud_delivery.get(principal, ref.config)
        if config is None:
            problems.append(
                FieldError(
                    field_name,
                    f"no cloud-delivery configuration {ref.config!r} in your organisation",
                    Hint.LIST_CLOUD_DELIVERY_CONFIGS,
                )
            )
            return ref
        return replace(ref, config=config.id, name=config.name)

    cloud = resolve(request.delivery.cloud, "delivery.config")
    items = tuple(
        replace(item, cloud=resolve(item.cloud, f"items[{i}].cloud_delivery.config"))
        if item.cloud is not None
        else item
        for i, item in enumerate(request.items)
    )
    return replace(request, delivery=replace(request.delivery, cloud=cloud), items=items), problems


def caller_contract(uow: UnitOfWork, principal: Principal) -> Contract:
    """The contract the caller orders under, or NotFound."""
    contract = uow.tenants.get_contract(principal, principal.contract_for_write())
    if contract is None:
        raise NotFound("your contract was not found", hint=Hint.LIST_CONTRACTS)
    return contract


def get_order(uow: UnitOfWork, principal: Principal, ref: str) -> Order:
    """An order by id or number, or NotFound (also for another tenant's order)."""
    order = uow.orders.get(principal, ref)
    if order is None:
        raise NotFound(f"order {ref} not found")
    return order


def cancel_order(
    new_uow: Callable[[], UnitOfWork], clock: Clock, principal: Principal, ref: str
) -> Order:
    """Cancel an order, its open items and their captures still to come (refused once final)."""
    principal.require_user_role(UserRole.MEMBER, "cancelling an order")
    with new_uow() as uow:
        order = uow.orders.get(principal, ref, for_update=True)
        if order is None:
            raise NotFound(f"order {ref} not found")
        contract = uow.tenants.get_contract(principal.without_contract(), order.contract_id)
        assert contract is not None
        now = clock.now()
        order.cancel(now, by=principal.actor)
        cancel_captures(uow, order, now)
        refund_order(uow, order, contract, now)
        uow.subscriptions.give_back(order.id, now)
        uow.orders.save(order)
        sync_tasks(uow, order, now)
        uow.commit()
        return order
