"""The front-end interface: wording of errors, which front end answers a path."""

from __future__ import annotations

from fastapi import FastAPI

from skyorder.api.app import FRONT_ENDS
from skyorder.api.errors import Words
from skyorder.api.frontend import FrontEnd, Registry
from skyorder.core.errors import FieldError, Hint, NotFound, ValidationFailed

WORDS = Words(hints={Hint.LIST_PRODUCTS: "see the products"}, field_name=str.upper)


def test_a_hint_becomes_the_front_ends_direction() -> None:
    error = NotFound("satellite X not found", hint=Hint.LIST_PRODUCTS)
    assert WORDS.detail(error) == "satellite X not found; see the products"
    assert Words().detail(error) == "satellite X not found"


def test_fields_are_renamed_and_the_detail_follows() -> None:
    error = ValidationFailed.of(
        [FieldError("items[0].product", "unknown product 'Z'", Hint.LIST_PRODUCTS)]
    )
    assert [(f.field, f.message) for f in WORDS.field_errors(error)] == [
        ("ITEMS[0].PRODUCT", "unknown product 'Z'; see the products")
    ]
    assert WORDS.detail(error) == "ITEMS[0].PRODUCT: unknown product 'Z'; see the products"


def test_the_longest_owned_prefix_answers_and_unowned_paths_go_to_the_first() -> None:
    app = FastAPI()
    registry = Registry()
    for front_end in FRONT_ENDS:
        registry.register(app, front_end, sandbox=True)
    registry.lend(app)
    assert registry.owner("/v1/orders").name == "native"
    assert registry.owner("/v1/sandbox/clock").name == "sandbox"
    assert registry.owner("/api/data/v0/stac/search").name == "stac"  # lent to DataCosmos
    assert registry.owner("/api/data/v0/order/orders").name == "datacosmos"
    assert registry.owner("/v2/orders/").name == "aleph"
    assert registry.owner("/api/v1/orders").name == "oneatlas"  # not /v1's
    assert registry.owner("/api/v1").name == "oneatlas"
    assert registry.owner("/api/v10/orders").name == "native"
    assert registry.owner("/health").name == "native"
    assert registry.owner("/stacked").name == "native"  # a prefix matches whole segments


def test_a_sandbox_only_front_end_is_left_out_of_a_real_clock_server() -> None:
    app = FastAPI()
    registry = Registry()
    for front_end in FRONT_ENDS:
        registry.register(app, front_end, sandbox=False)
    assert "sandbox" not in {f.name for f in registry.front_ends}
    assert not any(path.startswith("/v1/sandbox") for path in app.openapi()["paths"])


def test_credential_headers_are_every_front_ends() -> None:
    registry = Registry()
    app = FastAPI()
    for front_end in FRONT_ENDS:
        registry.register(app, front_end, sandbox=True)
    assert {"authorization", "x-api-key", "authorizationtoken"} <= registry.credential_headers()


def test_a_new_front_end_is_a_package_and_one_registration() -> None:
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    app = FastAPI()
    registry = Registry()
    registry.register(
        app, FrontEnd(name="demo", routers=(router,), prefixes=("/demo",)), sandbox=True
    )
    assert "/demo/hello" in app.openapi()["paths"]
