"""The files of a product: their description, checksums, manifest and zip bundle.

Each produced file becomes a :class:`ProductFile` (key, path, media type, STAC
roles, size, SHA-256) that the platform stores as a deliverable asset. The
``delivery`` zip holds every other file plus ``manifest.json`` listing each
file's name, size and SHA-256; zip entries carry the production time, so the
same inputs give the same zip.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from skyorder.core.deliverables import Asset

MANIFEST = "manifest.json"
ZIP_MEDIA_TYPE = "application/zip"
_ALREADY_COMPRESSED = (".tif", ".jp2", ".png", ".zip")
_Stamp = tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class ProductFile:
    """One produced file, as a deliverable asset.

    Attributes:
        key: asset key (``analytic``, ``visual``, ``preview``, ``thumbnail``,
            ``metadata``, ``stac``, ``delivery``; a bundle has ``analytic_pan``
            and ``analytic_ms``).
        path: where the file is on local disk.
        media_type: IANA media type.
        roles: STAC asset roles.
        size: bytes.
        sha256: hex digest of the content.
        title: a human-readable title.
    """

    key: str
    path: Path
    media_type: str
    roles: tuple[str, ...]
    size: int
    sha256: str
    title: str

    @property
    def name(self) -> str:
        """The file name."""
        return self.path.name

    def as_asset(self, href: str | None = None) -> Asset:
        """The file as a core deliverable asset, at ``href`` (default: its local path)."""
        return Asset(
            key=self.key,
            path=href if href is not None else str(self.path),
            media_type=self.media_type,
            roles=self.roles,
            size=self.size,
            sha256=self.sha256,
            title=self.title,
        )

    def manifest_entry(self) -> dict[str, Any]:
        """The file's line in ``manifest.json``."""
        return {
            "name": self.name,
            "key": self.key,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's content, read in chunks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def describe(
    key: str, path: Path, media_type: str, roles: Sequence[str], title: str
) -> ProductFile:
    """Describe a written file: measure its size and checksum."""
    return ProductFile(
        key=key,
        path=path,
        media_type=media_type,
        roles=tuple(roles),
        size=path.stat().st_size,
        sha256=sha256_of(path),
        title=title,
    )


def manifest(product_id: str, files: Sequence[ProductFile]) -> dict[str, Any]:
    """The manifest of a bundle: the product id and one entry per file."""
    return {"product_id": product_id, "files": [f.manifest_entry() for f in files]}


def write_bundle(
    path: Path, product_id: str, files: Sequence[ProductFile], produced_at: datetime
) -> Mapping[str, Any]:
    """Write the delivery zip: ``files`` under a ``product_id/`` folder, plus ``manifest.json``.

    Rasters and PNGs are stored (they are compressed already); JSON is deflated.
    Returns the manifest written.
    """
    content = manifest(product_id, files)
    stamp = (
        max(produced_at.year, 1980),
        produced_at.month,
        produced_at.day,
        produced_at.hour,
        produced_at.minute,
        produced_at.second,
    )
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        for item in files:
            info = _entry(f"{product_id}/{item.name}", stamp, item.path.suffix)
            with item.path.open("rb") as src, archive.open(info, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, length=1 << 20)
        info = _entry(f"{product_id}/{MANIFEST}", stamp, ".json")
        archive.writestr(info, json.dumps(content, indent=2))
    return content


def _entry(name: str, stamp: _Stamp, suffix: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    stored = suffix.lower() in _ALREADY_COMPRESSED
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
