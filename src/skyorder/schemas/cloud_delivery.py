"""Native wire models of cloud-delivery configurations (``/v1/cloud-delivery-configs``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from skyorder.core.cloud_delivery import CloudDeliveryConfig
from skyorder.core.orders import BucketTarget


class CloudDeliveryConfigIn(BaseModel):
    """A bucket to keep under a name, with the credentials to push to it.

    The secret is sealed at rest and never shown again. An ``endpoint_url`` whose host
    resolves to a non-public address is refused unless the operator allows its network.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100, description="Unique in your organisation")
    bucket: str = Field(max_length=63)
    prefix: str = Field("", max_length=500, description="Key prefix inside the bucket")
    access_key_id: str = Field(max_length=200)
    secret_access_key: str = Field(max_length=500)
    endpoint_url: str | None = Field(
        None, max_length=500, description="S3-compatible endpoint; default: AWS S3"
    )
    region: str | None = Field(None, max_length=40)

    def to_core(self) -> BucketTarget:
        """The bucket in the core's terms (validated by the core)."""
        return BucketTarget(
            bucket=self.bucket,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            prefix=self.prefix,
            endpoint_url=self.endpoint_url,
            region=self.region,
        )


class CloudDeliveryConfigRename(BaseModel):
    """A configuration's new name (the only field that changes; make a new one for a new
    bucket or secret)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100, description="Unique in your organisation")


class CloudDeliveryConfigOut(BaseModel):
    """A stored configuration (its secret is never shown)."""

    id: str
    name: str
    bucket: str
    prefix: str
    access_key_id: str
    endpoint_url: str | None
    region: str | None
    created_at: datetime

    @classmethod
    def of(cls, config: CloudDeliveryConfig) -> CloudDeliveryConfigOut:
        """Render a configuration."""
        t = config.target
        return cls(
            id=config.id,
            name=config.name,
            bucket=t.bucket,
            prefix=t.prefix,
            access_key_id=t.access_key_id,
            endpoint_url=t.endpoint_url,
            region=t.region,
            created_at=config.created_at,
        )
