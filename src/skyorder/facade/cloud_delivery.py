"""Cloud-delivery configurations: an organisation's stored buckets to push deliverables to."""

from __future__ import annotations

from skyorder.core.cloud_delivery import CloudDeliveryConfig, new_cloud_config
from skyorder.core.errors import Conflict, NotFound
from skyorder.core.orders import BucketTarget
from skyorder.core.tenants import Principal
from skyorder.core.users import UserRole
from skyorder.facade.base import Resource


class CloudDeliveries(Resource):
    """The caller's organisation's cloud-delivery configurations."""

    def create(self, principal: Principal, name: str, target: BucketTarget) -> CloudDeliveryConfig:
        """Keep a bucket and its credentials under a name (``POST /v1/cloud-delivery-configs``).

        Raises:
            ValidationFailed: an invalid field, or an endpoint the outbound policy refuses.
            Conflict: the organisation already has a configuration of that name.
        """
        principal.require_user_role(UserRole.ADMIN, "adding a cloud-delivery configuration")
        rt = self._rt
        config = new_cloud_config(
            principal.organisation_id, name, target, self._clock(principal).now(), principal.actor
        )
        if target.endpoint_url is not None:
            rt.outbound.check(target.endpoint_url, "endpoint_url")
        with rt.uow() as uow:
            if not uow.cloud_delivery.add(config):
                raise Conflict(f"a cloud-delivery configuration named {config.name!r} exists")
            uow.commit()
        return config

    def list(self, principal: Principal) -> list[CloudDeliveryConfig]:
        """Every configuration, by name (``GET /v1/cloud-delivery-configs``)."""
        with self._rt.uow(readonly=True) as uow:
            return uow.cloud_delivery.list(principal)

    def get(self, principal: Principal, ref: str) -> CloudDeliveryConfig:
        """One configuration by id or name (``GET /v1/cloud-delivery-configs/{ref}``)."""
        with self._rt.uow(readonly=True) as uow:
            config = uow.cloud_delivery.get(principal, ref)
        if config is None:
            raise NotFound(f"cloud-delivery configuration {ref} not found")
        return config
