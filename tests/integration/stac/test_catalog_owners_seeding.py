"""Who owns the catalogue the operator seeds: the demo catalogue, the CLI, migrated collections."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from skyorder.cli.main import app as cli
from skyorder.runtime import Runtime
from skyorder.services import catalog
from skyorder.services.demo import ensure_demo
from skyorder.settings import Settings
from tests.conftest import migrate_to
from tests.integration.stac.test_transactions import feature


def _owners(runtime: Runtime) -> dict[str, str | None]:
    with runtime.uow(readonly=True) as uow:
        return {c.id: c.owner for c in uow.catalog.collections()}


def test_the_demo_catalogue_belongs_to_the_demo_organisation(
    runtime: Runtime, settings: Settings
) -> None:
    demo = ensure_demo(runtime.uow, runtime.clock, settings.data_dir, "http://testserver")
    catalog.ensure_demo_catalog(runtime.uow, runtime.clock, 20, owner=demo["organisation_id"])
    owners = _owners(runtime)
    assert set(owners) == {c.id for c in catalog.demo_collections()}
    assert set(owners.values()) == {demo["organisation_id"]}


def test_a_demo_catalogue_seeded_without_an_owner_goes_to_the_demo_organisation(
    archive: Runtime, settings: Settings
) -> None:
    assert set(_owners(archive).values()) == {None}
    demo = ensure_demo(archive.uow, archive.clock, settings.data_dir, "http://testserver")
    assert (
        catalog.ensure_demo_catalog(archive.uow, archive.clock, owner=demo["organisation_id"]) == 0
    )
    assert set(_owners(archive).values()) == {demo["organisation_id"]}


def _ingest(settings: Settings, path: Path, *extra: str) -> Any:
    args = ["--data-dir", str(settings.data_dir), "--database-url", settings.database()]
    return CliRunner().invoke(cli, ["catalog", "ingest", str(path), *extra, *args])


def test_the_cli_refuses_an_existing_item_and_writes_nothing(
    archive: Runtime, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "item.json"
    path.write_text(json.dumps(feature("CLI-1")))
    assert _ingest(settings, path, "--collection", "phr").exit_code == 0
    path.write_text(json.dumps(feature("CLI-1", gsd=0.9)))
    result = _ingest(settings, path, "--collection", "phr")
    assert result.exit_code == 2
    assert "item 'CLI-1' of collection 'phr' already exists; nothing was written" in result.output
    assert "--replace" in result.output
    with archive.uow(readonly=True) as uow:
        item = uow.catalog.item("phr", "CLI-1")
    assert item is not None and item.properties["gsd"] == 0.5


def test_the_cli_replaces_an_existing_item_when_asked(
    archive: Runtime, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "item.json"
    path.write_text(json.dumps(feature("CLI-1")))
    _ingest(settings, path, "--collection", "phr")
    path.write_text(json.dumps(feature("CLI-1", gsd=0.9)))
    result = _ingest(settings, path, "--collection", "phr", "--replace")
    assert result.exit_code == 0, result.output
    with archive.uow(readonly=True) as uow:
        item = uow.catalog.item("phr", "CLI-1")
    assert item is not None and item.properties["gsd"] == 0.9


def test_the_cli_refuses_an_existing_collection(
    archive: Runtime, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "collection.json"
    path.write_text(json.dumps({"type": "Collection", "id": "phr", "description": "replaced"}))
    result = _ingest(settings, path)
    assert result.exit_code == 2
    assert "collection 'phr' already exists" in result.output
    with archive.uow(readonly=True) as uow:
        collection = uow.catalog.collection("phr")
    assert collection is not None and collection.description != "replaced"


def test_the_cli_gives_a_new_collection_to_the_owner_it_names(
    runtime: Runtime, settings: Settings, tmp_path: Path, provider: dict[str, Any]
) -> None:
    path = tmp_path / "collection.json"
    path.write_text(json.dumps({"type": "Collection", "id": "theirs", "description": "d"}))
    result = _ingest(settings, path, "--owner", provider["organisation_id"])
    assert result.exit_code == 0, result.output
    assert _owners(runtime) == {"theirs": provider["organisation_id"]}
    result = _ingest(settings, path, "--owner", "no-such-org", "--replace")
    assert result.exit_code == 2 and "organisation no-such-org does not exist" in result.output


def test_migrated_collections_go_to_the_oldest_organisation_with_a_provider_client(
    blank_engine: Engine,
) -> None:
    migrate_to(blank_engine, "0008")
    now = datetime(2025, 1, 1, tzinfo=UTC)
    orgs = [
        ("o-customer", now),
        ("o-provider", now.replace(day=2)),
        ("o-later", now.replace(day=3)),
    ]
    with blank_engine.begin() as conn:
        for org, created in orgs:
            conn.execute(
                text(
                    "INSERT INTO organisations (id, name, order_sequence, created_at) "
                    "VALUES (:id, :id, 0, :at)"
                ),
                {"id": org, "at": created},
            )
            roles = "customer" if org == "o-customer" else "customer,provider"
            conn.execute(
                text(
                    "INSERT INTO api_clients (id, organisation_id, name, client_id, secret_hash, "
                    "api_key_hash, disabled, roles, created_at) "
                    "VALUES (:id, :id, 'c', :id, 'x', :id, false, :roles, :at)"
                ),
                {"id": org, "roles": roles, "at": created},
            )
        conn.execute(
            text(
                "INSERT INTO collections (id, title, description, license, document, "
                "created_at, updated_at) VALUES ('old', 'old', 'd', 'proprietary', '{}', :at, :at)"
            ),
            {"at": now},
        )
    migrate_to(blank_engine, "0009")
    with blank_engine.connect() as conn:
        owner = conn.execute(text("SELECT owner_id FROM collections WHERE id = 'old'")).scalar()
    assert owner == "o-provider"
