"""Satellites and their sensors: what the constellation is made of, as plain values.

The orbital engine (``skyorder.orbits``) computes with these; the services, the tasking
port and the wire models name them without loading the engine. A satellite's TLE is
checked for layout and checksums when it is made (a string check, no propagation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

TLE_LINE_LENGTH = 69


class TLEError(ValueError):
    """A two-line element set is malformed."""


def tle_checksum(line: str) -> int:
    """The modulo-10 checksum of a TLE line's first 68 characters ('-' counts 1)."""
    total = sum(int(c) if c.isdigit() else 1 if c == "-" else 0 for c in line[:68])
    return total % 10


def check_tle(line1: str, line2: str) -> None:
    """Check the layout, line numbers, checksums and catalogue numbers of a TLE.

    Raises:
        TLEError: naming the first problem found.
    """
    for number, line in ((1, line1), (2, line2)):
        if len(line) != TLE_LINE_LENGTH:
            raise TLEError(f"line {number} has {len(line)} characters, expected 69")
        if not line.startswith(f"{number} "):
            raise TLEError(f"line {number} must start with '{number} '")
        if not line[68].isdigit() or int(line[68]) != tle_checksum(line):
            raise TLEError(f"line {number} checksum is {line[68]!r}, expected {tle_checksum(line)}")
    if line1[2:7] != line2[2:7]:
        raise TLEError(f"catalogue numbers differ: {line1[2:7]!r} and {line2[2:7]!r}")


class SatelliteStatus(StrEnum):
    """Whether a satellite can be tasked."""

    OPERATIONAL = "operational"
    COMMISSIONING = "commissioning"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


@dataclass(frozen=True)
class Band:
    """A spectral band: its range in nanometres and its ground sample distance."""

    name: str
    min_nm: float
    max_nm: float
    gsd_m: float


@dataclass(frozen=True)
class Sensor:
    """An imaging instrument and its acquisition limits.

    Attributes:
        name: Identifier used by products and constraints (``micro``, ``vhr30``...).
        swath_km: Width of the imaged strip at nadir.
        gsd_m: Finest ground sample distance at nadir (the panchromatic band if any).
        bands: Spectral bands, each with its own GSD (e.g. pan 0.5 m, multispectral 2 m).
        max_off_nadir_deg: Largest pointing angle the platform allows.
        min_sun_elevation_deg: Lowest Sun over the target at which images are usable.
        slew_rate_deg_s: How fast the platform rolls between acquisitions, when declared
            (planners use a default otherwise).
    """

    name: str
    swath_km: float
    gsd_m: float
    bands: tuple[Band, ...]
    max_off_nadir_deg: float
    min_sun_elevation_deg: float
    slew_rate_deg_s: float | None = None


@dataclass(frozen=True)
class Satellite:
    """A satellite: its identity, current orbit (TLE), sensor and status."""

    name: str
    norad_id: int
    tle_line1: str
    tle_line2: str
    sensor: Sensor
    status: SatelliteStatus = SatelliteStatus.OPERATIONAL

    def __post_init__(self) -> None:
        check_tle(self.tle_line1, self.tle_line2)
        if int(self.tle_line1[2:7]) != self.norad_id:
            raise TLEError(f"{self.name}: TLE is for {self.tle_line1[2:7]}, not {self.norad_id}")


@dataclass(frozen=True)
class MeanElements:
    """A TLE's mean orbit, in the units people read (for listings, not for propagation).

    Attributes:
        epoch: When the elements hold (UTC).
        inclination_deg: Orbit inclination.
        eccentricity: Orbit eccentricity.
        period_min: Orbital period in minutes.
        altitude_km: Mean height above the equatorial radius (semi-major axis minus it).
        perigee_km: Lowest height above the equatorial radius.
        apogee_km: Highest height above the equatorial radius.
    """

    epoch: datetime
    inclination_deg: float
    eccentricity: float
    period_min: float
    altitude_km: float
    perigee_km: float
    apogee_km: float
