"""Where the API commands find their server and credentials: a stored profile.

``skyorder login`` writes ``profiles.json`` (mode 0600) in ``$SKYORDER_CONFIG_DIR``
(default ``~/.config/skyorder``). A command reads, first to last: its ``--url`` /
``--api-key`` options, ``SKYORDER_URL`` with ``SKYORDER_API_KEY`` (or
``SKYORDER_CLIENT_ID`` and ``SKYORDER_CLIENT_SECRET``), the profile named by
``--profile`` (default ``default``), and the credentials ``make serve`` saved in
``data/demo-credentials.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel

from skyorder.client import Client, RetryPolicy

ProfileOpt = Annotated[
    str, typer.Option("--profile", "-p", help="Stored profile (see `skyorder login`)")
]
UrlOpt = Annotated[str | None, typer.Option("--url", help="Server base URL")]
KeyOpt = Annotated[str | None, typer.Option("--api-key", help="API key")]


class Profile(BaseModel):
    """A server and the credentials to use it with."""

    url: str
    api_key: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    contract_id: str | None = None

    def client(self, attempts: int | None = None) -> Client:
        """A client of this server with these credentials (``attempts``: tries in a row
        without progress before a request or a download gives up; default the SDK's)."""
        return Client(
            self.url,
            api_key=self.api_key,
            client_id=self.client_id,
            client_secret=self.client_secret,
            contract_id=self.contract_id,
            retry=RetryPolicy(attempts=attempts) if attempts else None,
        )


class NoCredentials(Exception):
    """No server or credentials were found anywhere."""


def config_dir() -> Path:
    """Where profiles are kept."""
    configured = os.environ.get("SKYORDER_CONFIG_DIR")
    return Path(configured) if configured else Path.home() / ".config" / "skyorder"


def _stored() -> dict[str, Profile]:
    path = config_dir() / "profiles.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {name: Profile.model_validate(p) for name, p in data.items()}


def save(name: str, profile: Profile) -> Path:
    """Store a profile (readable only by its owner: it holds a secret)."""
    profiles = {**_stored(), name: profile}
    path = config_dir() / "profiles.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    body = {n: p.model_dump(exclude_none=True) for n, p in profiles.items()}
    path.write_text(json.dumps(body, indent=2) + "\n")
    return path


def resolve(name: str, url: str | None = None, api_key: str | None = None) -> Profile:
    """The server and credentials a command uses (see the module's docstring for the order)."""
    env = os.environ
    if url and api_key:
        return Profile(url=url, api_key=api_key)
    if env.get("SKYORDER_URL") and (env.get("SKYORDER_API_KEY") or env.get("SKYORDER_CLIENT_ID")):
        return Profile(
            url=url or env["SKYORDER_URL"],
            api_key=api_key or env.get("SKYORDER_API_KEY"),
            client_id=env.get("SKYORDER_CLIENT_ID"),
            client_secret=env.get("SKYORDER_CLIENT_SECRET"),
            contract_id=env.get("SKYORDER_CONTRACT_ID"),
        )
    stored = _stored().get(name)
    if stored is not None:
        update = {k: v for k, v in {"url": url, "api_key": api_key}.items() if v}
        return stored.model_copy(update=update)
    demo = Path("data") / "demo-credentials.json"
    if demo.exists():
        saved = json.loads(demo.read_text())
        return Profile(url=url or saved["base_url"], api_key=api_key or saved["api_key"])
    raise NoCredentials(
        "no credentials: run `skyorder login`, give --url and --api-key, or set SKYORDER_URL "
        "and SKYORDER_API_KEY"
    )
