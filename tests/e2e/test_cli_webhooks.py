"""``skyorder webhooks``: subscribe, test, read the delivery log, unsubscribe, against a real
server and a real receiver; refused input prints the problem and its field."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, running_server
from tests.e2e.test_cli_flow import Cli

pytestmark = pytest.mark.e2e


class Receiver:
    """An HTTP endpoint that keeps every POST (headers and JSON body) and answers 204."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.received.append((dict(self.headers.items()), json.loads(body)))
                self.send_response(204)
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiving(tmp_path: Path, database_url: str, engine: Any) -> Iterator[tuple[Server, Receiver]]:
    """A server allowed to call loopback receivers, and a receiver."""
    from tests.conftest import _empty

    _empty(engine)
    receiver = Receiver()
    allow = {"SKYORDER_OUTBOUND_ALLOW_NETWORKS": "127.0.0.1/32"}
    try:
        with running_server(tmp_path, database_url, env=allow) as server:
            yield server, receiver
    finally:
        receiver.close()


def test_webhooks_from_subscription_to_delivery_log(
    receiving: tuple[Server, Receiver], database_url: str, tmp_path: Path
) -> None:
    server, receiver = receiving
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(database_url, home)
    cli.run("login", "--url", server.base_url, "--api-key", server.creds["api_key"])

    created = cli.json(
        "webhooks", "create", receiver.url, "--event-type", "OrderAccepted",
        "--description", "from the CLI",
    )  # fmt: skip
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["OrderAccepted"]
    hook = created["id"]
    assert [w["id"] for w in cli.json("webhooks", "list")] == [hook]
    assert "secret" not in cli.json("webhooks", "show", hook)

    sent = cli.json("webhooks", "test", hook)
    assert sent["event_type"] == "WebhookTest"
    deadline = time.monotonic() + 120
    while (log := cli.json("webhooks", "deliveries", hook))[0]["status"] == "pending":
        assert time.monotonic() < deadline, log
        time.sleep(0.5)
    [delivery] = log
    assert delivery["id"] == sent["id"] and delivery["status"] == "delivered"
    assert [a["status_code"] for a in delivery["attempts"]] == [204]
    [(headers, body)] = receiver.received
    assert headers["webhook-id"] == delivery["id"] and body["type"] == "WebhookTest"

    assert cli.json("webhooks", "deliveries", hook, "--status", "failed") == []
    assert cli.json("webhooks", "delete", hook) == {"id": hook, "deleted": True}
    assert cli.json("webhooks", "list") == []
    gone = cli.run("webhooks", "deliveries", hook, code=4)
    assert hook in gone.stderr


def test_a_refused_subscription_prints_the_problem_and_its_field(
    receiving: tuple[Server, Receiver], database_url: str, tmp_path: Path
) -> None:
    server, _ = receiving
    cli = Cli(database_url, tmp_path)
    key = ["--url", server.base_url, "--api-key", server.creds["api_key"]]
    private = cli.run("webhooks", "create", "http://10.1.2.3/hooks", *key, code=1)
    assert private.stderr.startswith("error:") and "url" in private.stderr
    assert "10.1.2.3" in private.stderr
    malformed = cli.run("webhooks", "create", "https://example.com/h", "--event-type",
                        "order accepted", *key, code=1)  # fmt: skip
    assert "event_types[0]" in malformed.stderr and "'order accepted'" in malformed.stderr
