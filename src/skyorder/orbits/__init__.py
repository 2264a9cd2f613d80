"""The orbital engine: constellations, SGP4 ephemerides and access windows.

Pure computation, no I/O beyond reading a constellation file: the services import it to
answer "when can which satellite image this AOI?".

- ``constellation``: satellites, sensors and the constellation file (``load_constellation``).
- ``tle``: TLE checksums and sun-synchronous TLEs generated from design values.
- ``frames`` and ``sun``: time, TEME to ECEF, geodetic coordinates, the Sun's position.
- ``ephemeris``: vectorised SGP4 and the ``EphemerisCache``.
- ``access``: ``find_access_windows``, built on ``search``, ``viewing`` and ``footprints``.
"""

from skyorder.orbits.access import (
    AccessConstraints,
    AccessWindow,
    PassDirection,
    find_access_windows,
)
from skyorder.orbits.constellation import (
    Band,
    Constellation,
    ConstellationError,
    Satellite,
    SatelliteStatus,
    Sensor,
    load_constellation,
)
from skyorder.orbits.ephemeris import EphemerisCache
from skyorder.orbits.tle import TLEError, make_sso_tle

__all__ = [
    "AccessConstraints",
    "AccessWindow",
    "Band",
    "Constellation",
    "ConstellationError",
    "EphemerisCache",
    "PassDirection",
    "Satellite",
    "SatelliteStatus",
    "Sensor",
    "TLEError",
    "find_access_windows",
    "load_constellation",
    "make_sso_tle",
]
