"""Cloud-delivery configurations: an organisation's stored buckets to push deliverables to."""

from __future__ import annotations

from dataclasses import replace

from skyorder.core.cloud_delivery import (
    CloudDeliveryConfig,
    config_name_problems,
    new_cloud_config,
)
from skyorder.core.errors import Conflict, NotFound, ValidationFailed
from skyorder.core.orders import BucketTarget
from skyorder.core.tenants import Principal
from skyorder.core.users import UserRole
from skyorder.facade.base import Resource
from skyorder.store.uow import UnitOfWork


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

    def rename(self, principal: Principal, ref: str, name: str) -> CloudDeliveryConfig:
        """Give a configuration a new name (``PATCH /v1/cloud-delivery-configs/{ref}``).

        Orders and items naming it show the new name; pushes are unaffected (they go by id).

        Raises:
            ValidationFailed: the name is not a valid one.
            NotFound: no such configuration in the caller's organisation.
            Conflict: another configuration has that name.
        """
        principal.require_user_role(UserRole.ADMIN, "renaming a cloud-delivery configuration")
        clean = name.strip()
        if problems := config_name_problems(clean):
            raise ValidationFailed.of(problems)
        with self._rt.uow() as uow:
            config = _found(uow, principal, ref)
            if not uow.cloud_delivery.rename(config, clean):
                raise Conflict(f"a cloud-delivery configuration named {clean!r} exists")
            uow.commit()
        return replace(config, name=clean)

    def delete(self, principal: Principal, ref: str) -> None:
        """Delete a configuration no order may still push to (``DELETE .../{ref}``).

        Raises:
            NotFound: no such configuration in the caller's organisation.
            Conflict: open orders (drafts included), or pushes still due, use it.
        """
        principal.require_user_role(UserRole.ADMIN, "deleting a cloud-delivery configuration")
        with self._rt.uow() as uow:
            config = _found(uow, principal, ref)
            users = uow.cloud_delivery.users_of(config)
            if users:
                several = len(users) > 1
                raise Conflict(
                    f"cloud-delivery configuration {config.name!r} is still used by "
                    f"order{'s' if several else ''} {', '.join(users)}"
                    f"{' and others' if len(users) >= 5 else ''}: delete it once "
                    f"{'they have' if several else 'it has'} ended and "
                    f"{'their' if several else 'its'} pushes are done, or cancel "
                    f"{'them' if several else 'it'} first"
                )
            uow.cloud_delivery.delete(config)
            uow.commit()


def _found(uow: UnitOfWork, principal: Principal, ref: str) -> CloudDeliveryConfig:
    config = uow.cloud_delivery.get(principal, ref)
    if config is None:
        raise NotFound(f"cloud-delivery configuration {ref} not found")
    return config
