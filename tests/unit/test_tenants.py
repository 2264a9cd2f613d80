"""Contracts in force, orderable products, and the contract a principal writes under."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skyorder.core.errors import FieldError, PermissionDenied, ValidationFailed
from skyorder.core.tenants import AccountRef, Principal, act_under
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


def test_a_principal_reads_prices_under_its_chosen_contract_or_its_oldest() -> None:
    assert Principal("org-1", "cli-1", ("c1", "c2"), "c2").contract_for_reading() == "c2"
    assert Principal("org-1", "cli-1", ("c1", "c2")).contract_for_reading() == "c1"
    assert Principal("org-1", "cli-1", ()).contract_for_reading() is None


def test_acting_under_a_contract_of_ones_own_organisation_chooses_it() -> None:
    principal = Principal("org-1", "cli-1", ("con-1", "con-2"))
    contract = make_contract(id="con-2", number=7)
    acting = act_under(principal, AccountRef(3, 7), 3, contract)
    assert acting.contract_id == "con-2"


def test_another_organisations_number_is_forbidden_naming_both() -> None:
    with pytest.raises(PermissionDenied) as exc:
        act_under(Principal("org-1", "cli-1", ("con-1",)), AccountRef(4, None), 3, None)
    [error] = exc.value.errors
    assert error.field == "organisation_number"
    assert "organisation 4 is not yours" in error.message and "organisation 3" in error.message


def test_a_contract_number_not_of_ones_organisation_is_forbidden_naming_it() -> None:
    principal = Principal("org-1", "cli-1", ("con-1",))
    for contract in (None, make_contract(organisation_id="org-2", number=9)):
        with pytest.raises(PermissionDenied) as exc:
            act_under(principal, AccountRef(3, 9), 3, contract)
        assert exc.value.errors[0].field == "contract_number"
        assert "contract 9" in exc.value.errors[0].message


def test_a_contract_number_other_than_the_chosen_contract_is_forbidden() -> None:
    principal = Principal("org-1", "cli-1", ("con-1", "con-2"), "con-1")
    with pytest.raises(PermissionDenied):
        act_under(principal, AccountRef(3, 2), 3, make_contract(id="con-2", number=2))
