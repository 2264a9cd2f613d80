"""Acceptance: stac-api-validator against a real server process, offline (local schemas)."""

from __future__ import annotations

import json

import httpx
import pytest
from stac_api_validator.validations import QueryConfig, validate_api

from tests.e2e.conftest import Server
from tests.e2e.stac_schemas import install_offline_schemas
from tests.factories import TOULOUSE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

CONFORMANCE = [
    "core",
    "collections",
    "features",
    "item-search",
    "filter",
    "item-search#sort",
    "item-search#fields",
    "item-search#query",
]


def test_the_stac_api_passes_stac_api_validator(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_offline_schemas(monkeypatch)
    headers = {"X-API-Key": server.creds["api_key"]}
    root = f"{server.base_url}/stac"
    first = httpx.get(
        f"{root}/search", params={"collections": "phr", "limit": 1}, headers=headers
    ).json()["features"][0]
    cloud = first["properties"]["eo:cloud_cover"]
    warnings, errors = validate_api(
        root_url=root,
        ccs_to_validate=CONFORMANCE,
        collection="phr",
        geometry=json.dumps(TOULOUSE),
        auth_bearer_token=None,
        auth_query_parameter=None,
        fields_nested_property="properties.eo:cloud_cover",
        validate_pagination=True,
        query_config=QueryConfig(
            query_comparison_field="eo:cloud_cover",
            query_eq_value=str(cloud),
            query_neq_value=str(cloud),
            query_lt_value="30",
            query_lte_value="30",
            query_gt_value="5",
            query_gte_value="5",
            query_substring_field="platform",
            query_starts_with_value="PHR",
            query_ends_with_value="A",
            query_contains_value="HR1",
            query_in_field="instruments",
            query_in_values="phr",
        ),
        transaction_collection=None,
        headers=headers,
    )
    print("validator warnings:", *warnings, sep="\n- ")
    assert list(errors) == []
