"""The local-disk object store: the embedded default, under ``<data_dir>/objects``."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from skyorder.core.errors import ValidationFailed
from skyorder.delivery.objects import (
    CHUNK,
    ObjectMissing,
    StoredObject,
    check_key,
    guess_type,
)

META_DIR = ".meta"  # keys never start with '.', so no key can reach it


class LocalDiskStore:
    """Files under a root directory; each object's type and SHA-256 kept in a sidecar.

    Writes go to a temporary file that is renamed into place, so a reader never
    sees half a file. Every key is checked and the resolved path must stay under
    the root (symbolic links pointing out of it are refused too).
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path_of(self, key: str) -> Path:
        """The file that holds ``key``, guaranteed to be inside the root."""
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValidationFailed.on("key", "resolves outside the object store")
        return path

    def _meta_path(self, key: str) -> Path:
        return self.root / META_DIR / f"{check_key(key)}.json"

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> StoredObject:
        """Copy the file at ``path`` under ``key``, computing its SHA-256 on the way."""
        target = self.path_of(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out, path.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        meta = {
            "sha256": digest.hexdigest(),
            "size": size,
            "content_type": content_type or guess_type(key),
            "mtime_ns": target.stat().st_mtime_ns,
        }
        meta_path = self._meta_path(key)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta_path.write_text(json.dumps(meta))
        return self.stat(key)

    def stat(self, key: str) -> StoredObject:
        """Describe the object under ``key`` (type and SHA-256 from its sidecar, if current)."""
        path = self.path_of(key)
        if not path.is_file():
            raise ObjectMissing(f"no object {key!r}")
        st = path.stat()
        meta = self._meta(key)
        current = meta.get("size") == st.st_size and meta.get("mtime_ns") == st.st_mtime_ns
        sha = str(meta["sha256"]) if current and meta.get("sha256") else None
        content_type = str(meta.get("content_type") or guess_type(key))
        etag = sha[:32] if sha else f"{st.st_size:x}-{st.st_mtime_ns:x}"
        return StoredObject(key, st.st_size, sha, content_type, etag)

    def _meta(self, key: str) -> dict[str, object]:
        try:
            data = json.loads(self._meta_path(key).read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        return self.path_of(key).is_file()

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Stream bytes ``start``..``end`` (inclusive) in 64 KiB chunks."""
        path = self.path_of(key)
        if not path.is_file():
            raise ObjectMissing(f"no object {key!r}")
        return _read(path, start, end)

    def delete(self, key: str) -> None:
        """Remove the object and its sidecar."""
        self.path_of(key).unlink(missing_ok=True)
        self._meta_path(key).unlink(missing_ok=True)


def _read(path: Path, start: int, end: int | None) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        remaining = None if end is None else end - start + 1
        while remaining is None or remaining > 0:
            chunk = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk
