"""STAC prices are the caller's: its contract's currency, the amount its order would charge."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from skyorder.core.tenants import Billing, PaymentMode
from skyorder.runtime import Runtime
from skyorder.services.demo import provision_organisation
from skyorder.services.tenants import ContractTerms
from tests.integration.stac.conftest import Stac

CHILE = [-71.72, -27.68, -71.02, -27.06]


def eur_caller(client: TestClient, runtime: Runtime, mount: str = "/stac") -> Stac:
    terms = ContractTerms(
        name="EUR", billing=Billing.CURRENCY, currency="EUR", payment_mode=PaymentMode.PAY_PER_ORDER
    )
    creds = provision_organisation(runtime.uow, runtime.clock, "Euro Co", "http://t", terms)
    return Stac(client, {"X-API-Key": creds["api_key"]}, mount)


def chile(stac: Stac) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = stac.search(
        collections=["sentinel-2-l2a"], bbox=CHILE, limit=3
    )["features"]
    assert features
    return features


def test_a_eur_contracts_caller_sees_eur_prices(
    client: TestClient, archive: Runtime, stac: Stac
) -> None:
    credits = chile(stac)
    euros = chile(eur_caller(client, archive, "/api/data/v0/stac"))
    assert {f["properties"]["opencosmos:price_currency"] for f in euros} == {"EUR"}
    assert {f["properties"]["skyorder:price_currency"] for f in euros} == {"EUR"}
    assert [f["properties"]["opencosmos:price"] for f in euros] == [
        f["properties"]["opencosmos:price"] for f in credits
    ]


def test_one_item_is_priced_for_its_caller_too(client: TestClient, archive: Runtime) -> None:
    caller = eur_caller(client, archive)
    [first, *_] = chile(caller)
    item = caller.get(f"/collections/sentinel-2-l2a/items/{first['id']}").json()
    assert item["properties"]["opencosmos:price_currency"] == "EUR"
    assert item["properties"]["opencosmos:price"] == first["properties"]["opencosmos:price"]
