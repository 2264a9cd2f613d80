"""An in-memory tasking backend: predictable attempts and scripted outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from skyorder.core.mission import (
    Booking,
    Collected,
    Outcome,
    PlannedAttempt,
    TaskingRequest,
)
from skyorder.sim.planner import open_needs

TRACK = {"type": "LineString", "coordinates": [[0.0, -1.0, 500_000.0], [0.0, 1.0, 500_000.0]]}


class FakeTaskingBackend:
    """Each needy strip gets an attempt at the next ``hour`` o'clock UTC in an open slot.

    Outcomes are taken from ``outcomes`` in order, then Collected. Every plan and
    outcome is recorded.
    """

    def __init__(self, outcomes: Sequence[Outcome] = (), hour: int = 10) -> None:
        self.outcomes = list(outcomes)
        self.hour = hour
        self.planned: list[PlannedAttempt] = []
        self.decided: list[tuple[PlannedAttempt, Outcome]] = []

    def _next_time(self, after: datetime) -> datetime:
        candidate = datetime.combine(after.date(), time(self.hour), after.tzinfo)
        return candidate if candidate > after else candidate + timedelta(days=1)

    def plan(
        self, requests: Sequence[TaskingRequest], now: datetime, booked: Sequence[Booking] = ()
    ) -> list[PlannedAttempt]:
        out = []
        for request in requests:
            for need in open_needs(request, [request.aoi], now):
                start = self._next_time(max(now, need.open_slots[0].start))
                while start < request.end and not any(
                    s.start <= start < s.end for s in need.open_slots
                ):
                    start += timedelta(days=1)
                if start + timedelta(seconds=10) > request.end:
                    continue
                c = request.aoi.centroid
                out.append(
                    PlannedAttempt(
                        item_id=request.item_id,
                        strip=need.strip,
                        strips=need.strips,
                        satellite="FAKE-1",
                        start=start,
                        end=start + timedelta(seconds=10),
                        footprint={"type": "Point", "coordinates": [c.x, c.y]},
                        ground_track=TRACK,
                        min_off_nadir=10.0,
                        max_off_nadir=11.0,
                        min_sun_elevation=40.0,
                        max_sun_elevation=40.1,
                        priority=request.priority,
                        max_cloud=request.max_cloud,
                    )
                )
        self.planned.extend(out)
        return out

    def outcome(self, attempt: PlannedAttempt, at: datetime) -> Outcome:
        outcome = self.outcomes.pop(0) if self.outcomes else Collected(cloud_cover=5.0)
        self.decided.append((attempt, outcome))
        return outcome
