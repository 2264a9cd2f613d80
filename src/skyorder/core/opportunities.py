"""Opportunity searches: the rules a "when can you image this?" request must follow.

A search names an AOI, a time window and optional constraints (off-nadir, Sun, which
satellites, which sensors, or a tasking product whose sensor and off-nadir limit apply).
Every rule is checked before any orbit is computed, and every broken rule is reported
with its field. What a search finds is an ``Opportunity``: an ``AccessWindow`` (computed by
the orbital engine, ``skyorder.orbits``) with the cloud expected then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from skyorder.core.errors import FieldError, Hint, ValidationFailed
from skyorder.core.geometry import DEFAULT_MAX_VERTICES, parse_aoi
from skyorder.core.products import ItemKind, Product
from skyorder.core.satellites import Satellite

MAX_WINDOW = timedelta(days=60)
MAX_DISTANCE = timedelta(days=5 * 366)
MAX_NAMES = 100


@dataclass(frozen=True)
class OpportunityRequest:
    """A search as the customer sent it."""

    aoi: dict[str, Any]
    start: datetime
    end: datetime
    max_off_nadir: float | None = None
    min_sun_elevation: float | None = None
    satellites: tuple[str, ...] | None = None
    sensors: tuple[str, ...] | None = None
    product: str | None = None


@dataclass(frozen=True)
class OpportunitySearch:
    """A validated search, with the product's constraints folded in.

    Attributes:
        aoi: The AOI as a geometry (lon/lat).
        start: Start of the window (aware).
        end: End of the window (aware).
        max_off_nadir: Largest off-nadir angle (the product's limit when smaller).
        min_sun_elevation: Lowest Sun elevation over the AOI.
        satellites: Only these satellites (by name); None for every operational one.
        sensors: Only satellites with these sensors; None for all.
    """

    aoi: BaseGeometry
    start: datetime
    end: datetime
    max_off_nadir: float | None
    min_sun_elevation: float | None
    satellites: frozenset[str] | None
    sensors: frozenset[str] | None


def _names(
    values: tuple[str, ...] | None, known: set[str], what: str, field: str
) -> tuple[frozenset[str] | None, list[FieldError]]:
    if values is None:
        return None, []
    if not values:
        return None, [FieldError(field, f"must name at least one {what}, or be left out")]
    if len(values) > MAX_NAMES:
        return None, [FieldError(field, f"may name at most {MAX_NAMES} {what}s")]
    unknown = sorted(set(values) - known)
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        message = f"unknown {what}{plural} {', '.join(unknown)}"
        return None, [FieldError(field, message, Hint.LIST_SATELLITES)]
    return frozenset(values), []


def _window(req: OpportunityRequest, now: datetime) -> list[FieldError]:
    errors = []
    for name, value in (("start", req.start), ("end", req.end)):
        if value.tzinfo is None:
            errors.append(FieldError(name, "must carry a time zone, e.g. 2026-01-01T00:00:00Z"))
    if errors:
        return errors
    if req.end <= req.start:
        errors.append(FieldError("end", "must be after start"))
    elif req.end - req.start > MAX_WINDOW:
        errors.append(
            FieldError("end", f"the window may last at most {MAX_WINDOW.days} days; split it")
        )
    if abs(req.start - now) > MAX_DISTANCE:
        errors.append(FieldError("start", "must be within 5 years of now (orbits drift)"))
    return errors


def _product(
    req: OpportunityRequest,
    products: Mapping[str, Product],
    sensors: frozenset[str] | None,
    errors: list[FieldError],
) -> tuple[float | None, frozenset[str] | None]:
    """The off-nadir limit and sensors once the product's constraints apply."""
    max_off_nadir = req.max_off_nadir
    if req.product is None:
        return max_off_nadir, sensors
    product = products.get(req.product)
    if product is None or product.kind is not ItemKind.TASKING:
        errors.append(
            FieldError("product", f"{req.product!r} is not a tasking product", Hint.LIST_PRODUCTS)
        )
        return max_off_nadir, sensors
    if max_off_nadir is not None and max_off_nadir > product.max_off_nadir:
        errors.append(
            FieldError(
                "max_off_nadir",
                f"{product.sku} allows at most {product.max_off_nadir:g}°, not {max_off_nadir:g}°",
            )
        )
    max_off_nadir = min(max_off_nadir or product.max_off_nadir, product.max_off_nadir)
    if product.sensor is None:
        return max_off_nadir, sensors
    if sensors is not None and product.sensor not in sensors:
        errors.append(
            FieldError("sensors", f"{product.sku} is made with sensor {product.sensor!r}")
        )
    return max_off_nadir, frozenset({product.sensor})


def validate_search(
    req: OpportunityRequest,
    fleet: Mapping[str, str],
    products: Mapping[str, Product],
    now: datetime,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> OpportunitySearch:
    """Check a search against every rule.

    Args:
        req: The search as sent.
        fleet: Every satellite's name and its sensor's name.
        products: The product catalogue, by SKU.
        now: The current time.
        max_vertices: The deployment's AOI vertex limit.

    Raises:
        ValidationFailed: listing every invalid field.
    """
    errors: list[FieldError] = []
    aoi: BaseGeometry | None = None
    try:
        aoi = parse_aoi(req.aoi, "aoi", max_vertices)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    errors.extend(_window(req, now))
    if req.max_off_nadir is not None and not 0 < req.max_off_nadir < 90:
        errors.append(FieldError("max_off_nadir", "must be greater than 0 and less than 90"))
    if req.min_sun_elevation is not None and not -90 <= req.min_sun_elevation <= 90:
        errors.append(FieldError("min_sun_elevation", "must be between -90 and 90 degrees"))
    satellites, problems = _names(req.satellites, set(fleet), "satellite", "satellites")
    errors.extend(problems)
    sensors, problems = _names(req.sensors, set(fleet.values()), "sensor", "sensors")
    errors.extend(problems)
    max_off_nadir, sensors = _product(req, products, sensors, errors)
    if satellites is not None and sensors is not None:
        if not any(fleet[name] in sensors for name in satellites):
            errors.append(
                FieldError(
                    "satellites",
                    f"none of them carries sensor {', '.join(sorted(sensors))}",
                )
            )
    if errors:
        raise ValidationFailed.of(errors)
    assert aoi is not None
    return OpportunitySearch(
        aoi=aoi,
        start=req.start,
        end=req.end,
        max_off_nadir=max_off_nadir,
        min_sun_elevation=req.min_sun_elevation,
        satellites=satellites,
        sensors=sensors,
    )


class PassDirection(StrEnum):
    """Whether the satellite moves north (ascending) or south over the AOI."""

    ASCENDING = "ascending"
    DESCENDING = "descending"


@dataclass(frozen=True)
class AccessWindow:
    """A span of time during which one satellite can image (part of) the AOI.

    Angles are in degrees and describe the pass at its time of closest approach (``tca``),
    seen from the AOI's reference point (the point itself, or a point inside the polygon).

    Attributes:
        satellite: The satellite (its sensor is ``satellite.sensor``).
        start: When the first part of the AOI comes within reach.
        end: When the last part of the AOI leaves it.
        tca: Time of the smallest off-nadir angle to the reference point, within the window.
        off_nadir_min_deg: Smallest off-nadir angle over the AOI at ``tca``.
        off_nadir_max_deg: Largest off-nadir angle over the AOI at ``tca``.
        incidence_deg: Angle between the local vertical and the line of sight.
        view_azimuth_deg: Azimuth of the satellite seen from the AOI (clockwise from north).
        sun_elevation_deg: Elevation of the Sun over the AOI.
        sun_azimuth_deg: Azimuth of the Sun over the AOI.
        direction: Ascending (moving north) or descending.
        altitude_km: Satellite height above the ellipsoid.
        ground_track: Sub-satellite track from start to end (lon, lat, altitude in metres).
        footprint: Approximate strip imaged when pointing at the AOI at ``tca``.
    """

    satellite: Satellite
    start: datetime
    end: datetime
    tca: datetime
    off_nadir_min_deg: float
    off_nadir_max_deg: float
    incidence_deg: float
    view_azimuth_deg: float
    sun_elevation_deg: float
    sun_azimuth_deg: float
    direction: PassDirection
    altitude_km: float
    ground_track: LineString
    footprint: Polygon

    @property
    def duration_s(self) -> float:
        """Length of the window in seconds."""
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class Opportunity:
    """An access window with the cloud expected at its time."""

    window: AccessWindow
    expected_cloud: float
