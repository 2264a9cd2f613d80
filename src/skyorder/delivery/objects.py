"""The object store port: where deliverable files live, and its in-memory fake.

Keys are ``/``-separated relative paths (``deliverables/<id>/visual.tif``). Every
adapter checks keys with :func:`check_key` first, so no key can climb out of the
store (``..``), name a hidden file or carry control characters.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from skyorder.core.errors import NotFound, ValidationFailed

CHUNK = 64 * 1024
MAX_KEY = 1024
DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class StoredObject:
    """What a store holds under a key.

    Attributes:
        key: the object's key.
        size: bytes.
        sha256: hex digest of the content, when the store knows it.
        content_type: IANA media type.
        etag: an opaque validator that changes whenever the content does.
    """

    key: str
    size: int
    sha256: str | None
    content_type: str
    etag: str


class StoreError(Exception):
    """The store could not be reached or refused the operation (may be transient)."""


class ObjectMissing(NotFound):
    """No object under the key."""


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe object key.

    Raises:
        ValidationFailed: naming what is wrong with the key.
    """
    problem = _key_problem(key)
    if problem:
        raise ValidationFailed.on("key", problem)
    return key


def _key_problem(key: str) -> str:
    if not key:
        return "must not be empty"
    if len(key) > MAX_KEY:
        return f"must be at most {MAX_KEY} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in key) or "\\" in key:
        return "must not contain control characters or backslashes"
    if key.startswith("/"):
        return "must be relative (no leading '/')"
    for part in key.split("/"):
        if not part:
            return "must not contain empty path segments ('//' or a trailing '/')"
        if part.startswith("."):
            return f"segment {part!r} must not start with '.' ('..' and hidden names are refused)"
    return ""


def guess_type(key: str) -> str:
    """A media type from the key's extension."""
    return mimetypes.guess_type(key)[0] or DEFAULT_TYPE


def sha256_file(path: Path) -> tuple[str, int]:
    """The SHA-256 hex digest and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class ObjectStore(Protocol):
    """Where files live: local disk, an S3-compatible bucket, or memory in unit tests."""

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> StoredObject:
        """Store the file at ``path`` under ``key`` (replacing any object there)."""
        ...

    def stat(self, key: str) -> StoredObject:
        """Describe the object under ``key``; raises :class:`ObjectMissing` if there is none."""
        ...

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        ...

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Stream bytes ``start``..``end`` (inclusive; ``None``: to the end) in chunks."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object under ``key`` (nothing happens if there is none)."""
        ...


class MemoryStore:
    """The in-memory fake of :class:`ObjectStore` for unit tests."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put_bytes(self, key: str, data: bytes, content_type: str | None = None) -> StoredObject:
        """Store ``data`` under ``key``."""
        self.objects[check_key(key)] = (data, content_type or guess_type(key))
        return self.stat(key)

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> StoredObject:
        """Store the file at ``path`` under ``key``."""
        return self.put_bytes(key, path.read_bytes(), content_type)

    def stat(self, key: str) -> StoredObject:
        """Describe the object under ``key``."""
        if check_key(key) not in self.objects:
            raise ObjectMissing(f"no object {key!r}")
        data, content_type = self.objects[key]
        digest = hashlib.sha256(data).hexdigest()
        return StoredObject(key, len(data), digest, content_type, digest[:32])

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        return check_key(key) in self.objects

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Stream a byte range of the object."""
        self.stat(key)
        data = self.objects[key][0]
        stop = len(data) if end is None else end + 1
        for offset in range(start, stop, CHUNK):
            yield data[offset : min(offset + CHUNK, stop)]

    def delete(self, key: str) -> None:
        """Remove the object under ``key``."""
        self.objects.pop(check_key(key), None)
