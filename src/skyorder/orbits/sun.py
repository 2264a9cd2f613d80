"""Where the Sun is: the Astronomical Almanac's low-precision formula, vectorised.

The Almanac's formula ("Low precision formulas for the Sun", section C) gives the Sun's
apparent right ascension and declination to about 0.01 degree between 1950 and 2050,
which keeps the Sun's elevation seen from the ground good to a few hundredths of a degree:
ample for the minimum sun elevation of an optical acquisition, and about 200 times cheaper
than a JPL ephemeris. The unit tests check it against skyfield with DE421.
"""

from __future__ import annotations

import numpy as np

from skyorder.orbits.frames import (
    J2000_JD,
    SECONDS_PER_DAY,
    TT_MINUS_UTC_S,
    UNIX_EPOCH_JD,
    FloatArray,
    gmst_rad,
    local_east_north,
    local_up,
    rotate_z,
)


def sun_right_ascension_declination(t: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Apparent right ascension and declination (rad, equinox of date) at Unix seconds ``t``."""
    n = UNIX_EPOCH_JD - J2000_JD + (t + TT_MINUS_UTC_S) / SECONDS_PER_DAY
    mean_longitude = np.radians(280.460 + 0.985_647_4 * n)
    mean_anomaly = np.radians(357.528 + 0.985_600_3 * n)
    ecliptic_longitude = mean_longitude + np.radians(
        1.915 * np.sin(mean_anomaly) + 0.020 * np.sin(2.0 * mean_anomaly)
    )
    obliquity = np.radians(23.439 - 4.0e-7 * n)
    sin_lambda = np.sin(ecliptic_longitude)
    ra = np.mod(np.arctan2(np.cos(obliquity) * sin_lambda, np.cos(ecliptic_longitude)), 2 * np.pi)
    dec = np.arcsin(np.sin(obliquity) * sin_lambda)
    return ra, dec


def sun_direction_ecef(t: FloatArray) -> FloatArray:
    """Unit vector (..., 3) towards the Sun in the Earth-fixed frame at Unix seconds ``t``.

    Parallax is ignored: from anywhere on Earth the Sun's direction differs by < 0.003 deg.
    """
    ra, dec = sun_right_ascension_declination(t)
    cos_dec = np.cos(dec)
    of_date = np.stack((cos_dec * np.cos(ra), cos_dec * np.sin(ra), np.sin(dec)), axis=-1)
    return rotate_z(of_date, gmst_rad(t))


def sun_elevation_azimuth(
    t: FloatArray, lat: FloatArray, lon: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Geometric elevation and azimuth (rad, azimuth clockwise from north) of the Sun.

    Args:
        t: Unix seconds.
        lat: Geodetic latitude of the observer (rad), broadcast against ``t``.
        lon: Longitude of the observer (rad), broadcast against ``t``.
    """
    sun = sun_direction_ecef(t)
    up = local_up(lat, lon)
    east, north = local_east_north(lat, lon)
    elevation = np.arcsin(np.clip(np.sum(sun * up, axis=-1), -1.0, 1.0))
    azimuth = np.mod(
        np.arctan2(np.sum(sun * east, axis=-1), np.sum(sun * north, axis=-1)), 2 * np.pi
    )
    return elevation, azimuth


def sun_elevation_deg(t: FloatArray, lon_deg: FloatArray, lat_deg: FloatArray) -> FloatArray:
    """Elevation of the Sun in degrees seen from (lon, lat) in degrees at Unix seconds ``t``."""
    elevation, _ = sun_elevation_azimuth(t, np.radians(lat_deg), np.radians(lon_deg))
    return np.degrees(elevation)
