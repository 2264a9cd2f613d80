"""An archive order done only with the command line against a real server, JSON parsed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, cli_env, running_server

pytestmark = pytest.mark.e2e


class Cli:
    """``skyorder`` with its own profile directory; output piped, so JSON."""

    def __init__(self, database_url: str, home: Path) -> None:
        self.env = {**cli_env(database_url), "SKYORDER_CONFIG_DIR": str(home)}
        self.env.pop("SKYORDER_OUTPUT", None)
        for name in ("SKYORDER_URL", "SKYORDER_API_KEY"):
            self.env.pop(name, None)
        self.cwd = home

    def run(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "skyorder.cli", *args],
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args).stdout)


def _square(bbox: list[float], half: float = 0.02) -> dict[str, Any]:
    x, y = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    ring = [
        [x - half, y - half],
        [x + half, y - half],
        [x + half, y + half],
        [x - half, y + half],
        [x - half, y - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def test_an_archive_order_from_search_to_report(
    server: Server, database_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(database_url, home)
    creds = server.creds
    cli.run(
        "login",
        "--url",
        server.base_url,
        "--client-id",
        creds["client_id"],
        "--client-secret",
        creds["client_secret"],
    )
    assert os.stat(home / "profiles.json").st_mode & 0o077 == 0  # holds a secret

    [scene] = cli.json("catalog", "search", "--collection", "micro-fleet-l1", "--limit", "1")
    (home / "aoi.geojson").write_text(json.dumps(_square(scene["bbox"])))
    item = [
        "--item",
        scene["id"],
        "--collection",
        "micro-fleet-l1",
        "--level",
        "L1B",
        "--aoi",
        "aoi.geojson",
    ]
    quote = cli.json("quote", *item)
    assert quote["total"] > 0

    order = cli.json("orders", "create", "--name", "CLI flow", *item, "--quote", quote["id"])
    assert order["total_amount"] == quote["total"]
    number = order["order_number"]
    assert [o["order_number"] for o in cli.json("orders", "list")] == [number]

    clock = cli.json("clock", "advance", "--days", "1")
    assert clock["offset_seconds"] >= 86_000
    done = cli.json("orders", "wait", number, "--until", "completed", "--timeout", "180")
    assert done["status"] == "completed"

    [deliverable] = cli.json("deliverables", "list", "--order", number)
    files = cli.json("orders", "download", number, "--dest", "imagery")
    assert len(files) == len(deliverable["assets"]) > 1
    for f in files:
        assert not f["skipped"]
        data = (home / f["path"]).read_bytes()
        assert len(data) == f["size"]
        assert hashlib.sha256(data).hexdigest() == f["sha256"]
    again = cli.json("orders", "download", number, "--dest", "imagery")
    assert all(f["skipped"] and f["transferred"] == 0 for f in again)

    [row] = cli.json(
        "report", "usage", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "json"
    )
    assert row["order_id"] == number
    assert row["scene_id"] == scene["id"]
    assert row["amount_charged"] == quote["total"]
    csv_lines = cli.run("report", "usage", "--from", "2000-01-01", "--to", "2100-01-01").stdout
    assert csv_lines.splitlines()[0].startswith("contract_name,order_name,order_id,")
    _the_readme_report_runs_as_written(server, home, number)


def _the_readme_report_runs_as_written(server: Server, home: Path, number: str) -> None:
    """The README's five lines, with only the host, the key and the period changed."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("from skyorder.client import Client\n\nwith Client(")
    code = readme[start : readme.index("```", start)]
    assert len(code.strip().splitlines()) <= 5
    code = code.replace("http://127.0.0.1:8260", server.base_url)
    code = code.replace("sko_...", server.creds["api_key"])
    code = code.replace('"2026-12-01", "2027-01-01"', '"2000-01-01", "2100-01-01"')
    subprocess.run([sys.executable, "-c", code], cwd=home, check=True, timeout=120)
    rows = (home / "deliverables_report.csv").read_text().splitlines()
    assert rows[1].split(",")[2] == number


@pytest.fixture
def clear_skies(tmp_path: Path, database_url: str, engine: Any) -> Iterator[Server]:
    """A server whose simulated weather never clouds a capture and whose satellites never fail."""
    from tests.conftest import _empty

    _empty(engine)
    weather = {"SKYORDER_SIM_WEATHER": "clear", "SKYORDER_SIM_ANOMALY_RATE": "0"}
    with running_server(tmp_path, database_url, env=weather) as running:
        yield running


def test_a_tasking_order_from_opportunities_to_report(
    clear_skies: Server, database_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(database_url, home)
    cli.run("login", "--url", clear_skies.base_url, "--api-key", clear_skies.creds["api_key"])
    port = {"type": "Point", "coordinates": [-57.575179022, -37.935767493]}
    (home / "port.geojson").write_text(json.dumps(port))
    now = datetime.fromisoformat(cli.json("clock", "show")["now"])
    window = ["--start", (now + timedelta(hours=1)).isoformat()[:19]]
    window += ["--end", (now + timedelta(days=3)).isoformat()[:19]]
    product = ["--product", "TSKSTD-M.NN.NN", "--aoi", "port.geojson", *window]

    passes = cli.json(
        "opportunities", "search", "--aoi", "port.geojson", *window, "--product", "TSKSTD-M.NN.NN"
    )
    assert passes and all(p["off_nadir_min"] <= 40 for p in passes)
    verdict = cli.json("opportunities", "feasibility", *product, "--max-cloud", "20")
    assert verdict["feasibility_status"] in ("SUCCESS", "WEAK_SUCCESS")

    quote = cli.json("quote", *product, "--max-cloud", "20")
    order = cli.json(
        "orders",
        "create",
        "--name",
        "Port, tasked",
        *product,
        "--max-cloud",
        "20",
        "--quote",
        quote["id"],
    )
    assert (order["kind"], order["total_amount"]) == ("tasking", quote["total"])
    number = order["order_number"]

    cli.json("clock", "advance", "--days", "4")
    done = cli.json("orders", "wait", number, "--until", "completed", "--timeout", "180")
    assert done["status"] == "completed"
    [capture] = cli.json("captures", "list", "--order", number, "--status", "collected")
    first = min(p["start"] for p in passes)
    assert capture["start"] >= first[:19]

    files = cli.json("orders", "download", number, "--dest", "imagery")
    assert len(files) > 1
    for f in files:
        data = (home / f["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"]

    [row] = cli.json(
        "report", "usage", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "json"
    )
    assert (row["order_id"], row["capture_id"]) == (number, capture["id"])
    assert row["amount_charged"] == quote["total"]


def test_errors_print_the_problem_and_exit_with_their_documented_code(
    server: Server, database_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"  # not where the server saved its demo credentials
    home.mkdir()
    cli = Cli(database_url, home)
    key = ["--url", server.base_url, "--api-key", server.creds["api_key"]]
    missing = cli.run("orders", "show", "999999", *key, code=4)
    assert "999999" in missing.stderr
    bad = cli.run(
        "quote", "--item", "no-such-scene", "--collection", "micro-fleet-l1", *key, code=1
    )
    assert "items[0]" in bad.stderr
    refused = cli.run("orders", "list", "--url", server.base_url, "--api-key", "sko_wrong", code=3)
    assert refused.stderr.startswith("error:")
    cli.run("orders", "list", code=2)  # no credentials anywhere


def test_products_contracts_balance_and_satellites_from_the_command_line(
    server: Server, database_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(database_url, home)
    key = ["--url", server.base_url, "--api-key", server.creds["api_key"]]
    products = cli.json("products", *key)
    assert {"sku", "kind", "collection", "processing_levels"} <= set(products[0])
    assert any(p["kind"] == "tasking" for p in products)
    [contract] = cli.json("contracts", *key)
    [balance] = cli.json("balance", *key)
    assert balance["contract_id"] == contract["id"]
    assert balance["currency"] == contract["currency"]
    assert min(balance["available"], balance["held"], balance["spent"]) >= 0
    assert cli.json("balance", "--contract", contract["id"], *key) == [balance]
    unknown = cli.run("balance", "--contract", "no-such-contract", *key, code=4)
    assert "no-such-contract" in unknown.stderr
    satellites = cli.json("satellites", *key)
    assert satellites and {"id", "norad_id", "sensor", "orbit"} <= set(satellites[0])
