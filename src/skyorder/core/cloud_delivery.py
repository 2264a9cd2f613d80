"""Stored cloud-delivery configurations: an organisation's named buckets to push to.

An organisation keeps its buckets (with their credentials) once, under names, and
orders refer to one by name or id with a path inside it, instead of repeating a bucket
and its secret in every order. The secret is sealed at rest by the store and never
shown again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.ids import new_id
from skyorder.core.orders import BucketTarget
from skyorder.core.users import Actor

MAX_CONFIG_NAME = 100
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]*")


@dataclass(frozen=True)
class CloudDeliveryConfig:
    """A named bucket of an organisation, with the credentials to push to it."""

    id: str
    organisation_id: str
    name: str
    target: BucketTarget = field(repr=False)
    created_at: datetime
    created_by: Actor | None = None

    def target_for(self, path: str) -> BucketTarget:
        """The bucket with ``path`` appended to the configuration's prefix."""
        parts = [p for p in (self.target.prefix.strip("/"), path.strip("/")) if p]
        return replace(self.target, prefix="/".join(parts))


def new_cloud_config(
    organisation_id: str, name: str, target: BucketTarget, at: datetime, by: Actor | None
) -> CloudDeliveryConfig:
    """A new configuration, every field checked.

    Raises:
        ValidationFailed: naming each invalid field (``name``, ``bucket``, ``prefix``, ...).
    """
    found: list[FieldError] = []
    clean = name.strip()
    found.extend(config_name_problems(clean))
    found.extend(
        FieldError(e.field.removeprefix("target."), e.message, e.hint)
        for e in target.problems("target")
    )
    if found:
        raise ValidationFailed.of(found)
    return CloudDeliveryConfig(new_id(), organisation_id, clean, target, at, by)


def config_name_problems(name: str) -> list[FieldError]:
    """A configuration name that is not 1-100 letters, digits, spaces, ``.``, ``-``, ``_``."""
    if name and len(name) <= MAX_CONFIG_NAME and _NAME.fullmatch(name):
        return []
    return [
        FieldError(
            "name",
            f"must be 1-{MAX_CONFIG_NAME} letters, digits, spaces, dots, hyphens or "
            "underscores, starting with a letter or digit",
        )
    ]
