"""The simulated ground segment: the sandbox's tasking backend.

Plans attempts with :class:`~skyorder.sim.planner.MissionPlanner` on the constellation
and decides each attempt's outcome: a small seeded share of attempts fail with a
satellite anomaly; the others see the cloud cover the weather (``sim.weather``) realises
over their footprint at their start, and fail when it is above the request's maximum.
Outcomes are pure functions of the seed and the attempt, so a replayed step gives the
same answer.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from datetime import datetime

from shapely.geometry import shape

from skyorder.core.mission import (
    Booking,
    Collected,
    Failed,
    Outcome,
    PlannedAttempt,
    TaskingRequest,
)
from skyorder.orbits.constellation import Constellation
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.sim.planner import MissionPlanner
from skyorder.sim.weather import CloudField

DEFAULT_ANOMALY_RATE = 0.02


def _uniform(*parts: object) -> float:
    """A stable uniform number in [0, 1) drawn from ``parts``."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


class SimulatedBackend:
    """Mission planning and outcomes for a simulated constellation (thread-safe)."""

    def __init__(
        self,
        constellation: Constellation,
        weather: CloudField,
        *,
        cache: EphemerisCache | None = None,
        anomaly_rate: float = DEFAULT_ANOMALY_RATE,
        seed: int = 0,
    ) -> None:
        if not 0.0 <= anomaly_rate <= 1.0:
            raise ValueError("anomaly_rate must be between 0 and 1")
        self.planner = MissionPlanner(constellation.satellites, cache or EphemerisCache())
        self.weather = weather
        self.anomaly_rate = anomaly_rate
        self.seed = seed
        self._lock = threading.Lock()

    def plan(
        self,
        requests: Sequence[TaskingRequest],
        now: datetime,
        booked: Sequence[Booking] = (),
    ) -> list[PlannedAttempt]:
        """The next attempt of every strip that needs one (see ``sim.planner``)."""
        with self._lock:  # the ephemeris cache is not thread-safe
            return self.planner.plan(requests, now, booked)

    def outcome(self, attempt: PlannedAttempt, at: datetime) -> Outcome:
        """Collected, or failed for an anomaly or for clouds above the maximum."""
        draw = _uniform(self.seed, "anomaly", attempt.satellite, attempt.start.isoformat())
        if draw < self.anomaly_rate:
            return Failed(
                f"satellite anomaly: {attempt.satellite} did not complete the acquisition"
            )
        centre = shape(attempt.footprint).representative_point()
        cloud = round(100.0 * self.weather.cloud_at(centre.y, centre.x, attempt.start), 1)
        if attempt.max_cloud is not None and cloud > attempt.max_cloud:
            return Failed(
                f"cloud cover {cloud:.0f}% above the {attempt.max_cloud:g}% maximum",
                cloud_cover=cloud,
            )
        return Collected(cloud_cover=cloud)
