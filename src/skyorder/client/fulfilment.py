"""Captures (attempts to image a tasking item) and deliverables (the products made)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Collection, Iterable
from pathlib import Path
from typing import Any

from skyorder.client.downloads import Downloader, Fetched, Progress, asset_files
from skyorder.client.session import Session
from skyorder.schemas.fulfilment import CaptureOut, DeliverableOut


class CapturesClient:
    """``/v1/captures``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def list(
        self,
        *,
        order: str | None = None,
        status: Collection[str] | None = None,
        **filters: Any,
    ) -> AsyncIterator[CaptureOut]:
        """Every capture attempt matching the filters (``order``: an order's id or number;
        others as the API names them: ``satellite``, ``start__gt``, ``end__lt``)."""
        url = f"/v1/orders/{order}/captures" if order else "/v1/captures"
        async for capture in self._s.pages(url, CaptureOut, {"status": status, **filters}):
            yield capture

    async def get(self, capture_id: str) -> CaptureOut:
        """One capture attempt."""
        return await self._s.get(f"/v1/captures/{capture_id}", CaptureOut)


class DeliverablesClient:
    """``/v1/deliverables``."""

    def __init__(self, session: Session) -> None:
        self._s = session

    async def list(
        self,
        *,
        order: str | None = None,
        status: Collection[str] | None = None,
        **filters: Any,
    ) -> AsyncIterator[DeliverableOut]:
        """Every deliverable matching the filters (``order``: an order's id or number; others
        as the API names them: ``processing_level``, ``delivered_at__gt``, ``capture_id``)."""
        url = f"/v1/orders/{order}/deliverables" if order else "/v1/deliverables"
        async for deliverable in self._s.pages(url, DeliverableOut, {"status": status, **filters}):
            yield deliverable

    async def get(self, deliverable_id: str) -> DeliverableOut:
        """One deliverable, with its assets' sizes and checksums."""
        return await self._s.get(f"/v1/deliverables/{deliverable_id}", DeliverableOut)

    async def download(
        self,
        deliverables: Iterable[DeliverableOut],
        dest: str | Path,
        *,
        concurrency: int = 4,
        progress: Progress | None = None,
    ) -> builtins.list[Fetched]:
        """Every file of the deliverables under ``dest/<deliverable id>/``: concurrent,
        resumed where a run stopped, skipped when already complete, sha256-checked."""
        files = asset_files(deliverables, Path(dest))
        return await Downloader(self._s, concurrency).fetch_all(files, progress)
