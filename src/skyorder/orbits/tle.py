"""Two-line element sets: mean elements, and sun-synchronous orbits built to order.

A provider's constellation comes as TLEs; the demo constellation is generated here from
orbital design values (altitude, local time of the node, phase) rather than typed in.
Checksums and layout checks, and the ``MeanElements`` value, are core
(``skyorder.core.satellites``), re-exported here.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
from sgp4.api import WGS72, Satrec

from skyorder.core.satellites import MeanElements as MeanElements
from skyorder.core.satellites import TLEError as TLEError
from skyorder.core.satellites import check_tle as check_tle
from skyorder.core.satellites import tle_checksum as tle_checksum
from skyorder.orbits.frames import gmst_rad, unix_seconds

# WGS72 constants: SGP4 (and every TLE) is defined with them.
MU_KM3_S2 = 398_600.8
EARTH_RADIUS_KM = 6378.135
J2 = 0.001_082_616
TROPICAL_YEAR_S = 365.242_19 * 86_400.0


def tle_epoch(line1: str) -> datetime:
    """The epoch of a TLE (UTC) from line 1."""
    two_digit_year = int(line1[18:20])
    year = 2000 + two_digit_year if two_digit_year < 57 else 1900 + two_digit_year
    day_of_year = float(line1[20:32])
    return datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day_of_year - 1.0)


def circular_mean_motion(altitude_km: float) -> float:
    """Keplerian mean motion (rev/day) of a circular orbit ``altitude_km`` above the equator."""
    a = EARTH_RADIUS_KM + altitude_km
    return math.sqrt(MU_KM3_S2 / a**3) * 86_400.0 / (2.0 * math.pi)


def sso_inclination_deg(altitude_km: float, eccentricity: float = 0.0) -> float:
    """Inclination (deg) at which J2 turns the orbit plane once a year: sun-synchronous.

    Raises:
        ValueError: no inclination is sun-synchronous at that altitude (above ~5,970 km).
    """
    a = EARTH_RADIUS_KM + altitude_km
    n = math.sqrt(MU_KM3_S2 / a**3)
    node_rate = 2.0 * math.pi / TROPICAL_YEAR_S
    cos_i = -node_rate / (1.5 * n * J2 * (EARTH_RADIUS_KM / a) ** 2) * (1 - eccentricity**2) ** 2
    if cos_i < -1.0:
        raise ValueError(f"no sun-synchronous orbit at {altitude_km} km")
    return math.degrees(math.acos(cos_i))


def raan_for_ltan(epoch: datetime, ltan_hours: float) -> float:
    """Right ascension of the ascending node (deg) whose local mean time is ``ltan_hours``.

    A node at Earth-fixed longitude ``raan - gmst`` has local mean solar time
    ``ut + longitude / 15``; a sun-synchronous plane keeps that time for good.
    """
    t = unix_seconds(epoch)
    ut_hours = (t % 86_400.0) / 3_600.0
    gmst_deg = math.degrees(float(gmst_rad(np.array(t))))
    return (gmst_deg + 15.0 * (ltan_hours - ut_hours)) % 360.0


def _tle_exponent(value: float) -> str:
    """A TLE 'assumed decimal point' field such as ' 12345-4' (8 characters)."""
    if value == 0.0:
        return " 00000+0"
    exponent = math.floor(math.log10(abs(value))) + 1
    mantissa = round(abs(value) / 10.0**exponent * 100_000)
    if mantissa == 100_000:
        mantissa, exponent = 10_000, exponent + 1
    sign = "-" if value < 0 else " "
    return f"{sign}{mantissa:05d}{'-' if exponent < 0 else '+'}{abs(exponent)}"


def _with_checksum(line: str) -> str:
    return line + str(tle_checksum(line))


def make_tle(
    *,
    norad_id: int,
    epoch: datetime,
    inclination_deg: float,
    raan_deg: float,
    eccentricity: float,
    arg_perigee_deg: float,
    mean_anomaly_deg: float,
    mean_motion_rev_per_day: float,
    bstar: float = 0.0,
    international_designator: str = "26900A",
    element_set: int = 999,
    revolution: int = 1,
) -> tuple[str, str]:
    """Format orbital elements as a two-line element set with valid checksums.

    Raises:
        TLEError: a value does not fit its TLE field.
    """
    if not 0 < norad_id < 100_000:
        raise TLEError(f"NORAD id {norad_id} does not fit 5 digits")
    if not 0.0 <= eccentricity < 1.0:
        raise TLEError(f"eccentricity {eccentricity} is outside [0, 1)")
    epoch = epoch.astimezone(UTC)
    start_of_year = datetime(epoch.year, 1, 1, tzinfo=UTC)
    day_of_year = 1.0 + (epoch - start_of_year).total_seconds() / 86_400.0
    line1 = (
        f"1 {norad_id:05d}U {international_designator:<8.8} "
        f"{epoch.year % 100:02d}{day_of_year:012.8f}  .00000000  00000+0 "
        f"{_tle_exponent(bstar)} 0 {element_set % 10_000:>4d}"
    )
    line2 = (
        f"2 {norad_id:05d} {inclination_deg % 360:8.4f} {raan_deg % 360:8.4f} "
        f"{round(eccentricity * 1e7):07d} {arg_perigee_deg % 360:8.4f} "
        f"{mean_anomaly_deg % 360:8.4f} {mean_motion_rev_per_day:11.8f}"
        f"{revolution % 100_000:5d}"
    )
    line1, line2 = _with_checksum(line1), _with_checksum(line2)
    check_tle(line1, line2)
    return line1, line2


def make_sso_tle(
    *,
    norad_id: int,
    epoch: datetime,
    altitude_km: float,
    ltan_hours: float,
    mean_anomaly_deg: float,
    eccentricity: float = 0.0011,
    arg_perigee_deg: float = 90.0,
    bstar: float = 2.0e-5,
    international_designator: str = "26900A",
) -> tuple[str, str]:
    """A TLE for a sun-synchronous orbit given its design values.

    Args:
        norad_id: Catalogue number (5 digits).
        epoch: Epoch of the elements (aware datetime).
        altitude_km: Mean altitude above the equatorial radius.
        ltan_hours: Local time of the ascending node (22.5 for a 10:30 descending node).
        mean_anomaly_deg: Position along the orbit at epoch (spreads satellites in a plane).
        eccentricity: Defaults to a frozen orbit (e ~ 0.001, perigee over the north pole),
            which keeps the altitude over a given latitude steady.
        arg_perigee_deg: Argument of perigee.
        bstar: SGP4 drag term (1/earth radii).
        international_designator: Launch year, number and piece, e.g. ``26900A``.
    """
    return make_tle(
        norad_id=norad_id,
        epoch=epoch,
        inclination_deg=sso_inclination_deg(altitude_km, eccentricity),
        raan_deg=raan_for_ltan(epoch, ltan_hours),
        eccentricity=eccentricity,
        arg_perigee_deg=arg_perigee_deg,
        mean_anomaly_deg=mean_anomaly_deg,
        mean_motion_rev_per_day=circular_mean_motion(altitude_km),
        bstar=bstar,
        international_designator=international_designator,
    )


def mean_elements(line1: str, line2: str) -> MeanElements:
    """The mean elements of a TLE, as SGP4 (WGS72) reads them.

    Raises:
        TLEError: the TLE is malformed.
    """
    check_tle(line1, line2)
    record = Satrec.twoline2rv(line1, line2, WGS72)
    n_rad_s = record.no_kozai / 60.0
    semi_major_km = (MU_KM3_S2 / n_rad_s**2) ** (1.0 / 3.0)
    e = float(record.ecco)
    return MeanElements(
        epoch=tle_epoch(line1),
        inclination_deg=math.degrees(record.inclo),
        eccentricity=e,
        period_min=2.0 * math.pi / n_rad_s / 60.0,
        altitude_km=semi_major_km - EARTH_RADIUS_KM,
        perigee_km=semi_major_km * (1.0 - e) - EARTH_RADIUS_KM,
        apogee_km=semi_major_km * (1.0 + e) - EARTH_RADIUS_KM,
    )
