"""The archive catalog, searched through the STAC API (``POST /stac/search``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from skyorder.client.session import Session


class CatalogItem(BaseModel):
    """One archive scene (a STAC Item): what an archive order's ``item_id`` names."""

    model_config = ConfigDict(extra="allow")

    id: str
    collection: str | None = None
    geometry: dict[str, Any] | None = None
    bbox: list[float] | None = None
    properties: dict[str, Any] = Field(default_factory=dict)
    assets: dict[str, Any] = Field(default_factory=dict)

    @property
    def datetime(self) -> str | None:
        """When the scene was acquired (RFC 3339)."""
        value = self.properties.get("datetime")
        return None if value is None else str(value)


class _Link(BaseModel):
    model_config = ConfigDict(extra="allow")

    rel: str
    href: str
    method: str = "GET"
    body: dict[str, Any] | None = None


class _ItemPage(BaseModel):
    features: list[CatalogItem]
    links: list[_Link] = Field(default_factory=list)


class CatalogClient:
    """``/stac/search``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def search(
        self,
        *,
        bbox: Sequence[float] | None = None,
        intersects: dict[str, Any] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        collections: Sequence[str] | None = None,
        max_cloud_cover: float | None = None,
        limit: int = 100,
        max_items: int | None = None,
    ) -> AsyncIterator[CatalogItem]:
        """Every archive scene matching the search, page after page (``limit``: page size;
        ``max_items``: stop after that many)."""
        body: dict[str, Any] = {"limit": limit}
        if bbox is not None:
            body["bbox"] = list(bbox)
        if intersects is not None:
            body["intersects"] = intersects
        if start is not None or end is not None:
            body["datetime"] = f"{_when(start)}/{_when(end)}"
        if collections:
            body["collections"] = list(collections)
        if max_cloud_cover is not None:
            body["filter-lang"] = "cql2-json"
            body["filter"] = {"op": "<=", "args": [{"property": "eo:cloud_cover"}, max_cloud_cover]}
        url: str | None = "/stac/search"
        seen = 0
        while url is not None:
            answer = await self._s.send("POST", url, json=body)
            page = _ItemPage.model_validate_json(answer.content)
            for item in page.features:
                if max_items is not None and seen >= max_items:
                    return
                seen += 1
                yield item
            nxt = next((link for link in page.links if link.rel == "next"), None)
            url = None if nxt is None or not page.features else nxt.href
            body = nxt.body if nxt is not None and nxt.body is not None else body


def _when(value: datetime | None) -> str:
    return ".." if value is None else value.isoformat().replace("+00:00", "Z")
