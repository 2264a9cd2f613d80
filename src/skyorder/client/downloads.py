"""Downloads: every file of deliverables, concurrent, resumable, each checked by sha256.

A file is written to ``<name>.part`` and renamed once its checksum matches, so a file
under its final name is always complete. An interrupted transfer resumes from the
``.part`` file with an HTTP ``Range`` request; a file already present with the published
size and checksum is not transferred again.

A transfer that breaks off (a dropped connection, a server that went away) or is answered
429/502/503/504 (a server restarting behind its proxy) is tried again, waiting what
``Retry-After`` says or a jittered backoff. ``RetryPolicy.attempts`` caps the tries in a
row that bring no new byte: a long download survives any number of interruptions as long
as each try makes progress.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import httpx

from skyorder.client.errors import ApiError, ChecksumMismatch, ConnectionFailed, error_for
from skyorder.client.session import RETRY_STATUSES, Session, retry_after
from skyorder.schemas.fulfilment import AssetOut, DeliverableOut


@dataclass(frozen=True)
class AssetFile:
    """One file to fetch: where from, where to, and what it must be."""

    deliverable_id: str
    key: str
    href: str
    path: Path
    size: int | None
    sha256: str | None


@dataclass(frozen=True)
class Fetched:
    """The outcome for one file."""

    file: AssetFile
    transferred: int
    """Bytes received in this run (0 when the file was already complete)."""
    skipped: bool


Progress = Callable[[AssetFile, int], None]
"""Called with a file and the bytes just received for it."""


@dataclass
class _Tally:
    """Bytes received for one file in this run, across its tries."""

    bytes: int = 0


def _filename(key: str, asset: AssetOut) -> str:
    if asset.title and PurePosixPath(asset.title).name == asset.title and "." in asset.title:
        return asset.title
    return key + (mimetypes.guess_extension(asset.type.split(";")[0].strip()) or "")


def asset_files(deliverables: Iterable[DeliverableOut], dest: Path) -> list[AssetFile]:
    """Every asset of the deliverables, each under ``dest/<deliverable id>/``."""
    return [
        AssetFile(d.id, key, a.href, dest / d.id / _filename(key, a), a.size, a.sha256)
        for d in deliverables
        for key, a in sorted(d.assets.items())
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _complete(file: AssetFile) -> bool:
    if not file.path.exists():
        return False
    if file.size is not None and file.path.stat().st_size != file.size:
        return False
    return file.sha256 is None or _sha256(file.path) == file.sha256


class Downloader:
    """Fetch files with a bounded number of concurrent transfers."""

    def __init__(self, session: Session, concurrency: int = 4) -> None:
        self._s = session
        self._slots = asyncio.Semaphore(concurrency)

    async def fetch_all(
        self, files: Iterable[AssetFile], progress: Progress | None = None
    ) -> list[Fetched]:
        """Fetch every file (concurrently); raise the first failure once all have ended."""
        results = await asyncio.gather(
            *(self.fetch(f, progress) for f in files), return_exceptions=True
        )
        for r in results:
            if isinstance(r, BaseException):
                raise r
        return [r for r in results if isinstance(r, Fetched)]

    async def fetch(self, file: AssetFile, progress: Progress | None = None) -> Fetched:
        """Fetch one file, resuming and retrying transfers the policy allows."""
        async with self._slots:
            if _complete(file):
                if progress is not None:
                    progress(file, file.size or 0)
                return Fetched(file, 0, skipped=True)
            file.path.parent.mkdir(parents=True, exist_ok=True)
            part = file.path.with_name(file.path.name + ".part")
            received = _Tally()
            if progress is not None and part.exists():
                progress(file, part.stat().st_size)  # what an earlier run fetched
            fruitless = 0
            while True:
                before = received.bytes
                try:
                    await self._transfer(file, part, progress, received)
                    break
                except (httpx.TransportError, ConnectionFailed, ApiError) as exc:
                    if isinstance(exc, ApiError) and exc.status not in RETRY_STATUSES:
                        raise
                    fruitless = 1 if received.bytes > before else fruitless + 1
                    if fruitless >= self._s.retry.attempts:
                        if isinstance(exc, ApiError):
                            raise
                        raise ConnectionFailed(f"{file.path.name}: {exc}") from exc
                    await self._s.retry.sleep(self._wait(exc, fruitless))
            actual = _sha256(part)
            if file.sha256 is not None and actual != file.sha256:
                part.unlink()
                raise ChecksumMismatch(str(file.path), file.sha256, actual)
            part.replace(file.path)
            return Fetched(file, received.bytes, skipped=False)

    def _wait(self, exc: Exception, fruitless: int) -> float:
        """How long to wait before the next try: what the server said, or a backoff."""
        said = exc.retry_after if isinstance(exc, ApiError) else None
        wait = self._s.retry.backoff(fruitless) if said is None else said
        return min(wait, self._s.retry.max_delay)

    async def _transfer(
        self, file: AssetFile, part: Path, progress: Progress | None, received: _Tally
    ) -> None:
        have = part.stat().st_size if part.exists() else 0
        if file.size is not None and have > file.size:
            part.unlink()
            have = 0
        if file.size is not None and have == file.size:
            return
        headers = await self._s.auth.headers(self._s.http)
        if have:
            headers["Range"] = f"bytes={have}-"
        async with self._s.http.stream("GET", file.href, headers=headers) as answer:
            if answer.status_code >= 400:
                await answer.aread()
                wait = retry_after(answer.headers.get("Retry-After"))
                raise error_for(answer.status_code, answer.content, wait)
            mode = "ab" if answer.status_code == 206 else "wb"  # 200: the server sent it all
            if mode == "wb" and have and progress is not None:
                progress(file, -have)
            with part.open(mode) as out:
                async for chunk in answer.aiter_bytes():  # as received: a drop loses nothing
                    out.write(chunk)
                    received.bytes += len(chunk)
                    if progress is not None:
                        progress(file, len(chunk))
        have = part.stat().st_size
        if file.size is not None and have < file.size:  # a body cut short without a framing error
            raise ConnectionFailed(f"{file.path.name}: the body ended at {have} of {file.size} B")
