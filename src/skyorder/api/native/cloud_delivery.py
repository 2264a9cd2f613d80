"""Cloud-delivery configurations: buckets kept once, named by orders' ``delivery.config``."""

from __future__ import annotations

from fastapi import APIRouter

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.schemas.cloud_delivery import CloudDeliveryConfigIn, CloudDeliveryConfigOut

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
