"""The demo constellation: 26 sun-synchronous satellites generated from design values.

``src/skyorder/data/constellation.json`` is this module's output; regenerate it with::

    .venv/bin/python -m skyorder.orbits.demo > src/skyorder/data/constellation.json

Fleets (descending-node local times are the usual late-morning ones for optical imagery;
sensor names and pointing limits match the tasking products in ``products.json``):

- ``micro``: 16 small satellites, 1 m multispectral, 4 planes of 4 at 500-530 km.
- ``PHR``: a pair 180 degrees apart at 575 km, 0.5 m panchromatic and 2 m multispectral.
- ``vhr30``: 4 satellites at 480 km, 0.3 m panchromatic and 1.2 m multispectral, in a
  morning and an early-afternoon plane.
- ``hyperspectral``: 4 satellites at 550 km, 60 bands of 10 nm at 5 m.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from skyorder.orbits.constellation import (
    Band,
    Constellation,
    Satellite,
    Sensor,
    constellation_to_dict,
)
from skyorder.orbits.tle import make_sso_tle

DEMO_EPOCH = datetime(2026, 11, 20, tzinfo=UTC)
FIRST_NORAD_ID = 99_001


def _multispectral(gsd_m: float, pan_gsd_m: float | None = None) -> tuple[Band, ...]:
    bands = (
        Band("blue", 450.0, 520.0, gsd_m),
        Band("green", 520.0, 600.0, gsd_m),
        Band("red", 630.0, 690.0, gsd_m),
        Band("nir", 760.0, 900.0, gsd_m),
    )
    return (Band("pan", 450.0, 800.0, pan_gsd_m), *bands) if pan_gsd_m else bands


SENSORS = (
    Sensor("micro", 20.0, 1.0, _multispectral(1.0), 40.0, 10.0),
    Sensor("PHR", 20.0, 0.5, _multispectral(2.0, pan_gsd_m=0.5), 45.0, 10.0),
    Sensor("vhr30", 14.0, 0.3, _multispectral(1.2, pan_gsd_m=0.3), 45.0, 15.0),
    Sensor(
        "hyperspectral",
        30.0,
        5.0,
        tuple(Band(f"b{i + 1:02d}", 400.0 + 10 * i, 410.0 + 10 * i, 5.0) for i in range(60)),
        30.0,
        20.0,
    ),
)


@dataclass(frozen=True)
class _Plane:
    """Satellites sharing an orbital plane, evenly spaced in mean anomaly."""

    prefix: str
    sensor: str
    count: int
    altitude_km: float
    ltdn_hours: float  # local time of the descending node
    phase_deg: float  # mean anomaly of the plane's first satellite
    bstar: float


PLANES = (
    _Plane("MICRO", "micro", 4, 500.0, 9.75, 0.0, 3.0e-5),
    _Plane("MICRO", "micro", 4, 510.0, 10.25, 22.5, 3.0e-5),
    _Plane("MICRO", "micro", 4, 520.0, 10.75, 45.0, 3.0e-5),
    _Plane("MICRO", "micro", 4, 530.0, 11.25, 67.5, 3.0e-5),
    _Plane("PHR", "PHR", 2, 575.0, 10.5, 0.0, 5.0e-6),
    _Plane("VHR", "vhr30", 2, 480.0, 10.5, 30.0, 1.0e-5),
    _Plane("VHR", "vhr30", 2, 480.0, 13.5, 120.0, 1.0e-5),
    _Plane("HYP", "hyperspectral", 4, 550.0, 11.0, 10.0, 1.5e-5),
)


def build_demo_constellation(epoch: datetime = DEMO_EPOCH) -> Constellation:
    """Generate the demo constellation with TLEs at ``epoch``."""
    sensors = {s.name: s for s in SENSORS}
    satellites: list[Satellite] = []
    counters: dict[str, int] = {}
    for plane_number, plane in enumerate(PLANES):
        for k in range(plane.count):
            counters[plane.prefix] = counters.get(plane.prefix, 0) + 1
            norad_id = FIRST_NORAD_ID + len(satellites)
            line1, line2 = make_sso_tle(
                norad_id=norad_id,
                epoch=epoch,
                altitude_km=plane.altitude_km,
                ltan_hours=(plane.ltdn_hours + 12.0) % 24.0,
                mean_anomaly_deg=plane.phase_deg + 360.0 * k / plane.count,
                bstar=plane.bstar,
                international_designator=f"26{900 + plane_number:03d}{chr(ord('A') + k)}",
            )
            satellites.append(
                Satellite(
                    name=f"{plane.prefix}-{counters[plane.prefix]:02d}",
                    norad_id=norad_id,
                    tle_line1=line1,
                    tle_line2=line2,
                    sensor=sensors[plane.sensor],
                )
            )
    return Constellation("skyorder demo", SENSORS, tuple(satellites))


def main() -> None:
    """Print the demo constellation document on stdout."""
    json.dump(constellation_to_dict(build_demo_constellation()), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
