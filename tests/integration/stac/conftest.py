from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skyorder.runtime import Runtime
from skyorder.services import catalog
from tests.catalog_examples import install_example_catalog

RANDOM_SCENES = 400


@pytest.fixture
def archive(runtime: Runtime) -> Runtime:
    """The demo collections with the documents' examples and some random scenes."""
    install_example_catalog(runtime)
    with runtime.uow() as uow:
        products = uow.products.all()
    scenes = catalog.generate_items(RANDOM_SCENES + 50, products=products, start=10_000)
    with runtime.uow() as uow:
        catalog.store_items(uow, runtime.clock, scenes)
        uow.commit()
    return runtime


class Stac:
    """A STAC API client for tests: paths are relative to the mount point."""

    def __init__(self, client: TestClient, headers: dict[str, str], mount: str = "/stac") -> None:
        self.client = client
        self.headers = headers
        self.mount = mount

    def get(self, path: str = "", **params: Any) -> Any:
        return self.client.get(f"{self.mount}{path}", params=params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(f"{self.mount}{path}", json=body, headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(f"{self.mount}{path}", json=body, headers=self.headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"{self.mount}{path}", json=body, headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"{self.mount}{path}", headers=self.headers)

    def search(self, **body: Any) -> dict[str, Any]:
        response = self.post("/search", body)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def search_get(self, **params: Any) -> dict[str, Any]:
        response = self.get("/search", **params)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def stac(client: TestClient, tenant: dict[str, Any], archive: Runtime) -> Stac:
    return Stac(client, tenant["headers"])


def ids(page: dict[str, Any]) -> list[str]:
    return [f["id"] for f in page["features"]]


def next_link(page: dict[str, Any]) -> dict[str, Any] | None:
    return next((link for link in page["links"] if link["rel"] == "next"), None)
