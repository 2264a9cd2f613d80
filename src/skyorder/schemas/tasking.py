"""Satellites, opportunities and feasibility verdicts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from skyorder.core.feasibility import Checked, PassOutlook
from skyorder.core.geometry import to_geojson
from skyorder.core.opportunities import MAX_NAMES, Opportunity, OpportunityRequest, PassDirection
from skyorder.core.satellites import Band, MeanElements, Satellite, Sensor
from skyorder.schemas.orders import TaskingItemIn

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


class BandOut(BaseModel):
    """A spectral band."""

    name: str
    min_nm: float
    max_nm: float
    gsd_m: float

    @classmethod
    def of(cls, band: Band) -> BandOut:
        """Render a band."""
        return cls(name=band.name, min_nm=band.min_nm, max_nm=band.max_nm, gsd_m=band.gsd_m)


class SensorOut(BaseModel):
    """An imaging instrument and its acquisition limits."""

    type: str = Field(description="The sensor's name, as products and searches use it")
    swath_km: float
    gsd_m: float = Field(description="Finest ground sample distance at nadir")
    bands: list[BandOut]
    max_off_nadir: float = Field(description="Largest pointing angle, degrees")
    min_sun_elevation: float = Field(description="Lowest usable Sun elevation, degrees")

    @classmethod
    def of(cls, sensor: Sensor) -> SensorOut:
        """Render a sensor."""
        return cls(
            type=sensor.name,
            swath_km=sensor.swath_km,
            gsd_m=sensor.gsd_m,
            bands=[BandOut.of(b) for b in sensor.bands],
            max_off_nadir=sensor.max_off_nadir_deg,
            min_sun_elevation=sensor.min_sun_elevation_deg,
        )


class TleOut(BaseModel):
    """The satellite's current two-line element set."""

    line1: str
    line2: str
    epoch: datetime


class OrbitOut(BaseModel):
    """The mean orbit the TLE describes."""

    altitude_km: float = Field(description="Mean height above the equatorial radius")
    perigee_km: float
    apogee_km: float
    inclination_deg: float
    eccentricity: float
    period_min: float


class SatelliteOut(BaseModel):
    """A satellite that can be tasked (or one that cannot, with its status)."""

    id: str = Field(description="The satellite's name; also accepted: its NORAD id")
    norad_id: int
    status: str
    sensor: SensorOut
    tle: TleOut
    orbit: OrbitOut

    @classmethod
    def of(cls, sat: Satellite, elements: MeanElements) -> SatelliteOut:
        """Render a satellite with its TLE's mean elements (the orbital engine reads them)."""
        return cls(
            id=sat.name,
            norad_id=sat.norad_id,
            status=sat.status.value,
            sensor=SensorOut.of(sat.sensor),
            tle=TleOut(line1=sat.tle_line1, line2=sat.tle_line2, epoch=elements.epoch),
            orbit=OrbitOut(
                altitude_km=round(elements.altitude_km, 3),
                perigee_km=round(elements.perigee_km, 3),
                apogee_km=round(elements.apogee_km, 3),
                inclination_deg=round(elements.inclination_deg, 4),
                eccentricity=elements.eccentricity,
                period_min=round(elements.period_min, 3),
            ),
        )


class SatelliteList(BaseModel):
    """Every satellite of the constellation."""

    constellation: str
    count: int
    results: list[SatelliteOut]


class OpportunitySearchIn(BaseModel):
    """When can the constellation image this AOI?"""

    model_config = ConfigDict(extra="forbid")

    aoi: dict[str, Any] = Field(description="GeoJSON Point, Polygon or MultiPolygon")
    start: AwareDatetime
    end: AwareDatetime = Field(description="At most 60 days after start")
    # Ranges are checked with the other rules, so one answer lists every bad field.
    max_off_nadir: float | None = Field(None, description="Degrees, above 0 and below 90")
    min_sun_elevation: float | None = Field(None, description="Degrees, -90 to 90")
    satellites: list[str] | None = Field(None, max_length=MAX_NAMES, description="Names")
    sensors: list[str] | None = Field(None, max_length=MAX_NAMES, description="Sensor types")
    product: str | None = Field(
        None, description="A tasking SKU: its sensor and off-nadir limit apply"
    )

    def to_request(self) -> OpportunityRequest:
        """The core's view of the search."""
        return OpportunityRequest(
            aoi=self.aoi,
            start=self.start,
            end=self.end,
            max_off_nadir=self.max_off_nadir,
            min_sun_elevation=self.min_sun_elevation,
            satellites=tuple(self.satellites) if self.satellites is not None else None,
            sensors=tuple(self.sensors) if self.sensors is not None else None,
            product=self.product,
        )


def _rounded(value: Any, digits: int) -> Any:
    if isinstance(value, list):
        # Positions: lon/lat to ~1 cm, a third coordinate (metres) to 1 m.
        if value and all(isinstance(v, float) for v in value):
            return [round(v, digits if i < 2 else 0) for i, v in enumerate(value)]
        return [_rounded(v, digits) for v in value]
    return value


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    """A geometry as GeoJSON with coordinates rounded for the wire."""
    mapping = to_geojson(geom)
    mapping["coordinates"] = _rounded(mapping["coordinates"], 7)
    return mapping


class OpportunityOut(BaseModel):
    """One access window: a satellite can image (part of) the AOI from start to end.

    Angles are in degrees, seen from the AOI at the time of closest approach (``tca``).
    """

    satellite: str
    sensor: str
    start: datetime
    end: datetime
    tca: datetime
    off_nadir_min: float
    off_nadir_max: float
    incidence_angle: float
    view_azimuth: float
    sun_elevation: float
    sun_azimuth: float
    direction: PassDirection
    altitude_km: float
    expected_cloud_cover: float = Field(description="Percent, from the cloud outlook")
    ground_track: dict[str, Any] = Field(description="LineString; third coordinate: metres")
    footprint: dict[str, Any]

    @classmethod
    def of(cls, found: Opportunity) -> OpportunityOut:
        """Render an opportunity."""
        w = found.window
        return cls(
            satellite=w.satellite.name,
            sensor=w.satellite.sensor.name,
            start=w.start,
            end=w.end,
            tca=w.tca,
            off_nadir_min=round(w.off_nadir_min_deg, 3),
            off_nadir_max=round(w.off_nadir_max_deg, 3),
            incidence_angle=round(w.incidence_deg, 3),
            view_azimuth=round(w.view_azimuth_deg, 3),
            sun_elevation=round(w.sun_elevation_deg, 3),
            sun_azimuth=round(w.sun_azimuth_deg, 3),
            direction=w.direction,
            altitude_km=round(w.altitude_km, 3),
            expected_cloud_cover=round(found.expected_cloud * 100, 1),
            ground_track=geometry_json(w.ground_track),
            footprint=geometry_json(w.footprint),
        )


class OpportunityList(BaseModel):
    """Every access window of a search, in time order."""

    count: int
    results: list[OpportunityOut]


class FeasibilityIn(TaskingItemIn):
    """A tasking item to judge, as it would be ordered (``kind`` may be left out)."""

    kind: Literal["tasking"] = "tasking"


class ConsideredWindow(BaseModel):
    """A pass the verdict considered."""

    satellite: str
    start: datetime
    end: datetime
    tca: datetime
    off_nadir: float = Field(description="Smallest off-nadir angle over the AOI, degrees")
    within_limits: bool = Field(description="Whether the off-nadir angle is within the limit")
    expected_cloud_cover: float = Field(description="Percent, from the cloud outlook")
    clear_chance: float = Field(description="Chance this pass meets the cloud limit, 0..1")

    @classmethod
    def of(cls, seen: PassOutlook) -> ConsideredWindow:
        """Render a considered pass."""
        p = seen.pass_
        return cls(
            satellite=p.satellite,
            start=p.start,
            end=p.end,
            tca=p.at,
            off_nadir=round(p.off_nadir_deg, 3),
            within_limits=seen.within_limits,
            expected_cloud_cover=round(seen.expected_cloud * 100, 1),
            clear_chance=round(seen.clear_chance, 4),
        )


class SpanOut(BaseModel):
    """The part of the window searched: from now (or its start), at most 60 days."""

    start: datetime
    end: datetime


class FeasibilityOut(BaseModel):
    """A feasibility verdict: SUCCESS, WEAK_SUCCESS or FAILED, and why."""

    feasibility_status: str
    reason: str
    chance: float = Field(description="Chance that one pass within the limits is clear enough")
    checked_at: datetime
    considered: SpanOut | None = Field(description="What was searched; null: the window ended")
    windows: list[ConsideredWindow]
    order_id: str | None = None
    item_id: str | None = None

    @classmethod
    def of(
        cls, checked: Checked, order_id: str | None = None, item_id: str | None = None
    ) -> FeasibilityOut:
        """Render a verdict."""
        verdict = checked.feasibility
        span = checked.span
        return cls(
            feasibility_status=verdict.status.value,
            reason=verdict.reason,
            chance=round(verdict.chance, 4),
            checked_at=checked.checked_at,
            considered=SpanOut(start=span[0], end=span[1]) if span else None,
            windows=[ConsideredWindow.of(p) for p in verdict.passes],
            order_id=order_id,
            item_id=item_id,
        )
