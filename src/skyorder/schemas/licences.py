"""Licences on the wire: what products require, what an order accepts and records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from skyorder.core.licences import MAX_TEXT, AcceptedLicence, Licence, LicenceAcceptance


class LicenceOut(BaseModel):
    """A licence a product requires its buyer to accept."""

    name: str
    version: str
    link: str

    @classmethod
    def of(cls, licence: Licence) -> LicenceOut:
        """Render a required licence."""
        return cls(name=licence.name, version=licence.version, link=licence.link)


class LicenceIn(BaseModel):
    """A licence accepted with an order (``GET /v1/products`` lists each product's)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=MAX_TEXT)
    version: str = Field(max_length=MAX_TEXT)
    link: str = Field("", max_length=MAX_TEXT)
    accepted: bool = True

    def to_core(self) -> LicenceAcceptance:
        """The core's view of this acceptance."""
        return LicenceAcceptance(self.name, self.version, self.link, self.accepted)


class AcceptedLicenceOut(BaseModel):
    """A licence accepted with an order: which, which version, by whom, when."""

    name: str
    version: str
    link: str
    accepted_by: str | None
    accepted_by_email: str | None
    accepted_at: datetime


def accepted_licence_json(licence: AcceptedLicence) -> dict[str, Any]:
    """``AcceptedLicenceOut`` of a recorded licence, as a JSON-ready dict (datetimes kept)."""
    by = licence.accepted_by
    return {
        "name": licence.name,
        "version": licence.version,
        "link": licence.link,
        "accepted_by": by.client_id if by else None,
        "accepted_by_email": by.email if by else None,
        "accepted_at": licence.accepted_at,
    }
