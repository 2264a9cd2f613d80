"""A real server (``skyorder serve --demo``) and Debian's Chromium, driven by Playwright.

The browser is never downloaded: Playwright launches ``/usr/bin/chromium`` (``.ci/run``
installs it with apt). Every request the console makes is recorded, so a test can check
that none went to another host than the server.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Server, module_server

CHROMIUM = Path(os.environ.get("SKYORDER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "build" / "browser-screenshots"
"""Screenshots go to build/browser-screenshots/<test name>/ (build/ is not committed)."""

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def console_server(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, engine: Any
) -> Iterator[Server]:
    """One server for the module's tests (each test signs in afresh)."""
    # Small synthetic scenes: a deliverable is made in a fraction of a second.
    env = {
        "SKYORDER_PIXEL_BUDGET": "250000",
        "SKYORDER_ASSET_PIXEL_BUDGET": "250000",
        "SKYORDER_OUTBOUND_ALLOW_NETWORKS": "127.0.0.1/32",  # the webhook page's receiver
    }
    with module_server(tmp_path_factory, database_url, engine, "console", env) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A browser page on the console, the hosts it asked, and numbered screenshots."""

    def __init__(self, page: Any, server: Server, shots: Path) -> None:
        self.page = page
        self.server = server
        self.shots = shots
        self.hosts: set[str] = set()
        self.problems: list[str] = []
        self._n = 0
        page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc or r.url[:5]))
        page.on("pageerror", lambda e: self.problems.append(str(e)))

    def shot(self, step: str) -> Path:
        self._n += 1
        path = self.shots / f"{self._n:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        return path

    def sign_in(self, email: str, password: str) -> None:
        self.page.goto(f"{self.server.base_url}/console")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("#sign-in-button")

    def foreign_hosts(self) -> set[str]:
        """Hosts other than the server's that the console asked (data: URLs are local)."""
        own = urlsplit(self.server.base_url).netloc
        return {h for h in self.hosts if h != own and h not in ("data:", "blob:")}


@pytest.fixture
def visit(browser: Any, console_server: Server, request: pytest.FixtureRequest) -> Iterator[Visit]:
    shots = SHOTS / re.sub(r"[^\w.-]", "_", request.node.name)
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    v = Visit(page, console_server, shots)
    yield v
    context.close()
    assert not v.foreign_hosts(), f"the console asked other hosts: {v.foreign_hosts()}"
    assert not v.problems, f"errors in the page: {v.problems}"
