"""The order and order-item state machines, and the events their transitions record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skyorder.core.errors import Conflict, IllegalTransition
from skyorder.core.events import EntityType
from skyorder.core.orders import ITEM_STATES, ORDER_STATES, ItemStatus, OrderStatus
from skyorder.core.products import ItemKind
from tests.unit.builders import T0, make_item, make_order

LATER = T0 + timedelta(hours=1)

ORDER_LEGAL = [
    (OrderStatus.DRAFT, OrderStatus.PENDING_PAYMENT),
    (OrderStatus.DRAFT, OrderStatus.ACCEPTED),
    (OrderStatus.DRAFT, OrderStatus.CANCELLED),
    (OrderStatus.PENDING_PAYMENT, OrderStatus.ACCEPTED),
    (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED),
    (OrderStatus.PENDING_PAYMENT, OrderStatus.REJECTED),
    (OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS),
    (OrderStatus.ACCEPTED, OrderStatus.COMPLETED),
    (OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_COMPLETED),
    (OrderStatus.ACCEPTED, OrderStatus.FAILED),
    (OrderStatus.ACCEPTED, OrderStatus.CANCELLED),
    (OrderStatus.IN_PROGRESS, OrderStatus.COMPLETED),
    (OrderStatus.IN_PROGRESS, OrderStatus.PARTIALLY_COMPLETED),
    (OrderStatus.IN_PROGRESS, OrderStatus.FAILED),
    (OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED),
]
ORDER_TERMINAL = [
    OrderStatus.COMPLETED,
    OrderStatus.PARTIALLY_COMPLETED,
    OrderStatus.FAILED,
    OrderStatus.CANCELLED,
    OrderStatus.REJECTED,
]
ORDER_ILLEGAL = [(a, b) for a in OrderStatus for b in OrderStatus if (a, b) not in ORDER_LEGAL]

ITEM_LEGAL = [
    (ItemStatus.DRAFT, ItemStatus.PENDING),
    (ItemStatus.DRAFT, ItemStatus.ACTIVE),
    (ItemStatus.DRAFT, ItemStatus.CANCELLED),
    (ItemStatus.PENDING, ItemStatus.ACTIVE),
    (ItemStatus.PENDING, ItemStatus.CANCELLED),
    (ItemStatus.PENDING, ItemStatus.FAILED),
    (ItemStatus.ACTIVE, ItemStatus.COMPLETED),
    (ItemStatus.ACTIVE, ItemStatus.PARTIALLY_COMPLETED),
    (ItemStatus.ACTIVE, ItemStatus.FAILED),
    (ItemStatus.ACTIVE, ItemStatus.CANCELLED),
    (ItemStatus.ACTIVE, ItemStatus.EXPIRED),
]
ITEM_TERMINAL = [
    ItemStatus.COMPLETED,
    ItemStatus.PARTIALLY_COMPLETED,
    ItemStatus.FAILED,
    ItemStatus.CANCELLED,
    ItemStatus.EXPIRED,
]
ITEM_ILLEGAL = [(a, b) for a in ItemStatus for b in ItemStatus if (a, b) not in ITEM_LEGAL]


def event_type_for(status: OrderStatus | ItemStatus) -> str:
    return "Order" + "".join(part.title() for part in status.value.split("_"))


# --- orders ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), ORDER_LEGAL)
def test_a_legal_order_transition_changes_status_and_records_the_event(
    current: OrderStatus, target: OrderStatus
) -> None:
    order = make_order(current)
    event_type = event_type_for(target)
    order.transition(target, LATER, event_type)
    assert order.status is target
    assert order.updated_at == LATER
    event = order.pending_events[-1]
    assert event.type == event_type
    assert event.entity_type is EntityType.ORDER
    assert event.entity_id == order.id
    assert event.order_id == order.id
    assert event.details == {"status": target.value}
    assert event.timestamp == LATER
    assert order.latest_event is event


@pytest.mark.parametrize(("current", "target"), ORDER_ILLEGAL)
def test_an_illegal_order_transition_raises_and_changes_nothing(
    current: OrderStatus, target: OrderStatus
) -> None:
    order = make_order(current)
    with pytest.raises(IllegalTransition) as exc:
        order.transition(target, LATER, "Whatever")
    assert f"status {current.value} cannot become {target.value}" in exc.value.detail
    assert order.status is current
    assert order.updated_at == T0
    assert order.pending_events == []


@pytest.mark.parametrize("state", ORDER_TERMINAL)
def test_a_terminal_order_status_is_final(state: OrderStatus) -> None:
    assert ORDER_STATES.is_terminal(state)
    with pytest.raises(IllegalTransition) as exc:
        make_order(state).transition(OrderStatus.ACCEPTED, LATER, "OrderAccepted")
    assert f"{state.value} is final" in exc.value.detail


@pytest.mark.parametrize(
    "state", [OrderStatus.PENDING_PAYMENT, OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS]
)
def test_an_open_order_status_is_not_terminal(state: OrderStatus) -> None:
    assert not ORDER_STATES.is_terminal(state)


def test_an_illegal_transition_lists_where_the_status_can_go() -> None:
    with pytest.raises(IllegalTransition) as exc:
        make_order(OrderStatus.PENDING_PAYMENT).transition(OrderStatus.COMPLETED, LATER, "X")
    assert exc.value.detail.endswith(
        "in status pending_payment cannot become completed; "
        "from pending_payment it can become: accepted, cancelled, rejected"
    )


def test_an_illegal_order_transition_message_reads_an_order() -> None:
    with pytest.raises(IllegalTransition) as exc:
        make_order(OrderStatus.PENDING_PAYMENT).transition(OrderStatus.COMPLETED, LATER, "X")
    assert exc.value.detail.startswith("an order in status pending_payment cannot become")


def test_an_illegal_transition_is_a_conflict() -> None:
    assert issubclass(IllegalTransition, Conflict)
    assert IllegalTransition.code == "illegal-transition"


def test_an_order_event_message_follows_the_convention() -> None:
    order = make_order(OrderStatus.ACCEPTED)
    order.transition(OrderStatus.IN_PROGRESS, LATER, "OrderInProgress")
    assert order.pending_events[-1].message == "OrderInProgress event occurred for order 000042"


def test_a_transition_reason_is_kept_in_the_event_details() -> None:
    order = make_order(OrderStatus.PENDING_PAYMENT)
    order.transition(OrderStatus.REJECTED, LATER, "OrderRejected", reason="payment refused")
    assert order.pending_events[-1].details == {"status": "rejected", "reason": "payment refused"}


def test_the_created_event_records_the_initial_status() -> None:
    order = make_order()
    order.created(T0)
    event = order.pending_events[0]
    assert event.type == "OrderCreated"
    assert event.details == {"status": "pending_payment"}
    assert event.message == "OrderCreated event occurred for order 000042"


def test_accepting_an_order_activates_every_item() -> None:
    order = make_order(items=[make_item(), make_item()])
    order.accept(LATER)
    assert order.status is OrderStatus.ACCEPTED
    assert [i.status for i in order.items] == [ItemStatus.ACTIVE, ItemStatus.ACTIVE]
    assert [e.type for e in order.pending_events] == ["OrderAccepted"]
    for item in order.items:
        assert [e.type for e in item.pending_events] == ["OrderItemActivated"]
        assert (
            item.pending_events[0].message == "OrderItemActivated event occurred for order 000042"
        )


def test_accepting_an_accepted_order_is_illegal() -> None:
    with pytest.raises(IllegalTransition):
        make_order(OrderStatus.ACCEPTED).accept(LATER)


def test_cancelling_an_order_cancels_its_open_items_only() -> None:
    done, open_item = make_item(ItemStatus.COMPLETED), make_item(ItemStatus.ACTIVE)
    order = make_order(OrderStatus.IN_PROGRESS, items=[done, open_item])
    order.cancel(LATER)
    assert order.status is OrderStatus.CANCELLED
    assert done.status is ItemStatus.COMPLETED
    assert done.pending_events == []
    assert open_item.status is ItemStatus.CANCELLED
    event = open_item.pending_events[-1]
    assert event.type == "OrderItemCancelled"
    assert event.details == {"reason": "cancelled by the customer"}


def test_cancelling_an_order_records_the_reason() -> None:
    order = make_order(OrderStatus.ACCEPTED, items=[make_item(ItemStatus.ACTIVE)])
    order.cancel(LATER, reason="budget cut")
    event = order.pending_events[-1]
    assert event.type == "OrderCancelled"
    assert event.details == {"status": "cancelled", "reason": "budget cut"}
    assert event.message == "OrderCancelled event occurred for order 000042"


def test_cancelling_a_completed_order_is_illegal() -> None:
    order = make_order(OrderStatus.COMPLETED, items=[make_item(ItemStatus.COMPLETED)])
    with pytest.raises(IllegalTransition):
        order.cancel(LATER)
    assert order.status is OrderStatus.COMPLETED


def test_an_order_finds_its_item_by_id() -> None:
    item = make_item()
    order = make_order(items=[make_item(), item])
    assert order.item(item.id) is item
    assert order.item("missing") is None


def test_an_order_kind_is_mixed_when_items_differ() -> None:
    archive_item = make_item()
    archive_item.kind = ItemKind.ARCHIVE
    assert make_order(items=[make_item(), make_item()]).kind == "tasking"
    assert make_order(items=[make_item(), archive_item]).kind == "mixed"


def test_an_order_lists_its_products_without_repeats() -> None:
    first, second, third = make_item(), make_item(), make_item()
    second.product = "ARC-PHR-KM2"
    order = make_order(items=[first, second, third])
    assert order.products == ["TSKRSH-M.NN.NN", "ARC-PHR-KM2"]


# --- items -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), ITEM_LEGAL)
def test_a_legal_item_transition_changes_status_and_records_the_event(
    current: ItemStatus, target: ItemStatus
) -> None:
    item = make_item(current)
    order = make_order(OrderStatus.ACCEPTED, items=[item])
    order.transition_item(item, target, LATER, "OrderItemChanged", reason="because")
    assert item.status is target
    assert item.updated_at == LATER
    assert order.updated_at == LATER
    event = item.pending_events[-1]
    assert event.type == "OrderItemChanged"
    assert event.entity_type is EntityType.ITEM
    assert event.entity_id == item.id
    assert event.order_id == order.id
    assert event.details == {"reason": "because"}
    assert event.message == "OrderItemChanged event occurred for order 000042"
    assert order.pending_events == []


@pytest.mark.parametrize(("current", "target"), ITEM_ILLEGAL)
def test_an_illegal_item_transition_raises_and_changes_nothing(
    current: ItemStatus, target: ItemStatus
) -> None:
    item = make_item(current)
    order = make_order(OrderStatus.ACCEPTED, items=[item])
    with pytest.raises(IllegalTransition) as exc:
        order.transition_item(item, target, LATER, "OrderItemChanged")
    assert f"order item in status {current.value} cannot become" in exc.value.detail
    assert item.status is current
    assert item.pending_events == []
    assert order.updated_at == T0


@pytest.mark.parametrize("state", ITEM_TERMINAL)
def test_a_terminal_item_status_is_final(state: ItemStatus) -> None:
    assert ITEM_STATES.is_terminal(state)
    item = make_item(state)
    with pytest.raises(IllegalTransition) as exc:
        make_order(items=[item]).transition_item(item, ItemStatus.ACTIVE, LATER, "X")
    assert f"{state.value} is final" in exc.value.detail


def test_an_item_event_without_a_reason_has_empty_details() -> None:
    item = make_item()
    make_order(items=[item]).transition_item(item, ItemStatus.ACTIVE, LATER, "OrderItemActivated")
    assert item.pending_events[-1].details == {}
