"""Placing, reading and cancelling orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from skyorder.core.clock import Clock
from skyorder.core.errors import IdempotencyConflict, NotFound, ValidationFailed
from skyorder.core.order_requests import OrderingContext, OrderRequest, build_order
from skyorder.core.orders import Order
from skyorder.core.tenants import Principal
from skyorder.store.repositories.idempotency import IdempotencyRecord
from skyorder.store.uow import UnitOfWork


@dataclass(frozen=True)
class IdempotencyKey:
    """An ``Idempotency-Key`` header and the hash of the body it came with."""

    key: str
    request_hash: str


@dataclass(frozen=True)
class Placed:
    """The outcome of placing an order: the order, and whether this was a replay."""

    order: Order
    replayed: bool


def _replay(uow: UnitOfWork, principal: Principal, idem: IdempotencyKey) -> Placed | None:
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
    return Placed(order, replayed=True)


def place_order(
    new_uow: Callable[[], UnitOfWork],
    clock: Clock,
    principal: Principal,
    request: OrderRequest,
    *,
    idempotency: IdempotencyKey | None = None,
    max_vertices: int,
) -> Placed:
    """Validate and place an order under the caller's contract.

    With an idempotency key, a retry with the same body returns the order the
    first call made, however many retries run at once; the same key with
    another body is refused.
    """
    try:
        with new_uow() as uow:
            if idempotency is not None and (replay := _replay(uow, principal, idempotency)):
                return replay
            contract = uow.tenants.get_contract(principal, principal.contract_for_write())
            if contract is None:
                raise NotFound("your contract was not found; GET /v1/contracts lists yours")
            if request.project_id is not None and (
                uow.tenants.get_project(principal, request.project_id) is None
            ):
                raise ValidationFailed.on(
                    "project_id", f"project {request.project_id} not found; GET /v1/projects"
                )
            ctx = OrderingContext(
                contract=contract,
                products=uow.products.all(),
                now=clock.now(),
                created_by=principal.client_id,
                max_vertices=max_vertices,
            )
            order = build_order(
                request, ctx, uow.tenants.next_order_sequence(contract.organisation_id)
            )
            uow.orders.add(order)
            if idempotency is not None:
                uow.idempotency.add(
                    principal.organisation_id,
                    IdempotencyRecord(idempotency.key, idempotency.request_hash, order.id),
                    ctx.now,
                )
            uow.commit()
            return Placed(order, replayed=False)
    except IntegrityError:
        if idempotency is None:
            raise
    # A concurrent request with the same key won the race: answer with its order.
    with new_uow() as uow:
        replay = _replay(uow, principal, idempotency)
    if replay is None:
        raise RuntimeError("idempotency record vanished after a key conflict")
    return replay


def get_order(uow: UnitOfWork, principal: Principal, ref: str) -> Order:
    """An order by id or number, or NotFound (also for another tenant's order)."""
    order = uow.orders.get(principal, ref)
    if order is None:
        raise NotFound(f"order {ref} not found")
    return order


def cancel_order(
    new_uow: Callable[[], UnitOfWork], clock: Clock, principal: Principal, ref: str
) -> Order:
    """Cancel an order and its open items (refused once the order is final)."""
    with new_uow() as uow:
        order = uow.orders.get(principal, ref, for_update=True)
        if order is None:
            raise NotFound(f"order {ref} not found")
        order.cancel(clock.now())
        uow.orders.save(order)
        uow.commit()
        return order
