"""Satellites, their sensors, and the constellation file a provider supplies.

A constellation file is JSON::

    {"name": "...",
     "sensors": [{"name": "micro", "swath_km": 20, "gsd_m": 1.0, "max_off_nadir_deg": 30,
                  "min_sun_elevation_deg": 10,
                  "bands": [{"name": "red", "min_nm": 630, "max_nm": 690, "gsd_m": 1.0}]}],
     "satellites": [{"name": "MICRO-01", "norad_id": 99001, "sensor": "micro",
                     "status": "operational", "tle_line1": "1 ...", "tle_line2": "2 ..."}]}

Every problem is reported with the path of the offending field. The values it is read
into (``Satellite``, ``Sensor``, ``Band``) are core types, ``skyorder.core.satellites``,
re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from skyorder.core.satellites import Band as Band
from skyorder.core.satellites import Satellite as Satellite
from skyorder.core.satellites import SatelliteStatus as SatelliteStatus
from skyorder.core.satellites import Sensor as Sensor
from skyorder.core.satellites import TLEError


class ConstellationError(ValueError):
    """A constellation file is malformed; the message names the field."""


@dataclass(frozen=True)
class Constellation:
    """The satellites a provider can task."""

    name: str
    sensors: tuple[Sensor, ...]
    satellites: tuple[Satellite, ...]

    def satellite(self, name: str) -> Satellite:
        """The satellite called ``name``.

        Raises:
            KeyError: there is none.
        """
        for sat in self.satellites:
            if sat.name == name:
                return sat
        raise KeyError(name)

    def sensor(self, name: str) -> Sensor:
        """The sensor called ``name``.

        Raises:
            KeyError: there is none.
        """
        for sensor in self.sensors:
            if sensor.name == name:
                return sensor
        raise KeyError(name)


def _require(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str) -> Any:
    if key not in data:
        raise ConstellationError(f"{path}.{key}: missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ConstellationError(f"{path}.{key}: expected {_kind_name(kind)}, got {value!r}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join("number" if k in (int, float) else k.__name__ for k in kinds)


def _number(data: Mapping[str, Any], key: str, path: str, low: float, high: float) -> float:
    value = float(_require(data, key, (int, float), path))
    if not low <= value <= high:
        raise ConstellationError(f"{path}.{key}: {value} is outside {low}..{high}")
    return value


def _band(data: Any, path: str) -> Band:
    if not isinstance(data, Mapping):
        raise ConstellationError(f"{path}: expected an object")
    band = Band(
        name=_require(data, "name", str, path),
        min_nm=_number(data, "min_nm", path, 100.0, 20_000.0),
        max_nm=_number(data, "max_nm", path, 100.0, 20_000.0),
        gsd_m=_number(data, "gsd_m", path, 0.01, 10_000.0),
    )
    if band.max_nm <= band.min_nm:
        raise ConstellationError(f"{path}: max_nm must be greater than min_nm")
    return band


def sensor_from_dict(data: Any, path: str = "sensor") -> Sensor:
    """Build a sensor from its JSON object.

    Raises:
        ConstellationError: a field is missing or out of range.
    """
    if not isinstance(data, Mapping):
        raise ConstellationError(f"{path}: expected an object")
    bands = _require(data, "bands", list, path)
    return Sensor(
        name=_require(data, "name", str, path),
        swath_km=_number(data, "swath_km", path, 0.1, 5_000.0),
        gsd_m=_number(data, "gsd_m", path, 0.01, 10_000.0),
        bands=tuple(_band(b, f"{path}.bands[{i}]") for i, b in enumerate(bands)),
        max_off_nadir_deg=_number(data, "max_off_nadir_deg", path, 0.0, 89.0),
        min_sun_elevation_deg=_number(data, "min_sun_elevation_deg", path, -90.0, 90.0),
        slew_rate_deg_s=(
            _number(data, "slew_rate_deg_s", path, 0.01, 90.0)
            if data.get("slew_rate_deg_s") is not None
            else None
        ),
    )


def satellite_from_dict(
    data: Any, sensors: Mapping[str, Sensor], path: str = "satellite"
) -> Satellite:
    """Build a satellite from its JSON object, resolving its sensor by name.

    Raises:
        ConstellationError: a field is missing, the sensor unknown or the TLE invalid.
    """
    if not isinstance(data, Mapping):
        raise ConstellationError(f"{path}: expected an object")
    sensor_name = _require(data, "sensor", str, path)
    if sensor_name not in sensors:
        raise ConstellationError(f"{path}.sensor: unknown sensor {sensor_name!r}")
    status = data.get("status", SatelliteStatus.OPERATIONAL.value)
    if status not in {s.value for s in SatelliteStatus}:
        allowed = ", ".join(s.value for s in SatelliteStatus)
        raise ConstellationError(f"{path}.status: {status!r} is not one of {allowed}")
    try:
        return Satellite(
            name=_require(data, "name", str, path),
            norad_id=_require(data, "norad_id", int, path),
            tle_line1=_require(data, "tle_line1", str, path),
            tle_line2=_require(data, "tle_line2", str, path),
            sensor=sensors[sensor_name],
            status=SatelliteStatus(status),
        )
    except TLEError as exc:
        raise ConstellationError(f"{path}: {exc}") from exc


def constellation_from_dict(data: Any) -> Constellation:
    """Build a constellation from the parsed JSON document.

    Raises:
        ConstellationError: naming the first invalid field.
    """
    if not isinstance(data, Mapping):
        raise ConstellationError("the document must be a JSON object")
    raw_sensors = _require(data, "sensors", list, "$")
    sensors = [sensor_from_dict(s, f"sensors[{i}]") for i, s in enumerate(raw_sensors)]
    by_name = {s.name: s for s in sensors}
    if len(by_name) != len(sensors):
        raise ConstellationError("sensors: names must be unique")
    raw_sats = _require(data, "satellites", list, "$")
    sats = [satellite_from_dict(s, by_name, f"satellites[{i}]") for i, s in enumerate(raw_sats)]
    _check_unique((s.name for s in sats), "name")
    _check_unique((str(s.norad_id) for s in sats), "norad_id")
    return Constellation(
        name=str(data.get("name", "constellation")), sensors=tuple(sensors), satellites=tuple(sats)
    )


def _check_unique(values: Iterable[str], key: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ConstellationError(f"satellites: {key} {value} appears twice")
        seen.add(value)


def constellation_to_dict(constellation: Constellation) -> dict[str, Any]:
    """The JSON document of a constellation (the inverse of ``constellation_from_dict``)."""
    return {
        "name": constellation.name,
        "sensors": [
            {
                "name": s.name,
                "swath_km": s.swath_km,
                "gsd_m": s.gsd_m,
                "max_off_nadir_deg": s.max_off_nadir_deg,
                "min_sun_elevation_deg": s.min_sun_elevation_deg,
                **({"slew_rate_deg_s": s.slew_rate_deg_s} if s.slew_rate_deg_s else {}),
                "bands": [
                    {"name": b.name, "min_nm": b.min_nm, "max_nm": b.max_nm, "gsd_m": b.gsd_m}
                    for b in s.bands
                ],
            }
            for s in constellation.sensors
        ],
        "satellites": [
            {
                "name": sat.name,
                "norad_id": sat.norad_id,
                "sensor": sat.sensor.name,
                "status": sat.status.value,
                "tle_line1": sat.tle_line1,
                "tle_line2": sat.tle_line2,
            }
            for sat in constellation.satellites
        ],
    }


def load_constellation(path: Path | None = None) -> Constellation:
    """Read a constellation file, or the built-in demo constellation when ``path`` is None.

    Raises:
        ConstellationError: the file is not valid JSON or breaks a rule.
    """
    if path is None:
        text = resources.files("skyorder.data").joinpath("constellation.json").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConstellationError(f"not valid JSON: {exc}") from exc
    return constellation_from_dict(data)
