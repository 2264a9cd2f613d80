"""Webhook rules: Standard Webhooks signing, secrets, the retry schedule, input checks."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from skyorder.core.errors import ValidationFailed
from skyorder.core.events import EntityType, make_event
from skyorder.core.webhooks import (
    WEBHOOK_RETRIES,
    Attempt,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionFilter,
    check_event_types,
    check_url,
    event_body,
    matching,
    new_secret,
    sign,
    signed_headers,
)

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

# The test vector published with the Standard Webhooks specification.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_signature_matches_the_specification_test_vector() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_signed_headers_pass_the_reference_verifier() -> None:
    secret = new_secret()
    body = '{"type":"OrderAccepted"}'
    # The reference library checks the timestamp against the wall clock (5 minutes).
    headers = signed_headers(secret, "d-1", datetime.now(UTC), body)
    assert Webhook(secret).verify(body, headers) == {"type": "OrderAccepted"}


def test_a_tampered_body_fails_the_reference_verifier() -> None:
    secret = new_secret()
    headers = signed_headers(secret, "d-1", datetime.now(UTC), '{"a":1}')
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify('{"a":2}', headers)


def test_the_headers_carry_the_id_and_unix_timestamp() -> None:
    headers = signed_headers(SPEC_SECRET, "delivery-7", T0, "{}")
    assert headers["webhook-id"] == "delivery-7"
    assert headers["webhook-timestamp"] == str(int(T0.timestamp()))
    assert headers["content-type"] == "application/json"


def test_a_secret_is_whsec_and_32_random_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert new_secret() != secret


def test_retries_follow_the_schedule_within_ten_percent() -> None:
    for attempt, base in enumerate(WEBHOOK_RETRIES.delays, start=1):
        delay = WEBHOOK_RETRIES.next_delay(attempt, "delivery-1")
        assert delay is not None
        assert base * 0.9 <= delay <= base * 1.1


def test_the_jitter_is_the_same_for_the_same_delivery_and_attempt() -> None:
    assert WEBHOOK_RETRIES.next_delay(3, "delivery-1") == WEBHOOK_RETRIES.next_delay(
        3, "delivery-1"
    )


def test_the_jitter_spreads_deliveries_apart() -> None:
    delays = {WEBHOOK_RETRIES.next_delay(4, f"delivery-{i}") for i in range(20)}
    assert len(delays) > 10


def test_there_is_no_retry_after_the_last_attempt() -> None:
    assert WEBHOOK_RETRIES.next_delay(WEBHOOK_RETRIES.attempts, "delivery-1") is None


def test_the_schedule_covers_at_least_a_day_whatever_the_jitter() -> None:
    assert sum(WEBHOOK_RETRIES.delays, timedelta()) * 0.9 >= timedelta(hours=24)


@pytest.mark.parametrize(
    "url",
    ["https://example.com/hooks", "http://127.0.0.1:8080/in?x=1", "HTTPS://EXAMPLE.COM"],
)
def test_http_and_https_urls_are_accepted(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "http:// or https://"),
        ("example.com/hooks", "http:// or https://"),
        ("https:///path", "must name a host"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://example.com:99999/", "not a valid URL"),
        ("https://exa mple.com/", "spaces"),
        ("", "must not be empty"),
    ],
)
def test_other_urls_are_refused_naming_the_field(url: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_url(url)
    assert caught.value.errors[0].field == "url"
    assert message in caught.value.errors[0].message


def test_no_event_types_or_a_star_mean_every_event() -> None:
    assert check_event_types(None) is None
    assert check_event_types(["OrderAccepted", "*"]) is None


def test_event_types_are_kept_once_in_order() -> None:
    assert check_event_types(["OrderAccepted", "OrderCreated", "OrderAccepted"]) == [
        "OrderAccepted",
        "OrderCreated",
    ]


def test_a_malformed_event_type_is_refused_by_position() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_event_types(["OrderAccepted", "order accepted"])
    assert [e.field for e in caught.value.errors] == ["event_types[1]"]


def test_an_empty_event_type_list_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="at least one"):
        check_event_types([])


def _delivery() -> Delivery:
    return Delivery(
        "d-1", "org", "sub", "evt", "OrderAccepted", "{}", DeliveryStatus.PENDING, T0, T0
    )


def test_a_2xx_attempt_delivers() -> None:
    delivery = _delivery()
    delivery.record(Attempt(1, T0, 204, None, 12), timedelta(seconds=5))
    assert delivery.status is DeliveryStatus.DELIVERED
    assert delivery.delivered_at == T0 and delivery.next_attempt_at is None


def test_a_failed_attempt_with_a_delay_stays_pending_until_then() -> None:
    delivery = _delivery()
    delivery.record(Attempt(1, T0, 503, "HTTP 503", 3), timedelta(seconds=5))
    assert delivery.status is DeliveryStatus.PENDING
    assert delivery.next_attempt_at == T0 + timedelta(seconds=5)


def test_a_failed_attempt_without_a_delay_fails_the_delivery() -> None:
    delivery = _delivery()
    delivery.record(Attempt(8, T0, None, "ConnectError", 1), None)
    assert delivery.status is DeliveryStatus.FAILED and delivery.next_attempt_at is None


def test_an_event_body_has_type_timestamp_and_data() -> None:
    event = make_event(
        organisation_id="org-1",
        entity_type=EntityType.ORDER,
        entity_id="order-1",
        order_id="order-1",
        order_number="000001",
        type="OrderAccepted",
        at=T0,
        details={"status": "accepted"},
    )
    body = json.loads(event_body(event))
    assert body["type"] == "OrderAccepted"
    assert body["timestamp"] == "2026-01-05T12:00:00Z"
    assert body["data"]["id"] == event.id
    assert body["data"]["entity_type"] == "order"
    assert body["data"]["order_id"] == "order-1"
    assert body["data"]["details"] == {"status": "accepted"}


def _event(organisation: str = "org-1", type: str = "OrderAccepted") -> Any:
    return make_event(
        organisation_id=organisation, entity_type=EntityType.ORDER, entity_id="o-1",
        order_id="o-1", order_number="000001", type=type, at=T0,
    )  # fmt: skip


def _subscription(id: str, event_types: list[str] | None = None, **fields: Any) -> Subscription:
    values: dict[str, Any] = {"organisation_id": "org-1", "enabled": True, **fields}
    return Subscription(
        id=id, url="https://example.com/in", event_types=event_types, description="",
        secret=new_secret(), created_at=T0, updated_at=T0, **values,
    )  # fmt: skip


def test_matching_keeps_the_subscriptions_that_list_the_event_type_or_none() -> None:
    subs = [_subscription("all"), _subscription("accepted", ["OrderAccepted"]),
            _subscription("cancelled", ["OrderCancelled"])]  # fmt: skip
    assert [s.id for s in matching(subs, _event())] == ["all", "accepted"]


def test_matching_leaves_out_a_disabled_subscription() -> None:
    subs = [_subscription("off", enabled=False), _subscription("on")]
    assert [s.id for s in matching(subs, _event())] == ["on"]


def test_matching_leaves_out_another_organisations_subscription() -> None:
    subs = [_subscription("theirs", organisation_id="org-2"), _subscription("ours")]
    assert [s.id for s in matching(subs, _event())] == ["ours"]


def test_matching_chooses_among_the_fan_outs_filters_the_same_way() -> None:
    filters = [SubscriptionFilter("a", "org-1", ("OrderCancelled",), True),
               SubscriptionFilter("b", "org-1", None, False),
               SubscriptionFilter("c", "org-1", ("OrderAccepted",), True)]  # fmt: skip
    assert [f.id for f in matching(filters, _event())] == ["c"]
