"""GET /v1/orders: filters, newest-first ordering and paging links."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.factories import advance, archive_item, order_body, place, tasking_item

Tenant = dict[str, Any]


def listing(client: TestClient, tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/orders", params=params, headers=tenant["headers"])
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def names(page: dict[str, Any]) -> list[str]:
    return [order["name"] for order in page["results"]]


def place_named(client: TestClient, tenant: Tenant, *names_: str, **extra: Any) -> None:
    for name in names_:
        place(client, tenant, order_body(name=name, **extra))


def place_hourly(client: TestClient, runtime: Runtime, tenant: Tenant, *names_: str) -> None:
    """Place one order per name, an hour of sandbox time apart (the first at T0)."""
    for i, name in enumerate(names_):
        if i:
            advance(runtime, hours=1)
        place(client, tenant, order_body(name=name))


def cancel(client: TestClient, tenant: Tenant, order: dict[str, Any]) -> None:
    response = client.post(f"/v1/orders/{order['id']}/cancel", headers=tenant["headers"])
    assert response.status_code == 200, response.text


def query_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


# ordering


def test_orders_are_listed_newest_first(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "first", "second", "third")
    assert names(listing(client, tenant)) == ["third", "second", "first"]


def test_orders_placed_at_the_same_instant_list_the_latest_placed_first(
    client: TestClient, tenant: Tenant
) -> None:
    place_named(client, tenant, "first", "second", "third")
    assert names(listing(client, tenant)) == ["third", "second", "first"]


# status


def test_status_filter_keeps_orders_in_that_status(client: TestClient, tenant: Tenant) -> None:
    kept = place(client, tenant, order_body(name="kept"))
    cancel(client, tenant, place(client, tenant, order_body(name="dropped")))
    assert names(listing(client, tenant, status="accepted")) == [kept["name"]]
    assert names(listing(client, tenant, status="cancelled")) == ["dropped"]


def test_status_filter_accepts_a_comma_list(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, order_body(name="accepted"))
    cancel(client, tenant, place(client, tenant, order_body(name="cancelled")))
    page = listing(client, tenant, status="accepted,cancelled")
    assert page["count"] == 2
    assert names(page) == ["cancelled", "accepted"]


def test_status_filter_accepts_repeated_parameters(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, order_body(name="accepted"))
    cancel(client, tenant, place(client, tenant, order_body(name="cancelled")))
    page = listing(client, tenant, status=["accepted", "cancelled"])
    assert page["count"] == 2


def test_status_filter_ignores_case(client: TestClient, tenant: Tenant) -> None:
    cancel(client, tenant, place(client, tenant, order_body(name="cancelled")))
    place(client, tenant, order_body(name="accepted"))
    assert names(listing(client, tenant, status="CANCELLED")) == ["cancelled"]


def test_status_filter_refuses_an_unknown_status_listing_the_allowed_ones(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/orders", params={"status": "shipped"}, headers=tenant["headers"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
    assert "accepted" in response.json()["errors"][0]["message"]


# kind, product, project, name


def test_kind_filter_keeps_orders_of_that_kind(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, order_body(tasking_item(), name="tasking"))
    place(client, tenant, order_body(archive_item(), name="archive"))
    place(client, tenant, order_body(tasking_item(), archive_item(), name="mixed"))
    assert names(listing(client, tenant, kind="archive")) == ["archive"]
    assert names(listing(client, tenant, kind="tasking,mixed")) == ["mixed", "tasking"]


def test_product_filter_keeps_orders_with_an_item_of_that_product(
    client: TestClient, tenant: Tenant
) -> None:
    place(client, tenant, order_body(tasking_item(product="TSKSTD-M.NN.NN"), name="standard"))
    place(client, tenant, order_body(tasking_item(), archive_item(), name="rush and archive"))
    assert names(listing(client, tenant, product="ARC-PHR-KM2")) == ["rush and archive"]
    assert names(listing(client, tenant, product="TSKSTD-M.NN.NN")) == ["standard"]


def test_product_filter_accepts_a_comma_list(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, order_body(tasking_item(product="TSKSTD-M.NN.NN"), name="standard"))
    place(client, tenant, order_body(tasking_item(), name="rush"))
    place(client, tenant, order_body(archive_item(), name="archive"))
    page = listing(client, tenant, product="TSKSTD-M.NN.NN,ARC-PHR-KM2")
    assert names(page) == ["archive", "standard"]
    assert page["count"] == 2


def test_project_id_filter_keeps_orders_of_that_project(client: TestClient, tenant: Tenant) -> None:
    place(client, tenant, order_body(name="in project", project_id=tenant["project_id"]))
    place(client, tenant, order_body(name="no project"))
    assert names(listing(client, tenant, project_id=tenant["project_id"])) == ["in project"]


def test_name_filter_matches_the_whole_name(client: TestClient, tenant: Tenant) -> None:
    place_named(client, tenant, "Airport", "Airport extension")
    assert names(listing(client, tenant, name="Airport")) == ["Airport"]


def test_name_contains_matches_part_of_the_name_ignoring_case(
    client: TestClient, tenant: Tenant
) -> None:
    place_named(client, tenant, "Mar del Plata Airport", "Toulouse airport", "Harbour")
    page = listing(client, tenant, name__contains="AIRPORT")
    assert names(page) == ["Toulouse airport", "Mar del Plata Airport"]


@pytest.mark.parametrize("needle", ["%", "_"])
def test_name_contains_treats_like_wildcards_literally(
    client: TestClient, tenant: Tenant, needle: str
) -> None:
    place_named(client, tenant, "50% off", "plain", "snake_case")
    expected = {"%": ["50% off"], "_": ["snake_case"]}[needle]
    assert names(listing(client, tenant, name__contains=needle)) == expected


# created_at / updated_at


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        ("gt", ["third"]),
        ("gte", ["third", "second"]),
        ("lt", ["first"]),
        ("lte", ["second", "first"]),
    ],
)
def test_created_at_range_filters(
    client: TestClient, runtime: Runtime, tenant: Tenant, op: str, expected: list[str]
) -> None:
    place_hourly(client, runtime, tenant, "first", "second", "third")
    params = {f"created_at__{op}": "2026-01-05T13:00:00Z"}
    assert names(listing(client, tenant, **params)) == expected


def test_created_at_exact_filter(client: TestClient, runtime: Runtime, tenant: Tenant) -> None:
    place_hourly(client, runtime, tenant, "first", "second")
    assert names(listing(client, tenant, created_at="2026-01-05T12:00:00Z")) == ["first"]


def test_time_filters_honour_the_time_zone_offset(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "first", "second", "third")
    page = listing(client, tenant, created_at__gte="2026-01-05T14:00:00+01:00")
    assert names(page) == ["third", "second"]


def test_a_bare_date_filters_from_midnight_utc(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place(client, tenant, order_body(name="monday"))
    advance(runtime, days=1)
    place(client, tenant, order_body(name="tuesday"))
    assert names(listing(client, tenant, created_at__gte="2026-01-06")) == ["tuesday"]


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        ("gt", ["cancelled later"]),
        ("gte", ["cancelled later"]),
        ("lt", ["untouched"]),
        ("lte", ["untouched"]),
    ],
)
def test_updated_at_range_filters(
    client: TestClient, runtime: Runtime, tenant: Tenant, op: str, expected: list[str]
) -> None:
    later = place(client, tenant, order_body(name="cancelled later"))
    place(client, tenant, order_body(name="untouched"))
    advance(runtime, hours=2)
    cancel(client, tenant, later)
    moment = {"gt": "12:00", "gte": "14:00", "lt": "14:00", "lte": "12:00"}[op]
    params = {f"updated_at__{op}": f"2026-01-05T{moment}:00Z"}
    assert names(listing(client, tenant, **params)) == expected


def test_updated_at_moves_when_the_order_changes(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    order = place(client, tenant)
    advance(runtime, minutes=5)
    cancel(client, tenant, order)
    [listed] = listing(client, tenant)["results"]
    assert listed["created_at"] == "2026-01-05T12:00:00Z"
    assert listed["updated_at"] == "2026-01-05T12:05:00Z"


def test_an_unparseable_time_is_refused_naming_the_parameter(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get(
        "/v1/orders", params={"created_at__gt": "yesterday"}, headers=tenant["headers"]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "created_at__gt"


def test_an_unknown_operator_is_refused_listing_the_allowed_ones(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/orders", params={"name__gt": "a"}, headers=tenant["headers"])
    assert response.status_code == 422
    assert "name__contains" in response.json()["errors"][0]["message"]


def test_an_unknown_filter_is_refused_listing_the_allowed_ones(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/orders", params={"colour": "red"}, headers=tenant["headers"])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    error = response.json()["errors"][0]
    assert error["field"] == "colour"
    assert "created_at" in error["message"] and "bbox" in error["message"]


def test_filters_combine(client: TestClient, runtime: Runtime, tenant: Tenant) -> None:
    place(client, tenant, order_body(archive_item(), name="old archive"))
    advance(runtime, hours=1)
    place(client, tenant, order_body(archive_item(), name="new archive"))
    place(client, tenant, order_body(tasking_item(), name="new tasking"))
    page = listing(client, tenant, kind="archive", created_at__gt="2026-01-05T12:30:00Z")
    assert names(page) == ["new archive"]
    assert page["count"] == 1


# paging


def test_a_page_reports_the_total_count_and_a_next_link(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "1", "2", "3", "4", "5")
    page = listing(client, tenant, limit=2)
    assert page["count"] == 5
    assert names(page) == ["5", "4"]
    assert page["previous"] is None
    assert urlsplit(page["next"]).path == "/v1/orders"
    assert query_of(page["next"]) == {"limit": ["2"], "offset": ["2"]}


def test_following_next_links_walks_every_order_once(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "1", "2", "3", "4", "5")
    seen: list[str] = []
    link: str | None = "/v1/orders?limit=2"
    while link:
        page = client.get(link, headers=tenant["headers"]).json()
        seen += names(page)
        link = page["next"]
    assert seen == ["5", "4", "3", "2", "1"]


def test_a_middle_page_links_back_to_the_previous_one(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "1", "2", "3", "4", "5")
    page = listing(client, tenant, limit=2, offset=2)
    assert names(page) == ["3", "2"]
    assert query_of(page["previous"]) == {"limit": ["2"], "offset": ["0"]}
    assert query_of(page["next"]) == {"limit": ["2"], "offset": ["4"]}
    previous = client.get(page["previous"], headers=tenant["headers"]).json()
    assert names(previous) == ["5", "4"]


def test_the_last_page_has_no_next_link(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "1", "2", "3")
    page = listing(client, tenant, limit=2, offset=2)
    assert names(page) == ["1"]
    assert page["next"] is None
    assert page["count"] == 3


def test_the_next_link_keeps_the_filters(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "a1", "a2", "a3")
    cancel(client, tenant, place(client, tenant, order_body(name="cancelled")))
    page = listing(client, tenant, status="accepted", name__contains="a", limit=2)
    assert query_of(page["next"]) == {
        "status": ["accepted"],
        "name__contains": ["a"],
        "limit": ["2"],
        "offset": ["2"],
    }
    following = client.get(page["next"], headers=tenant["headers"]).json()
    assert names(following) == ["a1"]
    assert following["count"] == 3


def test_the_next_link_keeps_a_time_filter_with_a_utc_offset(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "1", "2", "3")
    page = listing(client, tenant, created_at__gte="2026-01-05T12:00:00+00:00", limit=2)
    following = client.get(page["next"], headers=tenant["headers"])
    assert following.status_code == 200, following.text
    assert names(following.json()) == ["1"]


def test_the_previous_link_keeps_a_time_filter_with_a_utc_offset(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    place_hourly(client, runtime, tenant, "1", "2", "3")
    page = listing(client, tenant, created_at__gte="2026-01-05T12:00:00+00:00", limit=2, offset=2)
    previous = client.get(page["previous"], headers=tenant["headers"])
    assert previous.status_code == 200, previous.text
    assert names(previous.json()) == ["3", "2"]


def test_the_next_link_keeps_a_name_holding_an_ampersand(
    client: TestClient, tenant: Tenant
) -> None:
    place_named(client, tenant, "Fish & Chips", "Fish & Chips")
    page = listing(client, tenant, name="Fish & Chips", limit=1)
    assert query_of(page["next"])["name"] == ["Fish & Chips"]


def test_an_offset_past_the_end_gives_an_empty_page(client: TestClient, tenant: Tenant) -> None:
    place_named(client, tenant, "only")
    page = listing(client, tenant, offset=10)
    assert page["count"] == 1
    assert page["results"] == []
    assert page["next"] is None


@pytest.mark.parametrize("limit", ["0", "1001", "ten"])
def test_a_limit_outside_1_to_1000_is_refused(
    client: TestClient, tenant: Tenant, limit: str
) -> None:
    response = client.get("/v1/orders", params={"limit": limit}, headers=tenant["headers"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_the_default_page_holds_25_orders(client: TestClient, tenant: Tenant) -> None:
    for i in range(26):
        place(client, tenant, order_body(name=f"order {i}"))
    page = listing(client, tenant)
    assert len(page["results"]) == 25
    assert page["count"] == 26
    assert query_of(page["next"]) == {"offset": ["25"], "limit": ["25"]}


# the list renders orders without models: it must show each exactly as GET /v1/orders/{id}


def test_listed_orders_are_exactly_the_order_resources(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    bucket = {
        "method": "s3",
        "endpoint_url": "https://s3.eu-west-1.amazonaws.com",
        "bucket": "acme-imagery",
        "prefix": "incoming",
        "access_key_id": "AKIAIOSFODNN7EXAMPLE",
        "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "region": "eu-west-1",
    }
    recurring = tasking_item(
        recurrence={"kind": "WEEKLY", "occurrences": 3},
        window={"start": "2026-01-06T00:00:00.250000Z", "end": "2026-01-08T12:00:00Z"},
        max_off_nadir=12.5,
    )
    bodies = [
        order_body(archive_item(), name="archive"),
        order_body(tasking_item(), recurring, name="two tasking items", delivery=bucket),
        order_body(archive_item(), tasking_item(max_cloud_cover=None), name="mixed"),
    ]
    placed = [place(client, tenant, body) for body in bodies]
    advance(runtime, minutes=90)
    cancel(client, tenant, placed[2])
    listed = listing(client, tenant, limit=50)["results"]
    assert len(listed) == len(placed)
    for entry in listed:
        one = client.get(f"/v1/orders/{entry['id']}", headers=tenant["headers"])
        assert one.status_code == 200, one.text
        assert entry == one.json()
