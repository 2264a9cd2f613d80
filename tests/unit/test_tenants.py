"""Contracts in force, orderable products, and the contract a principal writes under."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skyorder.core.errors import FieldError, PermissionDenied, ValidationFailed
from skyorder.core.tenants import Principal
from tests.unit.builders import T0, make_contract


def test_a_principal_with_a_chosen_contract_writes_under_it() -> None:
    principal = Principal("org-1", "cli-1", ("c1", "c2"), contract_id="c2")
    assert principal.contract_for_write() == "c2"


def test_a_principal_with_one_contract_writes_under_it() -> None:
    assert Principal("org-1", "cli-1", ("c1",)).contract_for_write() == "c1"


def test_a_principal_without_contracts_is_denied() -> None:
    with pytest.raises(PermissionDenied) as exc:
        Principal("org-1", "cli-1", ()).contract_for_write()
    assert "no contract" in exc.value.detail


def test_a_principal_with_several_contracts_must_choose_one() -> None:
    with pytest.raises(ValidationFailed) as exc:
        Principal("org-1", "cli-1", ("c1", "c2")).contract_for_write()
    assert exc.value.errors == [
        FieldError(
            "X-Contract-Id",
            "your organisation has several contracts; choose one with the X-Contract-Id "
            "header: c1, c2",
        )
    ]


def test_without_contract_forgets_the_chosen_contract_only() -> None:
    principal = Principal("org-1", "cli-1", ("c1", "c2"), contract_id="c2")
    assert principal.without_contract() == Principal("org-1", "cli-1", ("c1", "c2"), None)


def test_a_contract_is_in_force_from_its_start() -> None:
    assert make_contract(valid_from=T0).is_valid_at(T0)


def test_a_contract_is_not_in_force_before_its_start() -> None:
    assert not make_contract(valid_from=T0).is_valid_at(T0 - timedelta(seconds=1))


def test_a_contract_is_no_longer_in_force_at_its_end() -> None:
    assert not make_contract(valid_until=T0).is_valid_at(T0)


def test_a_contract_without_bounds_is_always_in_force() -> None:
    assert make_contract(valid_from=None, valid_until=None).is_valid_at(T0)


def test_a_contract_with_no_allowed_products_allows_every_product() -> None:
    make_contract(allowed_products=[]).check_orderable("ANY-SKU", T0, "items[0].product")


def test_a_contract_refuses_a_product_outside_its_list() -> None:
    with pytest.raises(ValidationFailed) as exc:
        make_contract(allowed_products=["A"]).check_orderable("B", T0, "items[3].product")
    assert exc.value.errors[0].field == "items[3].product"
    assert exc.value.errors[0].message.endswith("allowed: A")


def test_a_contract_out_of_force_denies_even_an_allowed_product() -> None:
    contract = make_contract(allowed_products=["A"], valid_until=T0)
    with pytest.raises(PermissionDenied) as exc:
        contract.check_orderable("A", T0, "items[0].product")
    assert "Acme contract (con-1) is not in force" in exc.value.detail
