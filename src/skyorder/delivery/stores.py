"""Building the platform's object store and link signer from Settings (once, at start-up)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from skyorder.core.clock import Clock
from skyorder.core.errors import ValidationFailed
from skyorder.datadir import secret_file
from skyorder.delivery.local import LocalDiskStore
from skyorder.delivery.objects import ObjectStore
from skyorder.delivery.signing import UrlSigner
from skyorder.settings import Settings


def build_object_store(settings: Settings) -> ObjectStore:
    """The store ``SKYORDER_OBJECT_STORE`` names: ``local`` (default) or ``s3``."""
    if settings.object_store == "local":
        return LocalDiskStore(settings.data_dir / "objects")
    if not settings.s3_bucket:
        raise ValidationFailed.on("SKYORDER_S3_BUCKET", "is required when SKYORDER_OBJECT_STORE=s3")
    from skyorder.delivery.s3 import S3Location, S3Store  # boto3 only when S3 is used

    secret = settings.s3_secret_access_key
    return S3Store(
        S3Location(
            bucket=settings.s3_bucket,
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
        )
    )


def _signing_secret(settings: Settings) -> str:
    if settings.signing_secret:
        return settings.signing_secret
    return secret_file(settings.data_dir / "signing-secret", lambda: secrets.token_urlsafe(48))


def build_signer(settings: Settings, clock: Clock) -> UrlSigner:
    """The download-link signer, keyed by ``SKYORDER_SIGNING_SECRET`` or a data-dir file."""
    return UrlSigner(
        _signing_secret(settings), clock, timedelta(seconds=settings.download_link_ttl_seconds)
    )
