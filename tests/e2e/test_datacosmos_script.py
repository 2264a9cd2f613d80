"""The DataCosmos document's end-to-end scripts run against a real server with demo data.

``tests/e2e/datacosmos/end_to_end.py`` and ``end_to_end.sh`` are the document's
complete Python and bash scripts as printed (the Python one re-indented: the
document's text lost its leading spaces). The tests change only what the document
says to change: the two host names, ``ORGANISATION_ID``, ``CONTRACT_ID``, the
credentials file's content, and the poll interval (10 s -> 0.2 s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
import rasterio

from tests.e2e.conftest import Server, running_server

pytestmark = [pytest.mark.e2e]

SCRIPTS = Path(__file__).parent / "datacosmos"
CREDENTIALS_FILE = "data_cosmos_api_credentials.json"
CHILE = [-71.72, -27.68, -71.02, -27.06]


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, engine: Any
) -> Iterator[Server]:
    """One server for the module: a scene's files are made once, on its first download."""
    from tests.conftest import _empty

    _empty(engine)
    with running_server(tmp_path_factory.mktemp("datacosmos"), database_url) as running:
        yield running


def adapted(script: str, server: Server, account: dict[str, Any]) -> str:
    """The document's script with only the host names, account numbers and sleeps changed."""
    changes = [
        ("https://login.open-cosmos.com", server.base_url),
        ("https://app.open-cosmos.com", server.base_url),
        ("ORGANISATION_ID = 42", f"ORGANISATION_ID = {account['organisation_number']}"),
        ("CONTRACT_ID = 456", f"CONTRACT_ID = {account['contract_number']}"),
        ("ORGANISATION_ID=42", f"ORGANISATION_ID={account['organisation_number']}"),
        ("CONTRACT_ID=456", f"CONTRACT_ID={account['contract_number']}"),
        ("poll_interval = 10", "poll_interval = 0.2"),
        ("POLL_INTERVAL=10", "POLL_INTERVAL=0.2"),
    ]
    for old, new in changes:
        script = script.replace(old, new)
    return script


def workdir(tmp_path: Path, account: dict[str, Any], name: str) -> Path:
    """A directory holding the credentials file the scripts read (an OAuth request body)."""
    folder = tmp_path / name
    folder.mkdir()
    body = {
        "grant_type": "client_credentials",
        "client_id": account["client_id"],
        "client_secret": account["client_secret"],
    }
    (folder / CREDENTIALS_FILE).write_text(json.dumps(body))
    return folder


def run_python(server: Server, account: dict[str, Any], folder: Path) -> subprocess.Popen[str]:
    script = adapted((SCRIPTS / "end_to_end.py").read_text(), server, account)
    (folder / "end_to_end.py").write_text(script)
    return subprocess.Popen(
        [sys.executable, "end_to_end.py"],
        cwd=folder,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # lines arrive as printed
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def assert_valid_downloads(folder: Path, expected: set[str]) -> None:
    """Every asset was saved under its title, and each file is what its name says."""
    files = {p.name: p for p in (folder / "downloads").iterdir()}
    assert set(files) == expected
    for name, path in files.items():
        if name.endswith(".tif"):
            with rasterio.open(path) as dataset:
                assert dataset.count >= 1 and dataset.width > 0 and dataset.crs is not None
        elif name.endswith(".png"):
            width, height = png_size(path.read_bytes())
            assert width > 0 and height > 0
        elif name.endswith(".json"):
            assert json.loads(path.read_text())
        else:
            raise AssertionError(f"unexpected asset {name}")


def png_size(data: bytes) -> tuple[int, int]:
    """Walk a PNG's chunks, checking each CRC; its width and height (IHDR)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, size = 8, [], (0, 0)
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        chunks.append(kind)
        at += 12 + length
    assert chunks[0] == b"IHDR" and b"IDAT" in chunks and chunks[-1] == b"IEND"
    return size


def asset_titles(server: Server, account: dict[str, Any], output: str) -> set[str]:
    collection, item = re.search(r"Selected: (\S+) / (\S+)", output).groups()  # type: ignore[union-attr]
    token = httpx.post(
        f"{server.base_url}/oauth/token",
        data={"client_id": account["client_id"], "client_secret": account["client_secret"]},
    ).json()["access_token"]
    item_json = httpx.get(
        f"{server.base_url}/api/data/v0/stac/collections/{collection}/items/{item}",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    return {asset["title"] for asset in item_json["assets"].values()}


def test_the_python_script_prices_orders_pays_and_downloads_every_asset(
    server: Server, tmp_path: Path
) -> None:
    account = server.creds
    folder = workdir(tmp_path, account, "python")
    output, _ = run_python(server, account, folder).communicate(timeout=900)
    assert "Price: " in output and " CREDITS" in output, output
    assert re.search(r"Order created: \S+ \(status: PAID\)", output), output
    assert "Complete payment at: None" in output
    assert "Payment confirmed!" in output and "Attempt 1" not in output  # the first poll
    assert "Done! All assets saved to 'downloads/'." in output
    assert_valid_downloads(folder, asset_titles(server, account, output))


@pytest.mark.skipif(shutil.which("jq") is None, reason="the bash script needs jq")
def test_the_bash_script_does_the_same_with_curl_and_jq(server: Server, tmp_path: Path) -> None:
    account = server.creds
    folder = workdir(tmp_path, account, "bash")
    script = adapted((SCRIPTS / "end_to_end.sh").read_text(), server, account)
    (folder / "end_to_end.sh").write_text(script)
    done = subprocess.run(
        ["bash", "end_to_end.sh"], cwd=folder, capture_output=True, text=True, timeout=900
    )
    output = done.stdout
    assert done.returncode == 0, output + done.stderr
    assert re.search(r"Found 5 result\(s\)\. Selected: sentinel-2-l2a / \S+", output), output
    assert re.search(r"Price: \d+ CREDITS", output), output
    assert re.search(r"Order created: [0-9a-f-]{36} \(status: PAID\)", output), output
    assert "Complete payment at: null" in output
    assert "Payment confirmed!" in output and "Attempt 1" not in output
    assert_valid_downloads(folder, asset_titles(server, account, output))


def _read_until(process: subprocess.Popen[str], seen: list[str], pattern: str) -> re.Match[str]:
    """Read the script's output up to the first line matching ``pattern``."""
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if found := re.search(pattern, line):
            return found
    raise AssertionError("".join(seen))


def _checkout_url(process: subprocess.Popen[str], seen: list[str]) -> str:
    return _read_until(process, seen, r"Complete payment at: (\S+)").group(1)


def _press(page_url: str, button: str) -> None:
    """Press a button of the hosted checkout page, as a person would."""
    page = httpx.get(page_url)
    assert page.status_code == 200 and "Sandbox checkout" in page.text
    action = re.search(rf'action="([^"]+/{button})"', page.text)
    assert action, page.text
    assert httpx.post(urljoin(page_url, action.group(1))).status_code == 303


def test_a_pay_per_order_contract_is_paid_at_the_checkout_page(
    server: Server, tmp_path: Path
) -> None:
    account = server.creds["pay_per_order"]
    folder = workdir(tmp_path, account, "pay")
    process = run_python(server, account, folder)
    seen: list[str] = []
    url = _checkout_url(process, seen)
    _read_until(process, seen, r"Attempt 1: status = AWAITING_PAYMENT")
    _press(url, "pay")
    rest, _ = process.communicate(timeout=900)
    output = "".join(seen) + rest
    assert process.returncode == 0, output
    assert " EUR" in output and "(status: AWAITING_PAYMENT)" in output
    assert "status = AWAITING_PAYMENT" in output and "Payment confirmed!" in output
    assert_valid_downloads(folder, asset_titles(server, account, output))


def test_a_pay_per_order_order_cancelled_at_the_checkout_page_is_cancelled(
    server: Server, tmp_path: Path
) -> None:
    account = server.creds["pay_per_order"]
    folder = workdir(tmp_path, account, "cancel")
    process = run_python(server, account, folder)
    seen: list[str] = []
    _press(_checkout_url(process, seen), "cancel")
    rest, _ = process.communicate(timeout=120)
    output = "".join(seen) + rest
    assert process.returncode == 1, output
    assert "Order was cancelled." in output
    assert not (folder / "downloads").exists()


def test_the_stac_price_is_the_price_endpoints_and_the_orders(server: Server) -> None:
    for account in (server.creds, server.creds["pay_per_order"]):
        token = httpx.post(
            f"{server.base_url}/oauth/token",
            json={"client_id": account["client_id"], "client_secret": account["client_secret"]},
        ).json()["access_token"]
        with httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as dc:
            search = {"collections": ["sentinel-2-l2a"], "bbox": CHILE, "limit": 5}
            features = dc.post("/api/data/v0/stac/search", json=search).json()["features"]
            for feature in features:
                props = feature["properties"]
                params = {"collection": feature["collection"], "item": feature["id"]}
                price = dc.get("/api/data/v0/order/price", params={**params, "level": "L2A"})
                data = price.json()["data"]
                assert (data["final"], data["currency"]) == (
                    props["opencosmos:price"],
                    props["opencosmos:price_currency"],
                )
            assert data["currency"] == ("CREDITS" if account is server.creds else "EUR")


def test_the_scripts_orders_are_the_native_apis_and_reach_the_usage_report(
    server: Server,
) -> None:
    with server.client() as native:
        orders = native.get("/v1/orders", params={"name": "DataCosmos IMAGE order"}).json()
        numbers = {o["order_number"] for o in orders["results"]}
        assert len(numbers) == 2  # the Python and the bash scripts'
        assert {o["payment_status"] for o in orders["results"]} == {"paid"}
        deadline = time.monotonic() + 600  # each scene's rasters are made on this busy machine
        while True:
            report = native.get("/v1/reports/usage", params={"format": "json"}).json()
            reported = {row["order_id"] for row in report["results"]}  # the order's number
            if numbers <= reported or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert numbers <= reported
