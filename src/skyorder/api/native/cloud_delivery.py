"""Cloud-delivery configurations: buckets kept once, named by orders' ``delivery.config``."""

from __future__ import annotations

from fastapi import APIRouter, Response

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.schemas.cloud_delivery import (
    CloudDeliveryConfigIn,
    CloudDeliveryConfigOut,
    CloudDeliveryConfigRename,
)

router = APIRouter(prefix="/v1/cloud-delivery-configs", tags=["delivery"])


@router.post("", status_code=201, response_model=CloudDeliveryConfigOut)
def create_config(
    body: CloudDeliveryConfigIn, facade: FacadeDep, principal: PrincipalDep
) -> CloudDeliveryConfigOut:
    """Keep a bucket and its credentials under a name (admins; the secret is sealed at rest).

    Orders then push there with `"delivery": {"config": "<name or id>", "path": "a/b"}`:
    files land at `<prefix>/<path>/<order number>/<deliverable id>/<file>`.
    """
    config = facade.cloud_delivery.create(principal, body.name, body.to_core())
    return CloudDeliveryConfigOut.of(config)


@router.get("", response_model=list[CloudDeliveryConfigOut])
def list_configs(facade: FacadeDep, principal: PrincipalDep) -> list[CloudDeliveryConfigOut]:
    """Your organisation's configurations, by name (secrets are never shown)."""
    return [CloudDeliveryConfigOut.of(c) for c in facade.cloud_delivery.list(principal)]


@router.get("/{ref}", response_model=CloudDeliveryConfigOut)
def get_config(ref: str, facade: FacadeDep, principal: PrincipalDep) -> CloudDeliveryConfigOut:
    """One configuration by id or name."""
    return CloudDeliveryConfigOut.of(facade.cloud_delivery.get(principal, ref))


@router.patch("/{ref}", response_model=CloudDeliveryConfigOut)
def rename_config(
    ref: str, body: CloudDeliveryConfigRename, facade: FacadeDep, principal: PrincipalDep
) -> CloudDeliveryConfigOut:
    """Rename a configuration (admins). Orders and items naming it show the new name."""
    return CloudDeliveryConfigOut.of(facade.cloud_delivery.rename(principal, ref, body.name))


@router.delete("/{ref}", status_code=204, response_class=Response)
def delete_config(ref: str, facade: FacadeDep, principal: PrincipalDep) -> Response:
    """Delete a configuration (admins): 409 naming the orders while any open order (or a push
    still due) uses it."""
    facade.cloud_delivery.delete(principal, ref)
    return Response(status_code=204)
