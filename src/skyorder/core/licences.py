"""Licences: what a product requires its buyer to accept, and what an order records.

A product (the seller of a collection's scenes, or of new captures) declares the
licences its data come under, each a name, a version and a link to its text. An
order is placed only when the caller accepts every licence required by every
product it buys; the accepted licences are kept on the order with who accepted
them and when, so that the provider can later show which terms a customer agreed
to. A licence is matched by its name (case and surrounding spaces ignored) and
its exact version; the link is informative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.users import Actor

MAX_LICENCES = 20
MAX_TEXT = 500
FIELD = "licences"


@dataclass(frozen=True)
class Licence:
    """A licence a product's data come under."""

    name: str
    version: str
    link: str = ""

    def matches(self, name: str, version: str) -> bool:
        """Whether ``name`` and ``version`` designate this licence."""
        return _key(self.name) == _key(name) and self.version.strip() == version.strip()

    def describe(self) -> str:
        """How errors name the licence: ``'EULA' version 1.0 (https://…)``."""
        link = f" ({self.link})" if self.link else ""
        return f"{self.name!r} version {self.version}{link}"

    def to_json(self) -> dict[str, str]:
        """The stored and rendered form."""
        return {"name": self.name, "version": self.version, "link": self.link}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Licence:
        """The inverse of ``to_json``."""
        return cls(str(data["name"]), str(data.get("version", "")), str(data.get("link", "")))


@dataclass(frozen=True)
class LicenceAcceptance:
    """A licence as a caller sends it with an order: accepted or not."""

    name: str
    version: str
    link: str = ""
    accepted: bool = True


@dataclass(frozen=True)
class AcceptedLicence:
    """A licence accepted with an order: which one, which version, by whom and when."""

    name: str
    version: str
    link: str
    accepted_by: Actor | None
    accepted_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The stored form (the time as ISO 8601)."""
        by = self.accepted_by
        return {
            "name": self.name,
            "version": self.version,
            "link": self.link,
            "accepted_by": by.client_id if by else None,
            "accepted_by_user_id": by.user_id if by else None,
            "accepted_by_email": by.email if by else None,
            "accepted_at": self.accepted_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AcceptedLicence:
        """The inverse of ``to_json``."""
        return cls(
            name=data["name"],
            version=data["version"],
            link=data.get("link", ""),
            accepted_by=Actor.of(
                data.get("accepted_by"),
                data.get("accepted_by_user_id"),
                data.get("accepted_by_email"),
            ),
            accepted_at=datetime.fromisoformat(data["accepted_at"]),
        )


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _shape_problems(offered: Sequence[LicenceAcceptance]) -> list[FieldError]:
    problems: list[FieldError] = []
    if len(offered) > MAX_LICENCES:
        problems.append(FieldError(FIELD, f"at most {MAX_LICENCES} licences may be sent"))
    for i, lic in enumerate(offered[:MAX_LICENCES]):
        for part, value in (("name", lic.name), ("version", lic.version), ("link", lic.link)):
            if len(value) > MAX_TEXT:
                problems.append(
                    FieldError(f"{FIELD}[{i}].{part}", f"must be at most {MAX_TEXT} characters")
                )
        if not lic.name.strip():
            problems.append(FieldError(f"{FIELD}[{i}].name", "must not be empty"))
    return problems


def accept_licences(
    required: Iterable[tuple[str, Licence]],
    offered: Sequence[LicenceAcceptance],
    by: Actor | None,
    at: datetime,
) -> tuple[AcceptedLicence, ...]:
    """The licences an order records, once every required one is accepted.

    ``required`` pairs each product's SKU with a licence it requires. Every
    accepted licence the caller sent is recorded, each once, in the order sent.

    Raises:
        ValidationFailed: on ``licences``, naming each required licence not accepted
            (and the product requiring it), or a malformed entry.
    """
    problems = _shape_problems(offered)
    accepted = [lic for lic in offered if lic.accepted]
    missing: dict[Licence, list[str]] = {}
    for sku, licence in required:
        if not any(licence.matches(lic.name, lic.version) for lic in accepted):
            missing.setdefault(licence, []).append(sku)
    for licence, skus in missing.items():
        refused = any(
            licence.matches(lic.name, lic.version) and not lic.accepted for lic in offered
        )
        verb = "was refused" if refused else "must be accepted"
        problems.append(
            FieldError(
                FIELD,
                f"licence {licence.describe()} {verb}: {', '.join(dict.fromkeys(skus))} "
                "requires it; send it with accepted: true",
            )
        )
    if problems:
        raise ValidationFailed.of(problems)
    return kept_licences(offered, by, at)


def kept_licences(
    offered: Sequence[LicenceAcceptance], by: Actor | None, at: datetime
) -> tuple[AcceptedLicence, ...]:
    """The accepted licences among ``offered``, each once, in the order sent (a draft keeps
    these whatever is still missing; malformed entries are left out)."""
    kept: dict[tuple[str, str], AcceptedLicence] = {}
    for lic in offered[:MAX_LICENCES]:
        if not lic.accepted or not lic.name.strip() or _shape_problems([lic]):
            continue
        key = (_key(lic.name), lic.version.strip())
        if key not in kept:
            kept[key] = AcceptedLicence(
                lic.name.strip(), lic.version.strip(), lic.link.strip(), by, at
            )
    return tuple(kept.values())


def as_acceptances(kept: Iterable[AcceptedLicence]) -> tuple[LicenceAcceptance, ...]:
    """Licences recorded as accepted (a draft's), as a caller would send them again."""
    return tuple(LicenceAcceptance(lic.name, lic.version, lic.link, True) for lic in kept)


def merge_licences(
    first: Iterable[AcceptedLicence], then: Iterable[AcceptedLicence]
) -> tuple[AcceptedLicence, ...]:
    """``first`` followed by those of ``then`` it lacks (the earlier acceptance is kept)."""
    kept: dict[tuple[str, str], AcceptedLicence] = {}
    for lic in (*first, *then):
        kept.setdefault((_key(lic.name), lic.version.strip()), lic)
    return tuple(kept.values())
