"""The catalogue's write rules, on plain objects: owners, merge patches, what changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skyorder.core.catalog import CatalogItem, Collection
from skyorder.core.catalog_writes import (
    MAX_PATCH_DEPTH,
    CatalogWriter,
    changed_fields,
    check_collection_deletable,
    check_item_deletable,
    check_patch,
    merge_patch,
    patched_item,
)
from skyorder.core.errors import Conflict, PermissionDenied, ValidationFailed
from skyorder.core.geometry import BBox
from skyorder.core.tenants import Principal, Role

PHR = Collection("phr", "Pléiades", "50 cm", owner="org-a")


def test_the_owners_provider_client_may_write_its_collection() -> None:
    CatalogWriter.provider(Principal("org-a", "c1", roles=(Role.PROVIDER,))).check(PHR)


def test_another_organisations_provider_client_is_told_whose_rule_refuses_it() -> None:
    writer = CatalogWriter.provider(Principal("org-b", "c2", roles=(Role.PROVIDER,)))
    with pytest.raises(PermissionDenied, match="phr belongs to another provider organisation"):
        writer.check(PHR)


def test_a_customer_client_is_no_catalogue_writer() -> None:
    with pytest.raises(PermissionDenied, match="'provider' role"):
        CatalogWriter.provider(Principal("org-a", "c1", roles=(Role.CUSTOMER,)))


def test_the_operator_writes_any_collection_even_one_without_owner() -> None:
    CatalogWriter.as_operator().check(PHR)
    CatalogWriter.as_operator().check(Collection("free", "t", "d"))


@pytest.mark.parametrize(
    ("target", "patch", "merged"),
    [  # examples of RFC 7396, appendix A
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
        ({"a": {"b": "c", "d": "e"}}, {"a": {"b": None, "f": "g"}}, {"a": {"d": "e", "f": "g"}}),
    ],
)
def test_a_merge_patch_follows_rfc_7396(target: object, patch: object, merged: object) -> None:
    assert merge_patch(target, patch) == merged


def test_a_patch_nested_too_deep_is_refused_naming_the_limit() -> None:
    deep: dict[str, object] = {}
    node = deep
    for _ in range(MAX_PATCH_DEPTH + 1):
        node["a"] = {}
        node = node["a"]  # type: ignore[assignment]
    with pytest.raises(ValidationFailed, match=f"deeper than {MAX_PATCH_DEPTH}"):
        check_patch(deep)


def test_changed_fields_name_the_properties_that_changed() -> None:
    before = {"id": "x", "properties": {"gsd": 0.5, "platform": "PHR1A"}}
    after = {"id": "x", "properties": {"gsd": 0.7, "platform": "PHR1A"}, "assets": {}}
    assert changed_fields(before, after) == ["assets", "properties.gsd"]


def test_a_new_footprint_drops_the_price_worked_out_from_the_old_one() -> None:
    ring = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    item = CatalogItem(
        "s",
        "phr",
        datetime(2025, 1, 1, tzinfo=UTC),
        {"type": "Polygon", "coordinates": [ring]},
        BBox(0, 0, 1, 1),
        {"datetime": "2025-01-01T00:00:00Z", "opencosmos:price": 10, "gsd": 0.5},
    )
    half = [[0.0, 0.0], [0.5, 0.0], [0.5, 0.5], [0.0, 0.5], [0.0, 0.0]]
    document = patched_item(item, {"geometry": {"type": "Polygon", "coordinates": [half]}})
    assert document["properties"] == {"datetime": "2025-01-01T00:00:00Z", "gsd": 0.5}
    assert patched_item(item, {"properties": {"gsd": 1}})["properties"]["opencosmos:price"] == 10


def test_a_scene_no_order_buys_may_be_deleted() -> None:
    check_item_deletable("phr", "S1", orders=0)


def test_a_scene_orders_buy_is_kept_and_the_refusal_says_how_many_and_why() -> None:
    with pytest.raises(Conflict) as refused:
        check_item_deletable("phr", "S1", orders=2)
    assert "2 order items buy it" in refused.value.detail
    assert "deliverables are made from it" in refused.value.detail


def test_a_collection_may_be_deleted_only_once_empty() -> None:
    check_collection_deletable("phr", items=0)
    with pytest.raises(Conflict, match="still holds 1 item; delete its items first"):
        check_collection_deletable("phr", items=1)
