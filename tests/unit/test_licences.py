"""Licences: an order accepts every licence its products require, and records what it accepted."""

from __future__ import annotations

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.core.licences import AcceptedLicence, Licence, LicenceAcceptance, accept_licences
from skyorder.core.products import required_licences
from skyorder.core.users import Actor
from skyorder.services.products import load_products
from tests.unit.builders import T0

EULA = Licence("DataCosmos EULA", "1.0", "https://example.com/license/eula-v1")
BY = Actor("cli-1", "user-1", "ada@example.com")


def accept(*offered: LicenceAcceptance, required: Licence = EULA) -> tuple[AcceptedLicence, ...]:
    return accept_licences([("ARC-S2-L2A", required)], offered, BY, T0)


def refusal(*offered: LicenceAcceptance) -> str:
    with pytest.raises(ValidationFailed) as exc:
        accept(*offered)
    [error] = exc.value.errors
    assert error.field == "licences"
    return error.message


def test_an_accepted_required_licence_is_recorded_with_who_and_when() -> None:
    [recorded] = accept(LicenceAcceptance("DataCosmos EULA", "1.0", "https://e.example/eula"))
    assert recorded == AcceptedLicence("DataCosmos EULA", "1.0", "https://e.example/eula", BY, T0)


def test_a_missing_licence_is_refused_naming_it_and_the_product() -> None:
    message = refusal()
    assert "'DataCosmos EULA' version 1.0" in message and "ARC-S2-L2A" in message
    assert "must be accepted" in message


def test_a_licence_sent_as_not_accepted_is_refused() -> None:
    assert "was refused" in refusal(LicenceAcceptance("DataCosmos EULA", "1.0", accepted=False))


def test_another_version_does_not_count() -> None:
    assert "must be accepted" in refusal(LicenceAcceptance("DataCosmos EULA", "2.0"))


def test_names_match_whatever_their_case_and_spacing() -> None:
    assert accept(LicenceAcceptance("  datacosmos   eula ", "1.0"))


def test_a_licence_sent_twice_is_recorded_once() -> None:
    twice = LicenceAcceptance("DataCosmos EULA", "1.0")
    assert len(accept(twice, twice)) == 1


def test_licences_nobody_requires_are_recorded_too() -> None:
    extra = LicenceAcceptance("CC-BY-4.0", "4.0")
    recorded = accept(LicenceAcceptance("DataCosmos EULA", "1.0"), extra)
    assert [r.name for r in recorded] == ["DataCosmos EULA", "CC-BY-4.0"]


def test_an_empty_licence_name_is_refused_naming_its_entry() -> None:
    with pytest.raises(ValidationFailed) as exc:
        accept(LicenceAcceptance("DataCosmos EULA", "1.0"), LicenceAcceptance(" ", "1"))
    assert [e.field for e in exc.value.errors] == ["licences[1].name"]


def test_the_recorded_form_survives_a_round_trip() -> None:
    [recorded] = accept(LicenceAcceptance("DataCosmos EULA", "1.0"))
    assert AcceptedLicence.from_json(recorded.to_json()) == recorded


def test_the_builtin_catalogue_requires_the_eula_for_sentinel_2_only() -> None:
    products = {p.sku: p for p in load_products()}
    assert required_licences(products, ["ARC-S2-L2A", "ARC-PHR-KM2", "ARC-S2-L2A"]) == [
        ("ARC-S2-L2A", EULA)
    ]
