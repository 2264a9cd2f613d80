"""Hyperspectral archive items use the tasking sensor's bandset: chosen bands delivered with
their wavelengths, shown by Pixxel with their bandset id and custom combinations."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from tests.catalog_examples import install_example_catalog
from tests.factories import order_body, place
from tests.integration.pixxel.conftest import analytic_bands
from tests.integration.pixxel.test_monthly_billing import pixxel_item

Tenant = dict[str, Any]
SCENE = "HYP-1_20250130T143000_HSI_9000029"


def hsi_item(**options: Any) -> dict[str, Any]:
    return {
        "kind": "archive",
        "collection": "hyperspectral",
        "item_id": SCENE,
        "processing_level": "L2A",
        "options": options,
        "name": "archive hsi",
    }


def test_an_archive_hyperspectral_item_delivers_exactly_its_chosen_bands(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    install_example_catalog(runtime)
    options = {
        "image_type": "SWIR",
        "bands": ["B151", "B200", "B250"],
        "bandset_id": "minerals",
        "custom_bands": [[151, 200], [250]],
    }
    order = place(client, tenant, order_body(hsi_item(**options)))
    advanced = client.post(
        "/v1/sandbox/clock/advance", json={"seconds": 3600}, headers=tenant["headers"]
    )
    assert advanced.status_code == 200, advanced.text
    count, descriptions = analytic_bands(client, tenant, order["id"])
    assert count == 3
    assert descriptions == ("B151 (935.64 nm)", "B200 (1702 nm)", "B250 (2484 nm)")
    found = client.get(f"/v1/orders/{order['id']}/deliverables", headers=tenant["headers"])
    (deliverable,) = found.json()["results"]
    stac = client.get(
        f"/v1/deliverables/{deliverable['id']}/assets/stac",
        headers=tenant["headers"],
        follow_redirects=True,
    ).json()
    assert stac["assets"]["analytic"]["eo:bands"][1] == {
        "name": "B200 (1702 nm)",  # no common name: STAC's are for broad bands only
        "center_wavelength": 1.702,
        "full_width_half_max": 0.01,
    }
    item = pixxel_item(client, tenant, order["id"])
    assert item["bandset"] == {
        "bands": [
            {"name": "B151", "wavelength": 935.64},
            {"name": "B200", "wavelength": 1702.0},
            {"name": "B250", "wavelength": 2484.0},
        ],
        "bandset_id": "minerals",
        "custom": [[151, 200], [250]],
    }
    assert (item["image_type"], item["number_of_bands"]) == ("SWIR", 3)


def test_an_archive_hyperspectral_item_without_a_choice_gets_its_image_type_s_bands(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    install_example_catalog(runtime)
    order = place(client, tenant, order_body(hsi_item()))
    item = pixxel_item(client, tenant, order["id"])
    assert (item["image_type"], item["number_of_bands"]) == ("VNIR", 150)
    assert item["bandset"]["bands"][0] == {"name": "B001", "wavelength": 473.0}
    assert item["bandset"]["bands"][-1] == {"name": "B150", "wavelength": 920.0}


def test_archive_bands_and_custom_combinations_outside_the_image_type_are_refused(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    install_example_catalog(runtime)
    body = order_body(hsi_item(image_type="VNIR", bands=["B200"], custom_bands=[[3, 240]]))
    response = client.post("/v1/orders", json=body, headers=tenant["headers"])
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"items[0].options.bands", "items[0].options.custom_bands"}
    assert "B001-B150" in errors["items[0].options.custom_bands"]
    assert "240" in errors["items[0].options.custom_bands"]
