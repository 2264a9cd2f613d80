"""Serve the JSON Schemas that STAC validators fetch from tests/data, without the network."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_specifications
import pystac.stac_io
import pytest
import requests
from requests.adapters import BaseAdapter

SCHEMAS = Path(__file__).parents[1] / "data" / "stac-schemas"
_DRAFT7 = Path(jsonschema_specifications.__file__).parent / "schemas" / "draft7" / "metaschema.json"
_FILES = {
    "https://stac-extensions.github.io/eo/v1.1.0/schema.json": SCHEMAS / "eo-v1.1.0.json",
    "https://stac-extensions.github.io/view/v1.0.0/schema.json": SCHEMAS / "view-v1.0.0.json",
    "https://geojson.org/schema/Feature.json": SCHEMAS / "geojson" / "Feature.json",
    "https://geojson.org/schema/Geometry.json": SCHEMAS / "geojson" / "Geometry.json",
    "http://json-schema.org/draft-07/schema": _DRAFT7,
}
_CORE = "https://schemas.stacspec.org/v1.0.0/"


def local_schema(url: str) -> Path | None:
    """The local copy of a schema URL, if there is one."""
    bare = url.split("#", 1)[0]
    if bare in _FILES:
        return _FILES[bare]
    if bare.startswith(_CORE):
        path = SCHEMAS / "v1.0.0" / bare[len(_CORE) :]
        return path if path.is_file() else None
    return None


class _LocalAdapter(BaseAdapter):
    def send(self, request: Any, **_: Any) -> requests.Response:  # type: ignore[override]
        path = local_schema(request.url)
        assert path is not None
        response = requests.Response()
        response.status_code = 200
        response._content = path.read_bytes()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def install_offline_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route schema downloads of requests and pystac to the local copies."""
    original_adapter: Callable[..., BaseAdapter] = requests.Session.get_adapter
    local = _LocalAdapter()

    def get_adapter(self: requests.Session, url: str) -> BaseAdapter:
        return local if local_schema(url) is not None else original_adapter(self, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
    original_read = pystac.stac_io.DefaultStacIO.read_text_from_href

    def read_text_from_href(self: pystac.stac_io.DefaultStacIO, href: str) -> str:
        path = local_schema(href)
        return path.read_text("utf-8") if path is not None else original_read(self, href)

    monkeypatch.setattr(pystac.stac_io.DefaultStacIO, "read_text_from_href", read_text_from_href)
