"""The tasking backend port: what the platform asks a ground segment, and what it answers.

A provider plugs its own mission planning in by implementing :class:`TaskingBackend`;
the sandbox uses the constellation simulator (``skyorder.sim.backend``). The platform
hands over tasking requests (one per item occurrence, with the attempts already made)
and the satellite time already booked; the backend answers the next attempt for each
strip of each request that still needs one, and later whether an attempt collected its
imagery or failed, and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from shapely.geometry.base import BaseGeometry

from skyorder.core.orders import Priority


@dataclass(frozen=True)
class PastAttempt:
    """An attempt already made (or scheduled) for one strip of a request.

    Attributes:
        strip: Index of the strip of the AOI it images.
        start: When it starts.
        collected: True once it collected its imagery, False if it failed, None while it
            is still to come.
    """

    strip: int
    start: datetime
    collected: bool | None


@dataclass(frozen=True)
class TaskingRequest:
    """What one tasking item occurrence asks of the ground segment.

    Attributes:
        item_id: The order item.
        aoi: Point, Polygon or MultiPolygon (lon/lat, WGS84).
        start: Start of the occurrence window.
        end: End of the occurrence window.
        priority: Rush requests win contended satellite time.
        max_off_nadir: Largest off-nadir angle in degrees (None: the sensor's own).
        min_off_nadir: Smallest off-nadir angle in degrees over the strip (None: any).
        min_sun_elevation: Lowest Sun elevation in degrees (None: the sensor's own).
        max_cloud: Largest acceptable cloud cover, percent (None: any).
        revisit: Revisit period: at most one attempt per strip per period (None: the
            whole window is one period and failed strips are retried at once).
        sensors: Sensors allowed (by name; None: all).
        history: Attempts already made or scheduled for this window.
    """

    item_id: str
    aoi: BaseGeometry
    start: datetime
    end: datetime
    priority: Priority = Priority.STANDARD
    max_off_nadir: float | None = None
    min_sun_elevation: float | None = None
    max_cloud: float | None = None
    min_off_nadir: float | None = None
    revisit: timedelta | None = None
    sensors: frozenset[str] | None = None
    history: tuple[PastAttempt, ...] = ()


@dataclass(frozen=True)
class Booking:
    """Satellite time already taken by a scheduled capture (of any customer).

    Attributes:
        capture_id: The capture holding the time.
        satellite: The satellite.
        start: Start of the capture.
        end: End of the capture.
        off_nadir: Pointing angle during it, degrees.
        priority: Its item's priority (a rush request may displace a standard booking).
    """

    capture_id: str
    satellite: str
    start: datetime
    end: datetime
    off_nadir: float
    priority: Priority


@dataclass(frozen=True)
class PlannedAttempt:
    """One capture attempt: a satellite imaging one strip of a request's AOI.

    Attributes:
        item_id: The order item it serves.
        strip: Index of the strip of the AOI (0 when the AOI fits one swath).
        strips: How many strips cover the AOI.
        satellite: The satellite.
        start: Start of the acquisition.
        end: End of the acquisition.
        footprint: GeoJSON Polygon of the strip imaged.
        ground_track: GeoJSON LineString of the sub-satellite track, altitude in metres as
            the third coordinate.
        min_off_nadir: Smallest absolute off-nadir angle over the strip, degrees.
        max_off_nadir: Largest absolute off-nadir angle over the strip, degrees.
        min_sun_elevation: Lowest Sun elevation during the acquisition, degrees.
        max_sun_elevation: Highest Sun elevation during the acquisition, degrees.
        priority: The request's priority.
        max_cloud: The request's cloud limit, percent (None: any).
        displaces: Captures whose satellite time this attempt takes (they fail with a
            conflict and are planned again).
    """

    item_id: str
    strip: int
    strips: int
    satellite: str
    start: datetime
    end: datetime
    footprint: dict[str, Any]
    ground_track: dict[str, Any]
    min_off_nadir: float
    max_off_nadir: float
    min_sun_elevation: float
    max_sun_elevation: float
    priority: Priority = Priority.STANDARD
    max_cloud: float | None = None
    displaces: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Collected:
    """The attempt collected its imagery."""

    cloud_cover: float | None = None  # percent


@dataclass(frozen=True)
class Failed:
    """The attempt failed; ``reason`` says why in words a customer understands."""

    reason: str
    cloud_cover: float | None = None  # percent, when the sky was measured


Outcome = Collected | Failed


class TaskingBackend(Protocol):
    """The port a provider's mission planning plugs into."""

    def plan(
        self,
        requests: Sequence[TaskingRequest],
        now: datetime,
        booked: Sequence[Booking] = (),
    ) -> list[PlannedAttempt]:
        """The next attempt for each strip of each request that needs one.

        A strip needs an attempt while it has none to come, and (with a revisit period)
        a revisit period without an attempt is left, or (without) it is not collected.
        Attempts start after ``now``, within the request's window, and never overlap
        ``booked`` satellite time, unless they ``displace`` it.
        """
        ...

    def outcome(self, attempt: PlannedAttempt, at: datetime) -> Outcome:
        """Whether ``attempt`` collected its imagery, decided at ``at``."""
        ...
