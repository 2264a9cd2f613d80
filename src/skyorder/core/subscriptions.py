"""km² subscriptions: a contract's quota of square kilometres per period that orders draw from.

OneAtlas sells Pléiades Neo only through such a subscription. An order drawn from a
subscription costs no credits: its billable km² count against the period's quota
instead. An order is covered when every item is an archive product priced per km² and
the period's remaining quota holds its total area; otherwise it is paid as usual.
A cancelled order gives its km² back to the period it was drawn from.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime

from skyorder.core.errors import FieldError, ValidationFailed

MAX_QUOTA_KM2 = 10_000_000.0
MAX_PERIOD_MONTHS = 24


@dataclass(frozen=True)
class Subscription:
    """A quota of ``quota_km2`` per period of ``period_months`` months from ``starts_at``."""

    id: str
    organisation_id: str
    contract_id: str
    quota_km2: float
    period_months: int
    starts_at: datetime
    created_at: datetime
    ends_at: datetime | None = None

    def is_active(self, now: datetime) -> bool:
        """Whether orders may draw from it at ``now``."""
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        """The period ``now`` falls in: its start and its end (exclusive)."""
        start, length = self.starts_at.astimezone(UTC), self.period_months
        k = ((now.year - start.year) * 12 + now.month - start.month) // length
        if _add_months(start, k * length) > now:
            k -= 1
        return _add_months(start, k * length), _add_months(start, (k + 1) * length)


def _add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last))


@dataclass(frozen=True)
class Consumption:
    """A subscription's current period and how much of its quota orders drew."""

    subscription: Subscription
    period_start: datetime
    period_end: datetime
    consumed_km2: float

    @property
    def remaining_km2(self) -> float:
        """What is left of the period's quota."""
        return round(max(0.0, self.subscription.quota_km2 - self.consumed_km2), 6)

    def covers(self, km2: float) -> bool:
        """Whether the rest of the quota holds ``km2``."""
        return km2 <= self.remaining_km2 + 1e-9


def check_terms(quota_km2: float, period_months: int) -> None:
    """Refuse a quota or period outside what a subscription may hold."""
    errors = []
    if not 0 < quota_km2 <= MAX_QUOTA_KM2:
        errors.append(("quota_km2", f"must be more than 0 and at most {MAX_QUOTA_KM2:g} km²"))
    if not 1 <= period_months <= MAX_PERIOD_MONTHS:
        errors.append(("period_months", f"must be between 1 and {MAX_PERIOD_MONTHS} months"))
    if errors:
        raise ValidationFailed.of([FieldError(f, m) for f, m in errors])
