"""The documents' example scenes, installed into a test runtime's catalog.

Archive order items are priced against their scene's footprint, so tests that
order ``DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724`` (the OneAtlas
example) need it in the catalog.
"""

from __future__ import annotations

from functools import cache

from skyorder.core.catalog import CatalogItem
from skyorder.runtime import Runtime
from skyorder.services import catalog
from skyorder.services.products import load_products


@cache
def _examples() -> tuple[CatalogItem, ...]:
    products = {p.sku: p for p in load_products()}
    return tuple(catalog.example_items(products))


def install_example_catalog(runtime: Runtime) -> None:
    """Add the demo collections and the documents' example scenes."""
    with runtime.uow() as uow:
        catalog.install_collections(uow, runtime.clock, catalog.demo_collections())
        catalog.store_items(uow, runtime.clock, _examples())
        uow.commit()
