"""Time scales and reference frames for the orbital engine, vectorised in numpy.

Times are float64 seconds since the Unix epoch (UTC) throughout the engine; float64 keeps
them to better than a microsecond for centuries around now. UT1 is taken equal to UTC
(|UT1 - UTC| < 0.9 s, at most 0.45 km of Earth rotation at LEO distance) and polar
motion is ignored (< 15 m): both are far below what tasking feasibility needs.

Frames: TEME is what SGP4 returns; ECEF is the Earth-fixed frame (PEF, taken as ITRF),
reached from TEME by the GMST-1982 rotation (AIAA 2006-6753, appendix C). Geodetic
coordinates are on the WGS84 ellipsoid; lengths are kilometres, angles radians.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

SECONDS_PER_DAY = 86_400.0
UNIX_EPOCH_JD = 2_440_587.5
J2000_JD = 2_451_545.0
TT_MINUS_UTC_S = 69.184  # 32.184 s + 37 leap seconds, unchanged since 2017
EARTH_ROTATION_RAD_S = 7.292_115_146_706_979e-5

WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257_223_563
WGS84_B_KM = WGS84_A_KM * (1.0 - WGS84_F)
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def unix_seconds(moment: datetime) -> float:
    """Seconds since the Unix epoch for a timezone-aware datetime.

    Raises:
        ValueError: the datetime is naive (its time zone would be a guess).
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; pass an aware (UTC) datetime")
    return (moment - _UNIX_EPOCH).total_seconds()


def to_datetime(seconds: float) -> datetime:
    """The UTC datetime for seconds since the Unix epoch (microsecond resolution)."""
    return datetime.fromtimestamp(seconds, UTC)


def julian_dates(t: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Split Unix seconds into SGP4's two-part Julian date (whole day, fraction)."""
    days = np.floor(t / SECONDS_PER_DAY)
    return UNIX_EPOCH_JD + days, (t - days * SECONDS_PER_DAY) / SECONDS_PER_DAY


def gmst_rad(t: FloatArray) -> FloatArray:
    """Greenwich mean sidereal time (IAU-82, the angle SGP4's TEME frame is defined by)."""
    days = np.floor(t / SECONDS_PER_DAY)
    day_fraction = (t - days * SECONDS_PER_DAY) / SECONDS_PER_DAY
    centuries = (UNIX_EPOCH_JD + days - J2000_JD + day_fraction) / 36_525.0
    g = 67_310.548_41 + (8_640_184.812_866 + (0.093_104 - 6.2e-6 * centuries) * centuries) * (
        centuries
    )
    # 0.5: the whole Julian day starts at noon, ``days`` counts from midnight.
    turns = np.mod(0.5 + day_fraction + g / SECONDS_PER_DAY, 1.0)
    return turns * 2.0 * np.pi


def rotate_z(vectors: FloatArray, angle: FloatArray) -> FloatArray:
    """Express ``vectors`` (..., 3) in a frame turned by ``angle`` (...) about the z axis."""
    c, s = np.cos(angle), np.sin(angle)
    x, y, z = vectors[..., 0], vectors[..., 1], vectors[..., 2]
    return np.stack((c * x + s * y, -s * x + c * y, z), axis=-1)


def teme_to_ecef(
    r_teme: FloatArray, v_teme: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Rotate SGP4 TEME position and velocity (..., 3) at times ``t`` (...) to ECEF.

    The velocity is the Earth-fixed one (the Earth's rotation removed), in km/s.
    """
    theta = gmst_rad(t)
    r = rotate_z(r_teme, theta)
    v = rotate_z(v_teme, theta)
    v[..., 0] += EARTH_ROTATION_RAD_S * r[..., 1]
    v[..., 1] -= EARTH_ROTATION_RAD_S * r[..., 0]
    return r, v


def geodetic_to_ecef(lat: FloatArray, lon: FloatArray, height_km: FloatArray) -> FloatArray:
    """ECEF position (..., 3) in km of geodetic latitude, longitude (rad) and height (km)."""
    sin_lat = np.sin(lat)
    n = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat**2)
    horizontal = (n + height_km) * np.cos(lat)
    return np.stack(
        (
            horizontal * np.cos(lon),
            horizontal * np.sin(lon),
            (n * (1.0 - WGS84_E2) + height_km) * sin_lat,
        ),
        axis=-1,
    )


def ecef_to_geodetic(xyz: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Geodetic latitude, longitude (rad) and height (km) of ECEF positions (..., 3).

    Heikkinen's closed form (exact to well under a millimetre for any point further than
    ~50 km from the Earth's centre): no iteration, so it vectorises cleanly.
    """
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    a, b, e2 = WGS84_A_KM, WGS84_B_KM, WGS84_E2
    ep2 = (a * a - b * b) / (b * b)
    p = np.hypot(x, y)
    f = 54.0 * b * b * z * z
    g = p * p + (1.0 - e2) * z * z - e2 * (a * a - b * b)
    c = e2 * e2 * f * p * p / (g * g * g)
    s = np.cbrt(1.0 + c + np.sqrt(c * c + 2.0 * c))
    k = s + 1.0 + 1.0 / s
    pp = f / (3.0 * k * k * g * g)
    q = np.sqrt(1.0 + 2.0 * e2 * e2 * pp)
    # Clamped: at the poles rounding can take the radicand a hair below zero.
    radicand = (
        0.5 * a * a * (1.0 + 1.0 / q) - pp * (1.0 - e2) * z * z / (q * (1.0 + q)) - 0.5 * pp * p * p
    )
    r0 = -pp * e2 * p / (1.0 + q) + np.sqrt(np.maximum(radicand, 0.0))
    u = np.hypot(p - e2 * r0, z)
    v = np.sqrt((p - e2 * r0) ** 2 + (1.0 - e2) * z * z)
    z0 = b * b * z / (a * v)
    height = u * (1.0 - b * b / (a * v))
    lat = np.arctan2(z + ep2 * z0, p)
    lon = np.arctan2(y, x)
    return lat, lon, height


def local_up(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Unit ellipsoid normal (..., 3) at geodetic latitude and longitude (rad)."""
    cos_lat = np.cos(lat)
    return np.stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)), axis=-1)


def local_east_north(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Unit east and north vectors (..., 3) of the local horizontal plane."""
    sin_lon, cos_lon = np.sin(lon), np.cos(lon)
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    east = np.stack((-sin_lon, cos_lon, np.zeros_like(lon)), axis=-1)
    north = np.stack((-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat), axis=-1)
    return east, north
