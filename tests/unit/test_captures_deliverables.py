"""The capture and deliverable state machines, and the events their transitions record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skyorder.core.captures import CAPTURE_STATES, CaptureStatus
from skyorder.core.deliverables import DELIVERABLE_STATES, DeliverableStatus
from skyorder.core.errors import IllegalTransition
from skyorder.core.events import EntityType, make_event
from tests.unit.builders import T0, make_capture, make_deliverable

LATER = T0 + timedelta(hours=2)

CAPTURE_LEGAL = {
    (CaptureStatus.PLANNED, CaptureStatus.SCHEDULED): "CaptureScheduled",
    (CaptureStatus.PLANNED, CaptureStatus.CANCELLED): "CaptureCancelled",
    (CaptureStatus.PLANNED, CaptureStatus.FAILED): "CaptureCollectionFailed",
    (CaptureStatus.SCHEDULED, CaptureStatus.COLLECTED): "CaptureCollected",
    (CaptureStatus.SCHEDULED, CaptureStatus.FAILED): "CaptureCollectionFailed",
    (CaptureStatus.SCHEDULED, CaptureStatus.CANCELLED): "CaptureCancelled",
}
CAPTURE_ILLEGAL = [
    (a, b) for a in CaptureStatus for b in CaptureStatus if (a, b) not in CAPTURE_LEGAL
]
CAPTURE_TERMINAL = [CaptureStatus.COLLECTED, CaptureStatus.FAILED, CaptureStatus.CANCELLED]

DELIVERABLE_LEGAL = {
    (DeliverableStatus.PROCESSING, DeliverableStatus.DELIVERED): "DeliverableDelivered",
    (DeliverableStatus.PROCESSING, DeliverableStatus.FAILED): "DeliverableFailed",
    (DeliverableStatus.DELIVERED, DeliverableStatus.REJECTED): "DeliverableRejected",
}
DELIVERABLE_ILLEGAL = [
    (a, b) for a in DeliverableStatus for b in DeliverableStatus if (a, b) not in DELIVERABLE_LEGAL
]
DELIVERABLE_TERMINAL = [DeliverableStatus.FAILED, DeliverableStatus.REJECTED]


# --- captures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), list(CAPTURE_LEGAL))
def test_a_legal_capture_transition_records_the_matching_event(
    current: CaptureStatus, target: CaptureStatus
) -> None:
    capture = make_capture(current)
    capture.transition(target, LATER)
    assert capture.status is target
    assert capture.updated_at == LATER
    event = capture.pending_events[-1]
    assert event.type == CAPTURE_LEGAL[(current, target)]
    assert event.entity_type is EntityType.CAPTURE
    assert event.entity_id == capture.id
    assert event.order_id == "ord-1"
    assert event.organisation_id == "org-1"
    assert event.timestamp == LATER
    assert event.message == f"{event.type} event occurred for order 000042"
    assert capture.latest_event is event


@pytest.mark.parametrize(("current", "target"), CAPTURE_ILLEGAL)
def test_an_illegal_capture_transition_raises_and_changes_nothing(
    current: CaptureStatus, target: CaptureStatus
) -> None:
    capture = make_capture(current)
    with pytest.raises(IllegalTransition) as exc:
        capture.transition(target, LATER)
    assert f"capture in status {current.value} cannot become {target.value}" in exc.value.detail
    assert capture.status is current
    assert capture.updated_at == T0
    assert capture.pending_events == []


@pytest.mark.parametrize("state", CAPTURE_TERMINAL)
def test_a_terminal_capture_status_is_final(state: CaptureStatus) -> None:
    assert CAPTURE_STATES.is_terminal(state)
    with pytest.raises(IllegalTransition) as exc:
        make_capture(state).transition(CaptureStatus.SCHEDULED, LATER)
    assert f"{state.value} is final" in exc.value.detail


def test_a_capture_failure_reason_is_kept_in_the_event_details() -> None:
    capture = make_capture(CaptureStatus.SCHEDULED)
    capture.transition(CaptureStatus.FAILED, LATER, reason="clouds")
    assert capture.pending_events[-1].details == {"reason": "clouds"}


def test_a_capture_event_without_a_reason_has_empty_details() -> None:
    capture = make_capture()
    capture.transition(CaptureStatus.SCHEDULED, LATER)
    assert capture.pending_events[-1].details == {}


def test_a_capture_goes_from_planned_to_collected_through_scheduled() -> None:
    capture = make_capture()
    capture.transition(CaptureStatus.SCHEDULED, LATER)
    capture.transition(CaptureStatus.COLLECTED, LATER + timedelta(minutes=5))
    assert [e.type for e in capture.pending_events] == ["CaptureScheduled", "CaptureCollected"]


# --- deliverables ------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), list(DELIVERABLE_LEGAL))
def test_a_legal_deliverable_transition_records_the_matching_event(
    current: DeliverableStatus, target: DeliverableStatus
) -> None:
    deliverable = make_deliverable(current)
    deliverable.transition(target, LATER, {"note": "x"})
    assert deliverable.status is target
    assert deliverable.updated_at == LATER
    event = deliverable.pending_events[-1]
    assert event.type == DELIVERABLE_LEGAL[(current, target)]
    assert event.entity_type is EntityType.DELIVERABLE
    assert event.entity_id == deliverable.id
    assert event.order_id == "ord-1"
    assert event.details == {"note": "x"}
    assert event.message == f"{event.type} event occurred for order 000042"


@pytest.mark.parametrize(("current", "target"), DELIVERABLE_ILLEGAL)
def test_an_illegal_deliverable_transition_raises_and_changes_nothing(
    current: DeliverableStatus, target: DeliverableStatus
) -> None:
    deliverable = make_deliverable(current)
    with pytest.raises(IllegalTransition) as exc:
        deliverable.transition(target, LATER)
    assert f"deliverable in status {current.value} cannot become {target.value}" in (
        exc.value.detail
    )
    assert deliverable.status is current
    assert deliverable.updated_at == T0
    assert deliverable.pending_events == []


@pytest.mark.parametrize("state", DELIVERABLE_TERMINAL)
def test_a_terminal_deliverable_status_is_final(state: DeliverableStatus) -> None:
    assert DELIVERABLE_STATES.is_terminal(state)
    with pytest.raises(IllegalTransition) as exc:
        make_deliverable(state).transition(DeliverableStatus.DELIVERED, LATER)
    assert f"{state.value} is final" in exc.value.detail


def test_a_delivered_deliverable_is_not_terminal_because_it_may_be_rejected() -> None:
    assert not DELIVERABLE_STATES.is_terminal(DeliverableStatus.DELIVERED)


def test_delivering_sets_the_delivery_time() -> None:
    deliverable = make_deliverable()
    deliverable.transition(DeliverableStatus.DELIVERED, LATER)
    assert deliverable.delivered_at == LATER
    assert deliverable.rejected_at is None


def test_rejecting_sets_the_rejection_time_and_keeps_the_delivery_time() -> None:
    deliverable = make_deliverable()
    deliverable.transition(DeliverableStatus.DELIVERED, LATER)
    deliverable.transition(DeliverableStatus.REJECTED, LATER + timedelta(days=1))
    assert deliverable.delivered_at == LATER
    assert deliverable.rejected_at == LATER + timedelta(days=1)


def test_a_failed_deliverable_has_no_delivery_time() -> None:
    deliverable = make_deliverable()
    deliverable.transition(DeliverableStatus.FAILED, LATER)
    assert deliverable.delivered_at is None


def test_a_deliverable_without_details_records_empty_details() -> None:
    deliverable = make_deliverable()
    deliverable.transition(DeliverableStatus.DELIVERED, LATER)
    assert deliverable.pending_events[-1].details == {}


def test_the_deliverable_created_event_follows_the_convention() -> None:
    deliverable = make_deliverable()
    deliverable.created(T0)
    event = deliverable.pending_events[0]
    assert event.type == "DeliverableCreated"
    assert event.message == "DeliverableCreated event occurred for order 000042"


# --- events ------------------------------------------------------------------------------------


def test_an_event_without_an_order_number_names_its_entity() -> None:
    event = make_event(
        organisation_id="org-1",
        entity_type=EntityType.CAPTURE,
        entity_id="cap-9",
        order_id=None,
        order_number=None,
        type="CaptureScheduled",
        at=T0,
    )
    assert event.message == "CaptureScheduled event occurred for capture cap-9"
    assert event.details == {}


def test_an_event_copies_its_details() -> None:
    details = {"reason": "x"}
    event = make_event(
        organisation_id="org-1",
        entity_type=EntityType.ORDER,
        entity_id="o",
        order_id="o",
        order_number="000001",
        type="OrderFailed",
        at=T0,
        details=details,
    )
    details["reason"] = "changed"
    assert event.details == {"reason": "x"}


def test_an_event_summary_is_the_latest_event_shape() -> None:
    capture = make_capture()
    capture.transition(CaptureStatus.SCHEDULED, LATER)
    event = capture.pending_events[0]
    assert event.summary() == {
        "id": event.id,
        "type": "CaptureScheduled",
        "details": {},
        "message": "CaptureScheduled event occurred for order 000042",
        "timestamp": LATER,
    }
