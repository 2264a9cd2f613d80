"""Fixtures for the pure domain tests: plain objects only, no database, no HTTP."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from skyorder.core.clock import FixedClock, SandboxClock
from skyorder.core.order_requests import OrderingContext
from skyorder.core.products import Product
from skyorder.core.tenants import Contract
from skyorder.core.users import Actor
from skyorder.services.products import load_products
from tests.unit.builders import T0, make_contract


@pytest.fixture(scope="session")
def products() -> Mapping[str, Product]:
    """The built-in product catalogue, keyed by SKU."""
    return {p.sku: p for p in load_products()}


@pytest.fixture
def contract() -> Contract:
    """A contract in force at T0 that allows every product."""
    return make_contract()


@pytest.fixture
def ctx(contract: Contract, products: Mapping[str, Product]) -> OrderingContext:
    """The ordering context at T0 under ``contract``."""
    return OrderingContext(
        contract=contract, products=products, now=T0, created_by=Actor("cli_test")
    )


@pytest.fixture
def sandbox() -> SandboxClock:
    """Sandbox time that starts at T0 and moves only when advanced."""
    return SandboxClock(base=FixedClock(T0))
