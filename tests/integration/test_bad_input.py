"""Bad input is refused with a 4xx that names what is wrong, and changes nothing.

Each case sends one kind of bad request and checks that the answer is the
expected 4xx (never a 5xx), RFC 9457 problem+json (RFC 6749 JSON for
``/oauth/token``), that its ``errors`` list or ``detail`` names the offending
field, and that the caller still has no orders afterwards (or only those the
case placed on purpose). Cases marked xfail are known bugs: they assert the
correct behaviour.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from skyorder.runtime import Runtime
from tests.conftest import T0
from tests.factories import TOULOUSE, archive_item, order_body, pass_wall_time, tasking_item

Tenant = dict[str, Any]

PROBLEM = "application/problem+json"
ON_PG = bool(os.environ.get("SKYORDER_TEST_DATABASE_URL"))
ONE_MIB = 1_048_576


@dataclasses.dataclass
class Ctx:
    """What a case's request needs: the client, the caller and a stranger."""

    client: TestClient
    tenant: Tenant
    other: Tenant
    runtime: Runtime
    notes: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        headers: dict[str, str] = self.tenant["headers"]
        return headers


Send = Callable[[Ctx], Response]
Extra = Callable[[Ctx, Response], None]


@dataclasses.dataclass(frozen=True)
class Bad:
    """One kind of bad input and how it must be answered."""

    send: Send
    status: int
    field: str | None = None  # an entry of the problem's ``errors[].field``
    message: str | None = None  # a substring of that entry's message
    detail: str | None = None  # a substring of ``detail`` (or ``error_description``)
    oauth_error: str | None = None  # RFC 6749 ``error``: the answer is not problem+json
    orders_after: int = 0  # the caller's orders once the case has run
    extra: Extra | None = None


def bad(
    case_id: str,
    send: Send,
    status: int = 422,
    *,
    xfail: str | None = None,
    xfail_on_pg: str | None = None,
    **expect: Any,
) -> Any:
    marks: list[pytest.MarkDecorator] = []
    if xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=xfail))
    if xfail_on_pg:
        marks.append(pytest.mark.xfail(ON_PG, strict=True, reason=xfail_on_pg))
    return pytest.param(Bad(send, status, **expect), id=case_id, marks=marks)


# Senders: each builds one request.


def order(body: Any, headers: dict[str, str] | None = None) -> Send:
    def send(ctx: Ctx) -> Response:
        return ctx.client.post("/v1/orders", json=body, headers={**ctx.headers, **(headers or {})})

    return send


def raw_order(content: str | bytes | Callable[[], Iterator[bytes]]) -> Send:
    def send(ctx: Ctx) -> Response:
        body = content() if callable(content) else content
        return ctx.client.post(
            "/v1/orders",
            content=body,
            headers={**ctx.headers, "Content-Type": "application/json"},
        )

    return send


def item(**overrides: Any) -> Send:
    return order(order_body(tasking_item(**overrides)))


def aoi(geometry: Any) -> Send:
    return item(aoi=geometry)


def polygon(*ring: list[float]) -> Send:
    return aoi({"type": "Polygon", "coordinates": [list(ring)]})


def window(start: str, end: str) -> Send:
    return item(window={"start": start, "end": end})


def archive(**overrides: Any) -> Send:
    return order(order_body(archive_item(**overrides)))


def listing(query: str, path: str = "/v1/orders") -> Send:
    def send(ctx: Ctx) -> Response:
        return ctx.client.get(f"{path}?{query}", headers=ctx.headers)

    return send


def with_credentials(headers: dict[str, str]) -> Send:
    def send(ctx: Ctx) -> Response:
        return ctx.client.get("/v1/orders", headers=headers)

    return send


def with_token(sign: Callable[[Ctx], str]) -> Send:
    def send(ctx: Ctx) -> Response:
        return ctx.client.get("/v1/orders", headers={"Authorization": f"Bearer {sign(ctx)}"})

    return send


def token_request(fields: Callable[[Ctx], dict[str, Any]], *, as_json: bool = False) -> Send:
    def send(ctx: Ctx) -> Response:
        if as_json:
            return ctx.client.post("/oauth/token", json=fields(ctx))
        return ctx.client.post("/oauth/token", data=fields(ctx))

    return send


def raw_token_request(content: Callable[[Ctx], str]) -> Send:
    def send(ctx: Ctx) -> Response:
        return ctx.client.post(
            "/oauth/token",
            content=content(ctx).encode("utf-8", "surrogatepass"),
            headers={"Content-Type": "application/json"},
        )

    return send


def advance_clock(body: Any) -> Send:
    def send(ctx: Ctx) -> Response:
        return ctx.client.post("/v1/sandbox/clock/advance", json=body, headers=ctx.headers)

    return send


# Senders and extra checks of the cases that need some state first.


def credentials(ctx: Ctx, **extra: str) -> dict[str, Any]:
    return {
        "grant_type": "client_credentials",
        "client_id": ctx.tenant["client_id"],
        "client_secret": ctx.tenant["client_secret"],
        **extra,
    }


def forged_token(ctx: Ctx) -> str:
    claims = {
        "iss": "skyorder",
        "sub": ctx.tenant["client_id"],
        "org": ctx.tenant["organisation_id"],
        "iat": int(T0.timestamp()),
        "exp": int((T0 + timedelta(hours=1)).timestamp()),
    }
    return jwt.encode(claims, "somebody-else-s-secret-of-at-least-32-bytes", algorithm="HS256")


def unsigned_token(ctx: Ctx) -> str:
    claims = {
        "iss": "skyorder",
        "sub": ctx.tenant["client_id"],
        "org": ctx.tenant["organisation_id"],
        "exp": int((T0 + timedelta(hours=1)).timestamp()),
    }
    return jwt.encode(claims, None, algorithm="none")


def expired_token(ctx: Ctx) -> str:
    issued = ctx.client.post("/oauth/token", data=credentials(ctx))
    assert issued.status_code == 200, issued.text
    pass_wall_time(ctx.runtime, days=2)  # tokens age on real time, not sandbox time
    token: str = issued.json()["access_token"]
    return token


def place(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    """Place a valid order for ``tenant`` (asserting 201) and return it."""
    response = client.post("/v1/orders", json=order_body(), headers=tenant["headers"])
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def reuse_idempotency_key(ctx: Ctx) -> Response:
    key = {**ctx.headers, "Idempotency-Key": "order-2026-01-05"}
    first = ctx.client.post("/v1/orders", json=order_body(), headers=key)
    assert first.status_code == 201, first.text
    return ctx.client.post("/v1/orders", json=order_body(name="Another order"), headers=key)


def order_under_other_tenants_contract(ctx: Ctx) -> Response:
    headers = {**ctx.headers, "X-Contract-Id": ctx.other["contract_id"]}
    return ctx.client.post("/v1/orders", json=order_body(), headers=headers)


def names_the_other_contract(ctx: Ctx, response: Response) -> None:
    assert ctx.other["contract_id"] in response.json()["detail"]


def other_tenants_order(method: str, suffix: str = "") -> Send:
    def send(ctx: Ctx) -> Response:
        foreign = place(ctx.client, ctx.other)["id"]
        ctx.notes.update(foreign=foreign, method=method, suffix=suffix)
        return ctx.client.request(method, f"/v1/orders/{foreign}{suffix}", headers=ctx.headers)

    return send


def answered_like_a_missing_order(ctx: Ctx, response: Response) -> None:
    """The foreign order is hidden exactly like one that does not exist, and untouched."""
    foreign, missing = ctx.notes["foreign"], str(uuid.uuid4())
    absent = ctx.client.request(
        ctx.notes["method"], f"/v1/orders/{missing}{ctx.notes['suffix']}", headers=ctx.headers
    )
    assert absent.status_code == response.status_code
    assert response.json() == json.loads(absent.text.replace(missing, foreign))
    still = ctx.client.get(f"/v1/orders/{foreign}", headers=ctx.other["headers"])
    assert still.json()["status"] == "accepted"


def cancel_twice(ctx: Ctx) -> Response:
    placed = place(ctx.client, ctx.tenant)
    first = ctx.client.post(f"/v1/orders/{placed['id']}/cancel", headers=ctx.headers)
    assert first.status_code == 200, first.text
    return ctx.client.post(f"/v1/orders/{placed['id']}/cancel", headers=ctx.headers)


def over_ten_thousand_vertices() -> dict[str, Any]:
    n = 10_001
    ring = [
        [round(10 * math.cos(2 * math.pi * i / n), 6), round(10 * math.sin(2 * math.pi * i / n), 6)]
        for i in range(n)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def chunked_body_over_one_mib() -> Iterator[bytes]:
    """A JSON body over 1 MiB sent in chunks, so without a Content-Length header."""
    data = json.dumps(order_body()).encode() + b" " * (ONE_MIB + 1024)
    half = len(data) // 2
    yield data[:half]
    yield data[half:]


W_START, W_END = "2026-01-06T00:00:00Z", "2026-01-20T23:59:00Z"
SQUARE = [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]

ORDER_BODY = [
    bad("malformed-json-body", raw_order('{"name": "x", '), 400, field="body"),
    bad("body-is-a-json-array", raw_order("[]"), field="body"),
    bad("body-is-a-json-string", raw_order('"an order"'), field="body"),
    bad("empty-body", raw_order(""), field="body", message="required"),
    bad("deeply-nested-json", raw_order("[" * 100_000 + "]" * 100_000), 400, detail="body"),
    bad("missing-name", order({"items": [tasking_item()]}), field="name", message="required"),
    bad("name-is-a-number", order({"name": 42, "items": [tasking_item()]}), field="name"),
    bad("name-is-blank", order(order_body(name="   ")), field="name"),
    bad("name-over-200-characters", order(order_body(name="x" * 201)), field="name"),
    bad(
        "name-with-a-nul-character",
        order(order_body(name="Mar del\u0000Plata")),
        field="name",
    ),
    bad("items-is-an-object", order({"name": "x", "items": {"0": tasking_item()}}), field="items"),
    bad("empty-items-list", order({"name": "x", "items": []}), field="items"),
    bad("101-items", order(order_body(*[tasking_item()] * 101)), field="items"),
    bad("item-is-null", order({"name": "x", "items": [None]}), field="items[0]"),
    bad("unknown-item-kind", item(kind="survey"), field="items[0]", message="'kind'"),
    bad(
        "missing-item-kind",
        order(order_body({k: v for k, v in tasking_item().items() if k != "kind"})),
        field="items[0]",
        message="'kind'",
    ),
    bad("unknown-product-sku", item(product="NOPE-1"), field="items[0].product"),
    bad(
        "archive-product-with-kind-tasking",
        item(product="ARC-M.NN.NN"),
        field="items[0].product",
        message="archive product",
    ),
    bad(
        "tasking-product-with-kind-archive",
        archive(product="TSKRSH-M.NN.NN"),
        field="items[0].product",
        message="tasking product",
    ),
    bad("unknown-top-level-field", order(order_body(colour="red")), field="colour"),
    bad("unknown-item-field", item(colour="red"), field="items[0].colour"),
    bad(
        "unknown-window-field",
        item(window={"start": W_START, "end": W_END, "tz": "UTC"}),
        field="items[0].window.tz",
    ),
    bad(
        "max-cloud-cover-is-a-string", item(max_cloud_cover="low"), field="items[0].max_cloud_cover"
    ),
    bad("unknown-project-id", order(order_body(project_id="prj-nope")), field="project_id"),
    bad(
        "project-id-with-a-nul-character",
        order(order_body(project_id="prj\u0000")),
        field="project_id",
    ),
    bad("quote-id-unknown", order(order_body(quote_id="quo_1")), 404, detail="quote quo_1"),
    bad(
        "unknown-delivery-method",
        order(order_body(delivery={"method": "ftp"})),
        field="delivery.method",
    ),
]

ARCHIVE = [
    bad("archive-unknown-collection", archive(collection="nope"), field="items[0].collection"),
    bad(
        "archive-bad-processing-level",
        archive(processing_level="L9"),
        field="items[0].processing_level",
    ),
    bad("archive-blank-item-id", archive(item_id="   "), field="items[0].item_id"),
    bad(
        "archive-aoi-is-a-point",
        archive(aoi={"type": "Point", "coordinates": [1.45, 43.6]}),
        field="items[0].aoi.type",
    ),
]

AOI = [
    bad("aoi-not-an-object", aoi("POINT(1.4 43.6)"), field="items[0].aoi"),
    bad(
        "aoi-linestring",
        aoi({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
        field="items[0].aoi.type",
    ),
    bad("aoi-missing-coordinates", aoi({"type": "Polygon"}), field="items[0].aoi.coordinates"),
    bad(
        "aoi-ring-not-closed",
        polygon(*SQUARE),
        field="items[0].aoi.coordinates[0]",
        message="not closed",
    ),
    bad(
        "aoi-ring-with-3-positions",
        polygon([0, 0], [0, 1], [0, 0]),
        field="items[0].aoi.coordinates[0]",
        message="at least 4",
    ),
    bad(
        "aoi-self-intersecting-bowtie",
        polygon([0, 0], [1, 1], [1, 0], [0, 1], [0, 0]),
        field="items[0].aoi",
        message="Self-intersection",
    ),
    bad(
        "aoi-hole-outside-shell",
        aoi(
            {
                "type": "Polygon",
                "coordinates": [
                    TOULOUSE["coordinates"][0],
                    [[10, 10], [10, 11], [11, 11], [10, 10]],
                ],
            }
        ),
        field="items[0].aoi",
    ),
    bad(
        "aoi-zero-area",
        polygon([0, 0], [1, 0], [2, 0], [1, 0], [0, 0]),
        field="items[0].aoi",
        message="zero area",
    ),
    bad(
        "aoi-ring-along-a-parallel-around-the-pole",
        polygon([-180, 80], [-90, 80], [0, 80], [90, 80], [180, 80], [-180, 80]),
        field="items[0].aoi",
        message="draw a polar cap as",
    ),
    bad(
        "aoi-polar-cap",
        polygon([-180, 80], [180, 80], [180, 90], [-180, 90], [-180, 80]),
        field="items[0].aoi",
        message="not orderable",
    ),
    bad(
        "aoi-longitude-200",
        aoi({"type": "Point", "coordinates": [200, 0]}),
        field="items[0].aoi.coordinates[0]",
        message="longitude",
    ),
    bad(
        "aoi-latitude-minus-95",
        polygon([0, 0], [0, -95], [1, -95], [0, 0]),
        field="items[0].aoi.coordinates[0][1][1]",
        message="latitude",
    ),
    bad(
        "aoi-coordinates-are-strings",
        aoi({"type": "Point", "coordinates": ["1.4", "43.6"]}),
        field="items[0].aoi.coordinates[0]",
    ),
    bad(
        "aoi-coordinate-is-nan",
        raw_order(
            json.dumps(
                order_body(tasking_item(aoi={"type": "Point", "coordinates": [math.nan, 1]}))
            )
        ),
        field="items[0].aoi.coordinates[0]",
        message="finite",
    ),
    bad(
        "aoi-coordinate-is-infinity",
        raw_order(
            json.dumps(
                order_body(tasking_item(aoi={"type": "Point", "coordinates": [1, -math.inf]}))
            )
        ),
        field="items[0].aoi.coordinates[1]",
        message="finite",
    ),
    bad(
        "aoi-coordinate-is-a-boolean",
        aoi({"type": "Point", "coordinates": [True, 1]}),
        field="items[0].aoi.coordinates[0]",
    ),
    bad(
        "aoi-coordinate-is-a-huge-integer",
        aoi({"type": "Point", "coordinates": [10**400, 1]}),
        field="items[0].aoi.coordinates[0]",
    ),
    bad(
        "aoi-position-with-4-numbers",
        aoi({"type": "Point", "coordinates": [1, 2, 3, 4]}),
        field="items[0].aoi.coordinates",
    ),
    bad(
        "aoi-polygon-not-nested",
        aoi({"type": "Polygon", "coordinates": [1, 2]}),
        field="items[0].aoi.coordinates[0]",
    ),
    bad(
        "aoi-empty-multipolygon",
        aoi({"type": "MultiPolygon", "coordinates": []}),
        field="items[0].aoi.coordinates",
    ),
    bad(
        "aoi-over-10000-vertices",
        aoi(over_ten_thousand_vertices()),
        field="items[0].aoi.coordinates",
        message="at most 10000",
    ),
]

WINDOW = [
    bad(
        "window-end-before-start",
        window("2026-01-20T00:00:00Z", "2026-01-10T00:00:00Z"),
        field="items[0].window.end",
        message="after window.start",
    ),
    bad(
        "window-in-the-past",
        window("2025-12-01T00:00:00Z", "2025-12-31T00:00:00Z"),
        field="items[0].window.end",
        message="in the past",
    ),
    bad(
        "window-ends-now",
        window("2026-01-01T00:00:00Z", "2026-01-05T12:00:00Z"),
        field="items[0].window.end",
        message="in the past",
    ),
    bad(
        "window-naive-datetime",
        window("2026-01-06T00:00:00", W_END),
        field="items[0].window.start",
        message="timezone",
    ),
    bad("window-not-a-datetime", window("tomorrow", W_END), field="items[0].window.start"),
    bad(
        "window-bad-utc-offset",
        window("2026-01-06T00:00:00+25:00", W_END),
        field="items[0].window.start",
    ),
    bad(
        "window-longer-than-366-days",
        window(W_START, "2027-01-08T00:00:00Z"),
        field="items[0].window.end",
        message="366 days",
    ),
]

CONSTRAINTS = [
    bad(
        "max-off-nadir-above-product-maximum",
        item(max_off_nadir=45),
        field="items[0].max_off_nadir",
        message="40",
    ),
    bad("max-off-nadir-negative", item(max_off_nadir=-1), field="items[0].max_off_nadir"),
    bad(
        "max-off-nadir-nan",
        raw_order(json.dumps(order_body(tasking_item(max_off_nadir=math.nan)))),
        field="items[0].max_off_nadir",
    ),
    bad("max-cloud-cover-150", item(max_cloud_cover=150), field="items[0].max_cloud_cover"),
    bad("unknown-priority", item(priority="urgent"), field="items[0].priority"),
    bad("revisit-period-free-text", item(revisit_period="1 day"), field="items[0].revisit_period"),
    bad(
        "revisit-period-zero",
        item(revisit_period="P0D"),
        field="items[0].revisit_period",
        message="positive",
    ),
    bad("revisit-period-negative", item(revisit_period="-P1D"), field="items[0].revisit_period"),
    bad(
        "revisit-period-a-million-years",
        item(revisit_period="P1000000Y"),
        field="items[0].revisit_period",
    ),
    bad(
        "revisit-period-overflowing-days",
        item(revisit_period="P999999999999D"),
        field="items[0].revisit_period",
    ),
    bad(
        "revisit-period-over-366-days",
        item(revisit_period="P400D"),
        field="items[0].revisit_period",
        message="366 days",
    ),
    bad(
        "recurrence-once-with-3-occurrences",
        item(recurrence={"kind": "ONCE", "occurrences": 3}),
        field="items[0].recurrence.occurrences",
    ),
    bad(
        "recurrence-zero-occurrences",
        item(recurrence={"kind": "WEEKLY", "occurrences": 0}),
        field="items[0].recurrence.occurrences",
    ),
    bad(
        "recurrence-too-many-occurrences",
        item(recurrence={"kind": "WEEKLY", "occurrences": 105}),
        field="items[0].recurrence.occurrences",
    ),
    bad(
        "recurrence-unknown-kind",
        item(recurrence={"kind": "SOMETIMES"}),
        field="items[0].recurrence.kind",
    ),
    bad(
        "unknown-processing-level",
        item(processing_levels=["L1B", "L9"]),
        field="items[0].processing_levels[1]",
    ),
    bad(
        "duplicated-processing-level",
        item(processing_levels=["L1B", "L1B"]),
        field="items[0].processing_levels",
    ),
    bad(
        "options-unknown-option",
        item(options={"colour": "red"}),
        field="items[0].options",
        message="colour",
    ),
    bad(
        "options-bad-enum-value",
        item(options={"image_format": "image/png"}),
        field="items[0].options.image_format",
    ),
    bad(
        "options-bad-pattern",
        item(options={"crs_code": "EPSG:999"}),
        field="items[0].options.crs_code",
    ),
    bad("options-not-an-object", item(options=["image/jp2"]), field="items[0].options"),
]

REQUEST = [
    bad(
        "idempotency-key-blank",
        order(order_body(), headers={"Idempotency-Key": "  "}),
        field="Idempotency-Key",
    ),
    bad(
        "idempotency-key-over-255-characters",
        order(order_body(), headers={"Idempotency-Key": "k" * 256}),
        field="Idempotency-Key",
    ),
    bad(
        "idempotency-key-reused-with-another-body",
        reuse_idempotency_key,
        409,
        detail="Idempotency-Key",
        orders_after=1,
    ),
    bad("body-over-1-mib", order(order_body(name="x" * (ONE_MIB + 1))), 413, detail="exceeds"),
    bad(
        "chunked-body-over-1-mib",
        raw_order(chunked_body_over_one_mib),
        413,
        detail="exceeds",
    ),
]

LISTS = [
    bad("list-unknown-filter", listing("colour=red"), field="colour", message="unknown filter"),
    bad("list-unknown-operator", listing("created_at__foo=2026-01-01"), field="created_at__foo"),
    bad("list-unsupported-operator", listing("created_at__in=2026-01-01"), field="created_at__in"),
    bad("list-bad-datetime", listing("updated_at__gte=yesterday"), field="updated_at__gte"),
    bad("list-bad-calendar-date", listing("created_at__lt=2026-13-01"), field="created_at__lt"),
    bad(
        "list-datetime-out-of-range-in-utc",
        listing("created_at__gt=0001-01-01T00:00:00%2B01:00"),
        field="created_at__gt",
    ),
    bad("list-negative-limit", listing("limit=-1"), field="limit"),
    bad("list-limit-0", listing("limit=0"), field="limit"),
    bad("list-limit-5000", listing("limit=5000"), field="limit", message="1000"),
    bad("list-non-integer-limit", listing("limit=1e3"), field="limit"),
    bad("list-non-integer-offset", listing("offset=abc"), field="offset"),
    bad("list-negative-offset", listing("offset=-5"), field="offset"),
    bad("list-bad-status", listing("status=shipped"), field="status", message="accepted"),
    bad("list-empty-status", listing("status="), field="status"),
    bad("list-bad-kind", listing("kind=survey"), field="kind"),
    bad("list-bbox-three-numbers", listing("bbox=1,2,3"), field="bbox"),
    bad("list-bbox-not-numbers", listing("bbox=a,b,c,d"), field="bbox"),
    bad("list-bbox-south-above-north", listing("bbox=1,5,2,4"), field="bbox"),
    bad("list-bbox-nan", listing("bbox=nan,1,2,3"), field="bbox"),
    bad("list-bbox-west-above-east", listing("bbox=10,0,5,1"), field="bbox"),
    bad(
        "events-bad-timestamp", listing("timestamp__gt=later", "/v1/events"), field="timestamp__gt"
    ),
    bad("events-bad-entity", listing("entity=satellite", "/v1/events"), field="entity"),
    bad("captures-bad-start", listing("start__gte=soon", "/v1/captures"), field="start__gte"),
    bad("captures-unknown-filter", listing("cloud=5", "/v1/captures"), field="cloud"),
    bad("deliverables-bad-status", listing("status=lost", "/v1/deliverables"), field="status"),
]

AUTH = [
    bad("no-credentials", with_credentials({}), 401, detail="no credentials"),
    bad("wrong-api-key", with_credentials({"X-API-Key": "sko_wrong"}), 401, detail="API key"),
    bad(
        "wrong-api-key-in-authorization",
        with_credentials({"Authorization": "sko_wrong"}),
        401,
        detail="API key",
    ),
    bad("forged-jwt", with_token(forged_token), 401, detail="token is invalid"),
    bad("unsigned-jwt-alg-none", with_token(unsigned_token), 401, detail="token is invalid"),
    bad("not-a-jwt", with_token(lambda _: "abc.def.ghi"), 401, detail="token is invalid"),
    bad("expired-jwt", with_token(expired_token), 401, detail="expired"),
    bad(
        "malformed-authorization-basic",
        with_credentials({"Authorization": "Basic Zm9vOmJhcg=="}),
        401,
        detail="Authorization header",
    ),
    bad(
        "malformed-authorization-unknown-scheme",
        with_credentials({"Authorization": "Token abc"}),
        401,
        detail="Authorization header",
    ),
    bad(
        "contract-of-another-tenant",
        order_under_other_tenants_contract,
        404,
        detail="contract",
        extra=names_the_other_contract,
    ),
    bad(
        "get-another-tenants-order",
        other_tenants_order("GET"),
        404,
        detail="not found",
        extra=answered_like_a_missing_order,
    ),
    bad(
        "cancel-another-tenants-order",
        other_tenants_order("POST", "/cancel"),
        404,
        detail="not found",
        extra=answered_like_a_missing_order,
    ),
    bad(
        "events-of-another-tenants-order",
        other_tenants_order("GET", "/events"),
        404,
        detail="not found",
        extra=answered_like_a_missing_order,
    ),
    bad(
        "cancel-an-already-cancelled-order",
        cancel_twice,
        409,
        detail="cancelled",
        orders_after=1,
    ),
    bad(
        "order-reference-with-a-nul-character",
        lambda ctx: ctx.client.get("/v1/orders/%00", headers=ctx.headers),
        field="path",
    ),
]

OAUTH = [
    bad(
        "oauth-wrong-secret",
        token_request(lambda ctx: credentials(ctx, client_secret="wrong")),
        401,
        oauth_error="invalid_client",
        detail="client_secret",
    ),
    bad(
        "oauth-unknown-client",
        token_request(lambda ctx: credentials(ctx, client_id="cli_nobody")),
        401,
        oauth_error="invalid_client",
        detail="client_id",
    ),
    bad(
        "oauth-unsupported-grant-type",
        token_request(lambda ctx: credentials(ctx, grant_type="password")),
        400,
        oauth_error="unsupported_grant_type",
        detail="client_credentials",
    ),
    bad(
        "oauth-missing-client-secret",
        token_request(lambda ctx: {"grant_type": "client_credentials", "client_id": "cli_x"}),
        400,
        oauth_error="invalid_request",
        detail="client_secret",
    ),
    bad(
        "oauth-secret-not-a-string",
        token_request(lambda ctx: {**credentials(ctx), "client_secret": ["x"]}, as_json=True),
        400,
        oauth_error="invalid_request",
        detail="client_secret",
    ),
    bad(
        "oauth-audience-not-a-string",
        token_request(lambda ctx: {**credentials(ctx), "audience": 5}, as_json=True),
        400,
        oauth_error="invalid_request",
        detail="audience",
    ),
    bad(
        "oauth-malformed-json",
        raw_token_request(lambda _: '{"client_id": '),
        400,
        oauth_error="invalid_request",
        detail="JSON",
    ),
    bad(
        "oauth-json-array",
        raw_token_request(lambda _: "[]"),
        400,
        oauth_error="invalid_request",
        detail="JSON object",
    ),
    bad(
        "oauth-secret-with-a-lone-surrogate",
        raw_token_request(
            lambda ctx: f'{{"client_id": "{ctx.tenant["client_id"]}", "client_secret": "\\ud800"}}'
        ),
        401,
        oauth_error="invalid_client",
        detail="client_secret",
    ),
    bad(
        "oauth-client-id-with-a-nul-character",
        token_request(lambda ctx: credentials(ctx, client_id="cli\u0000")),
        401,
        oauth_error="invalid_client",
        detail="client_id",
    ),
]

SANDBOX = [
    bad("clock-negative-seconds", advance_clock({"seconds": -60}), field="seconds"),
    bad("clock-seconds-not-a-number", advance_clock({"seconds": "an hour"}), field="seconds"),
    bad("clock-seconds-over-10-years", advance_clock({"seconds": 10**12}), field="seconds"),
    bad(
        "clock-both-seconds-and-to",
        advance_clock({"seconds": 60, "to": "2026-02-01T00:00:00Z"}),
        field="body",
        message="exactly one",
    ),
    bad("clock-neither-seconds-nor-to", advance_clock({}), field="body", message="exactly one"),
    bad("clock-unknown-field", advance_clock({"seconds": 60, "days": 1}), field="days"),
    bad(
        "clock-to-in-the-past",
        advance_clock({"to": "2025-01-01T00:00:00Z"}),
        409,
        detail="2025-01-01T00:00:00",
    ),
    bad("clock-naive-to", advance_clock({"to": "2026-02-01T00:00:00"}), field="to"),
    bad("clock-to-not-a-time", advance_clock({"to": "next week"}), field="to"),
    bad(
        "clock-to-beyond-year-9999-in-utc",
        advance_clock({"to": "9999-12-31T23:59:59-05:00"}),
        field="to",
    ),
]

CASES = [
    *ORDER_BODY,
    *ARCHIVE,
    *AOI,
    *WINDOW,
    *CONSTRAINTS,
    *REQUEST,
    *LISTS,
    *AUTH,
    *OAUTH,
    *SANDBOX,
]


def assert_refused(response: Response, case: Bad) -> None:
    """The answer is the expected 4xx, in the right media type, naming what is wrong."""
    assert 400 <= case.status < 500
    assert response.status_code == case.status, response.text
    body = response.json()
    if case.oauth_error is not None:
        assert response.headers["content-type"] == "application/json"
        assert set(body) == {"error", "error_description"}
        assert body["error"] == case.oauth_error
        text = body["error_description"]
    else:
        assert response.headers["content-type"] == PROBLEM
        assert body["status"] == case.status
        assert body["type"].startswith("urn:skyorder:problem:")
        text = body["detail"]
        if case.status == 401:
            assert response.headers["www-authenticate"].startswith("Bearer")
    if case.field is not None:
        messages = {e["field"]: e["message"] for e in body.get("errors", [])}
        assert case.field in messages, body
        assert case.message is None or case.message in messages[case.field], body
        assert case.field in text, text
    if case.detail is not None:
        assert case.detail in text, text


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_naming_the_field(
    case: Bad, client: TestClient, tenant: Tenant, other_tenant: Tenant, runtime: Runtime
) -> None:
    assert case.field or case.detail, "each case must say what the answer names"
    ctx = Ctx(client, tenant, other_tenant, runtime)
    response = case.send(ctx)
    assert_refused(response, case)
    if case.extra is not None:
        case.extra(ctx, response)
    listed = client.get("/v1/orders", headers=tenant["headers"])
    assert listed.status_code == 200, listed.text
    assert listed.json()["count"] == case.orders_after


def test_there_are_at_least_40_kinds_of_bad_input() -> None:
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 40
