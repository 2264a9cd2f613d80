"""A hyperspectral tasking item delivers exactly its chosen bands, wavelengths in the files."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import order_body, place, tasking_item
from tests.integration.pixxel.conftest import analytic_bands

Tenant = dict[str, Any]


def test_a_delivered_hyperspectral_product_has_exactly_the_ordered_bands(
    client: TestClient, tenant: Tenant
) -> None:
    item = tasking_item(
        product="TSK-HYP",
        processing_levels=["L2A"],
        priority="standard",
        revisit_period=None,
        window={"start": "2026-01-06T00:00:00Z", "end": "2026-01-09T00:00:00Z"},
        options={"image_type": "VNIR", "bands": ["B001", "B050", "B100"]},
    )
    order = place(client, tenant, order_body(item))
    response = client.post(
        "/v1/sandbox/clock/advance", json={"to": "2026-01-10T00:00:00Z"}, headers=tenant["headers"]
    )
    assert response.status_code == 200, response.text
    count, descriptions = analytic_bands(client, tenant, order["id"])
    assert count == 3
    assert descriptions == ("B001 (473 nm)", "B050 (620 nm)", "B100 (770 nm)")


def test_bands_outside_the_image_type_are_refused(client: TestClient, tenant: Tenant) -> None:
    item = tasking_item(
        product="TSK-HYP",
        processing_levels=["L2A"],
        options={"image_type": "VNIR", "bands": ["B200"]},
    )
    response = client.post("/v1/orders", json=order_body(item), headers=tenant["headers"])
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "items[0].options.bands" and "VNIR" in error["message"]
