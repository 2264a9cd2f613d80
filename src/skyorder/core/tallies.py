"""Day tallies of orders: exact counts of long order lists without walking every match.

An organisation's orders are tallied per contract, status and UTC day, once by the day
they were created and once by the day they were last updated. A list filtered only by
status and one of those times is then counted from the tallies of the whole days its
time range covers, plus an exact count of the orders in its partial first and last days.
Any other filter is counted the plain way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from skyorder.core.listing import Condition, ListQuery, Op

TALLIED_TIMES = ("created_at", "updated_at")
"""The order times that have day tallies (a tally's ``field``)."""


@dataclass(frozen=True, order=True)
class TallyKey:
    """One tally: orders of a contract in a status, on a UTC day of one of their times."""

    organisation_id: str
    contract_id: str
    field: str
    status: str
    day: date


@dataclass(frozen=True)
class TalliedState:
    """What an order's tallies depend on."""

    organisation_id: str
    contract_id: str
    status: str
    created_at: datetime
    updated_at: datetime

    def keys(self) -> tuple[TallyKey, TallyKey]:
        """The two tallies this order counts in."""
        return (
            TallyKey(
                self.organisation_id, self.contract_id, "created_at", self.status,
                utc_day(self.created_at),
            ),
            TallyKey(
                self.organisation_id, self.contract_id, "updated_at", self.status,
                utc_day(self.updated_at),
            ),
        )  # fmt: skip


def utc_day(moment: datetime) -> date:
    """The UTC calendar day of an aware datetime."""
    return moment.astimezone(UTC).date()


def midnight(day: date) -> datetime:
    """The first instant of a UTC day."""
    return datetime.combine(day, time(), tzinfo=UTC)


def tally_changes(before: TalliedState | None, after: TalliedState) -> dict[TallyKey, int]:
    """How an order's creation (``before`` is None) or change moves the tallies."""
    changes: dict[TallyKey, int] = {}
    if before is not None:
        for key in before.keys():
            changes[key] = changes.get(key, 0) - 1
    for key in after.keys():
        changes[key] = changes.get(key, 0) + 1
    return {key: n for key, n in changes.items() if n}


@dataclass(frozen=True)
class TallyCount:
    """How to count a list from tallies.

    The total is the sum of the tallies of ``field`` for ``statuses`` (all when None)
    on the days strictly after ``after_day`` and strictly before ``before_day`` (either
    open), plus the orders counted exactly on the partial days: those meeting ``lower``
    before midnight ending ``after_day``, and those meeting ``upper`` from the midnight
    starting ``before_day``.
    """

    field: str
    statuses: tuple[str, ...] | None
    lower: Condition | None
    upper: Condition | None

    @property
    def after_day(self) -> date | None:
        """Tallies are summed for days after this one (it is counted exactly)."""
        return utc_day(self._moment(self.lower)) if self.lower is not None else None

    @property
    def before_day(self) -> date | None:
        """Tallies are summed for days before this one (it is counted exactly)."""
        return utc_day(self._moment(self.upper)) if self.upper is not None else None

    @property
    def first_whole_day_start(self) -> datetime | None:
        """Where the exact count of the first, partial day ends."""
        day = self.after_day
        return midnight(day + timedelta(days=1)) if day is not None else None

    @property
    def last_day_start(self) -> datetime | None:
        """Where the exact count of the last, partial day starts."""
        day = self.before_day
        return midnight(day) if day is not None else None

    @staticmethod
    def _moment(cond: Condition) -> datetime:
        assert isinstance(cond.value, datetime)
        return cond.value


def plan_tally_count(query: ListQuery, status_field: str = "status") -> TallyCount | None:
    """A tally count for ``query``, or None when only a plain count can answer it.

    Tallies answer lists filtered by status (one or several) and by at most one
    lower and one upper bound on one tallied time that fall on different days.
    """
    if query.bbox is not None:
        return None
    statuses: tuple[str, ...] | None = None
    field: str | None = None
    lower: Condition | None = None
    upper: Condition | None = None
    for cond in query.conditions:
        if cond.field == status_field and statuses is None:
            if cond.op is Op.EQ and isinstance(cond.value, str):
                statuses = (cond.value,)
            elif cond.op is Op.IN and isinstance(cond.value, tuple):
                statuses = cond.value
            else:
                return None
        elif cond.field in TALLIED_TIMES and field in (cond.field, None):
            field = cond.field
            if cond.op in (Op.GT, Op.GTE) and lower is None:
                lower = cond
            elif cond.op in (Op.LT, Op.LTE) and upper is None:
                upper = cond
            else:
                return None
        else:
            return None
    plan = TallyCount(field or "created_at", statuses, lower, upper)
    after, before = plan.after_day, plan.before_day
    if after is not None and before is not None and before <= after + timedelta(days=1):
        return None  # no whole day between the bounds: the plain count reads as little
    return plan
