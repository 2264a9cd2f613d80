"""Feasibility: how likely a tasking request is to be captured, and why.

The verdict comes from the passes that can image the AOI in the window (found by the
orbital engine, within each sensor's own limits) and a cloud outlook:

- no pass at all: FAILED, "no access in the window";
- passes, but none within the request's off-nadir limit: FAILED, "constraints too tight:
  nearest pass needs 34.2° off-nadir, limit 30°";
- otherwise the chance that at least one pass within the limits is clear enough. A pass's
  cloud fraction is taken as a Beta(1, b) variable whose mean is the outlook's expected
  cloud, so the chance it meets a limit ``m`` is ``1 - (1 - m) ** b``. Passes on the same
  UTC day see the same weather (the best of them counts); days are independent. At least
  ``SUCCESS_CHANCE`` is SUCCESS, at least ``WEAK_SUCCESS_CHANCE`` WEAK_SUCCESS, less is
  FAILED, "expected cloud too high for the window: 71% vs max 20%".

Pure: no I/O, no orbital engine; the services convert access windows to ``Pass``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from skyorder.core.orders import FeasibilityStatus

SUCCESS_CHANCE = 0.8
WEAK_SUCCESS_CHANCE = 0.3
HORIZON = timedelta(days=60)
_MIN_CLOUD = 1e-6


class CloudOutlook(Protocol):
    """Expected cloud fraction (0..1) at a place and time: a climatology or a forecast."""

    def expected_cloud(self, lat: float, lon: float, at: datetime) -> float:
        """The expected cloud fraction at ``lat``, ``lon`` (degrees) at ``at``."""
        ...


@dataclass(frozen=True)
class Pass:
    """One chance for a satellite to image the AOI.

    Attributes:
        satellite: The satellite's name.
        start: When the AOI comes within reach.
        end: When it leaves it.
        at: The time of closest approach (when the cloud matters).
        off_nadir_deg: The smallest off-nadir angle at which the pass sees the AOI.
    """

    satellite: str
    start: datetime
    end: datetime
    at: datetime
    off_nadir_deg: float


@dataclass(frozen=True)
class Limits:
    """What the request allows.

    Attributes:
        max_off_nadir_deg: Largest off-nadir angle; None for the sensor's own limit.
        max_cloud_cover_pct: Largest cloud cover in percent; None for any.
        min_off_nadir_deg: Smallest off-nadir angle (oblique views); None for any.
    """

    max_off_nadir_deg: float | None = None
    max_cloud_cover_pct: float | None = None
    min_off_nadir_deg: float | None = None

    def admits(self, off_nadir_deg: float) -> bool:
        """Whether a pass seeing the AOI at ``off_nadir_deg`` at best is within the limits."""
        below = self.max_off_nadir_deg is None or off_nadir_deg <= self.max_off_nadir_deg
        above = self.min_off_nadir_deg is None or off_nadir_deg >= self.min_off_nadir_deg
        return below and above


@dataclass(frozen=True)
class PassOutlook:
    """A pass as the verdict saw it.

    Attributes:
        pass_: The pass.
        within_limits: Whether its off-nadir angle is within the request's limit.
        expected_cloud: The outlook's expected cloud fraction (0..1) at its time.
        clear_chance: The chance its cloud cover meets the request's limit (0..1).
    """

    pass_: Pass
    within_limits: bool
    expected_cloud: float
    clear_chance: float


@dataclass(frozen=True)
class Feasibility:
    """A verdict, why, and what it was based on.

    Attributes:
        status: SUCCESS, WEAK_SUCCESS or FAILED.
        reason: One sentence a person can act on.
        chance: Chance that at least one pass within the limits is clear enough (0..1).
        passes: Every pass considered, in time order.
    """

    status: FeasibilityStatus
    reason: str
    chance: float
    passes: tuple[PassOutlook, ...]


def search_span(
    window_start: datetime, window_end: datetime, now: datetime, horizon: timedelta = HORIZON
) -> tuple[datetime, datetime] | None:
    """The part of a request's window worth searching: from now on, at most ``horizon``.

    None when the window has ended.
    """
    start = max(window_start, now)
    if start >= window_end:
        return None
    return start, min(window_end, start + horizon)


def clear_chance(expected_cloud: float, max_cloud_cover_pct: float | None) -> float:
    """Chance that a pass with this expected cloud fraction meets the cloud limit."""
    if max_cloud_cover_pct is None or max_cloud_cover_pct >= 100:
        return 1.0
    limit = max(0.0, max_cloud_cover_pct / 100.0)
    mean = min(1.0, max(_MIN_CLOUD, expected_cloud))
    if mean >= 1.0:
        return 0.0
    exponent = 1.0 / mean - 1.0
    return 1.0 - math.pow(1.0 - limit, exponent)


def _cloud(outlook: CloudOutlook, lat: float, lon: float, at: datetime) -> float:
    value = float(outlook.expected_cloud(lat, lon, at))
    return 0.0 if math.isnan(value) else min(1.0, max(0.0, value))


def _pct(fraction: float) -> str:
    percent = round(fraction * 100)
    if fraction < 1.0 and percent == 100:
        return ">99%"
    if fraction > 0.0 and percent == 0:
        return "<1%"
    return f"{percent}%"


def _deg(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") + "°"


def assess(
    passes: Sequence[Pass],
    limits: Limits,
    outlook: CloudOutlook,
    where: tuple[float, float],
) -> Feasibility:
    """Decide how feasible a request is from its passes and the cloud outlook.

    Args:
        passes: Every pass within the sensor's own limits, in any order.
        limits: The request's off-nadir and cloud limits.
        outlook: Expected cloud at the AOI.
        where: The AOI's reference point, (lat, lon) in degrees.
    """
    lat, lon = where
    ordered = sorted(passes, key=lambda p: (p.start, p.satellite))
    seen: list[PassOutlook] = []
    for p in ordered:
        within = limits.admits(p.off_nadir_deg)
        cloud = _cloud(outlook, lat, lon, p.at)
        chance = clear_chance(cloud, limits.max_cloud_cover_pct) if within else 0.0
        seen.append(PassOutlook(p, within, cloud, chance))
    considered = tuple(seen)
    if not considered:
        return Feasibility(FeasibilityStatus.FAILED, "no access in the window", 0.0, considered)
    eligible = [s for s in considered if s.within_limits]
    if not eligible:
        nearest = min(s.pass_.off_nadir_deg for s in considered)
        if limits.min_off_nadir_deg is not None and (
            limits.max_off_nadir_deg is None or nearest <= limits.max_off_nadir_deg
        ):
            widest = max(s.pass_.off_nadir_deg for s in considered)
            reason = (
                f"constraints too tight: passes see the AOI at {_deg(nearest)} to {_deg(widest)} "
                f"off-nadir, limits {limits.min_off_nadir_deg:g}° to "
                f"{limits.max_off_nadir_deg or 90:g}°"
            )
            return Feasibility(FeasibilityStatus.FAILED, reason, 0.0, considered)
        assert limits.max_off_nadir_deg is not None
        reason = (
            f"constraints too tight: nearest pass needs {_deg(nearest)} off-nadir, "
            f"limit {limits.max_off_nadir_deg:g}°"
        )
        return Feasibility(FeasibilityStatus.FAILED, reason, 0.0, considered)
    best_by_day: dict[date, float] = {}
    for s in eligible:
        day = s.pass_.at.date()
        best_by_day[day] = max(best_by_day.get(day, 0.0), s.clear_chance)
    chance = 1.0 - math.prod(1.0 - c for c in best_by_day.values())
    mean_cloud = sum(s.expected_cloud for s in eligible) / len(eligible)
    count = f"{len(eligible)} pass{'es' if len(eligible) != 1 else ''} within limits"
    if limits.max_cloud_cover_pct is None or limits.max_cloud_cover_pct >= 100:
        return Feasibility(FeasibilityStatus.SUCCESS, f"{count}, no cloud limit", 1.0, considered)
    max_cloud = f"{limits.max_cloud_cover_pct:g}%"
    if chance < WEAK_SUCCESS_CHANCE:
        reason = (
            f"expected cloud too high for the window: {_pct(mean_cloud)} vs max {max_cloud} "
            f"({_pct(chance)} chance of a clear enough pass among {count})"
        )
        return Feasibility(FeasibilityStatus.FAILED, reason, chance, considered)
    status = (
        FeasibilityStatus.SUCCESS if chance >= SUCCESS_CHANCE else FeasibilityStatus.WEAK_SUCCESS
    )
    reason = (
        f"{count}; {_pct(chance)} chance that one has at most {max_cloud} cloud "
        f"(expected {_pct(mean_cloud)})"
    )
    return Feasibility(status, reason, chance, considered)


@dataclass(frozen=True)
class Checked:
    """A feasibility verdict with when it was made and over which span."""

    feasibility: Feasibility
    checked_at: datetime
    span: tuple[datetime, datetime] | None
