"""The S3-compatible object store (AWS S3, MinIO, Ceph, moto...), with boto3.

Used both as the platform's own store (``SKYORDER_OBJECT_STORE=s3``) and as the
target of push delivery to a customer's bucket; a customer's bucket is reached
only through the outbound policy, pinned to the vetted address
(:func:`skyorder.delivery.pinning.pin_s3_client`).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skyorder.delivery.objects import (
    CHUNK,
    ObjectMissing,
    StoredObject,
    StoreError,
    check_key,
    guess_type,
    sha256_file,
)
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.delivery.pinning import pin_s3_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MISSING = {"404", "NoSuchKey", "NotFound"}


@dataclass(frozen=True)
class S3Location:
    """Where and how to reach a bucket.

    Attributes:
        bucket: the bucket name.
        prefix: a key prefix inside the bucket ('' for none).
        endpoint_url: an S3-compatible endpoint; ``None`` for AWS.
        region: the bucket's region.
        access_key_id: the access key.
        secret_access_key: its secret (never shown in ``repr``).
    """

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)


class S3Store:
    """Objects in an S3-compatible bucket, optionally under a key prefix.

    Uploads send the content's SHA-256 (``ChecksumSHA256``), so a server that checks
    it refuses a corrupted upload, and keep it as ``x-amz-meta-sha256``. After an
    upload the SHA-256 returned is the server's own checksum or, for servers that
    keep none, that of the object read back.
    """

    def __init__(
        self,
        location: S3Location,
        *,
        max_attempts: int = 3,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        outbound: OutboundPolicy | None = None,
    ) -> None:
        """Connect to the bucket; with ``outbound``, every request is vetted and pinned."""
        self.location = location
        self.bucket = location.bucket
        self.prefix = location.prefix.strip("/")
        config = Config(
            retries={"max_attempts": max_attempts, "mode": "standard"},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            s3={"addressing_style": "path" if location.endpoint_url else "auto"},
        )
        session = boto3.session.Session(
            aws_access_key_id=location.access_key_id,
            aws_secret_access_key=location.secret_access_key,
            region_name=location.region or "us-east-1",
        )
        self.client: S3Client = session.client(
            "s3", endpoint_url=location.endpoint_url, config=config
        )
        if outbound is not None:
            pin_s3_client(
                self.client, outbound, connect_timeout=connect_timeout, read_timeout=read_timeout
            )

    def _key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    @contextmanager
    def _call(self, key: str) -> Iterator[None]:
        where = f"s3://{self.bucket}/{self._key(key)}"
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code in _MISSING:
                raise ObjectMissing(f"no object {key!r}") from exc
            raise StoreError(f"{where}: {code} {error.get('Message', '')}".strip()) from exc
        except BotoCoreError as exc:
            raise StoreError(f"{where}: {exc}") from exc

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> StoredObject:
        """Upload the file at ``path`` with its SHA-256 for the server to verify."""
        digest, _ = sha256_file(path)
        checksum = base64.b64encode(bytes.fromhex(digest)).decode()
        with self._call(key), path.open("rb") as body:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._key(key),
                Body=body,
                ContentType=content_type or guess_type(key),
                ChecksumSHA256=checksum,
                Metadata={"sha256": digest},
            )
        stored = self.stat(key, verified_only=True)
        if stored.sha256 is None:  # the server keeps no SHA-256: read the object back
            reread = hashlib.sha256()
            for chunk in self.open_range(key):
                reread.update(chunk)
            stored = dataclasses.replace(stored, sha256=reread.hexdigest())
        return stored

    def stat(self, key: str, *, verified_only: bool = False) -> StoredObject:
        """Describe the object (size, type, ETag and SHA-256 as the server reports them).

        The SHA-256 is the server's own checksum when it keeps one; otherwise the one
        recorded in the object's metadata at upload (unless ``verified_only``).
        """
        with self._call(key):
            head = self.client.head_object(
                Bucket=self.bucket, Key=self._key(key), ChecksumMode="ENABLED"
            )
        metadata = {} if verified_only else head.get("Metadata", {})
        return StoredObject(
            key=key,
            size=int(head.get("ContentLength", 0)),
            sha256=_sha256_of(head.get("ChecksumSHA256"), metadata),
            content_type=head.get("ContentType") or guess_type(key),
            etag=head.get("ETag", "").strip('"'),
        )

    def exists(self, key: str) -> bool:
        """Whether the object exists."""
        try:
            self.stat(key)
        except ObjectMissing:
            return False
        return True

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Stream a byte range of the object in 64 KiB chunks."""
        with self._call(key):
            if start == 0 and end is None:  # a Range on an empty object would be refused
                response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            else:
                response = self.client.get_object(
                    Bucket=self.bucket,
                    Key=self._key(key),
                    Range=f"bytes={start}-{'' if end is None else end}",
                )
        return self._chunks(key, response["Body"])

    def _chunks(self, key: str, body: object) -> Iterator[bytes]:
        with self._call(key):
            yield from body.iter_chunks(CHUNK)  # type: ignore[attr-defined]

    def delete(self, key: str) -> None:
        """Delete the object."""
        with self._call(key):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def _sha256_of(checksum: str | None, metadata: dict[str, str]) -> str | None:
    if checksum and "-" not in checksum:  # "…-N" is a multipart composite, not the content's
        try:
            return base64.b64decode(checksum, validate=True).hex()
        except (binascii.Error, ValueError):
            pass
    value = metadata.get("sha256")
    return value.lower() if value else None
