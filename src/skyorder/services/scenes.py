"""A demo archive: realistic scenes for the built-in collections, deterministic for a seed.

Each scene is a strip of its sensor's swath along a sun-synchronous descending
ground track (its heading follows from the orbit's inclination, the latitude
and the Earth's rotation), placed on the WGS84 ellipsoid with pyproj's
``Geod.fwd``. Acquisitions fall near 10:30 local solar time; the sun's
position comes from the usual low-precision declination / equation-of-time
formula; off-nadir angles, look sides and cloud cover are drawn from skewed
distributions. ``example_items`` adds the scenes the documents' examples
search for (Chile, Toulouse, Denver, Leuven, Mar del Plata).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from pyproj import Geod

from skyorder.core.catalog import (
    EO_EXTENSION,
    VIEW_EXTENSION,
    CatalogItem,
    archive_product,
    format_datetime,
    list_price_properties,
)
from skyorder.core.geometry import BBox
from skyorder.core.products import Product
from skyorder.services.demo_archive import (
    BY_COLLECTION,
    END,
    HOTSPOTS,
    MAX_ITEM_BANDS,
    REGIONS,
    SENSORS,
    SensorModel,
    band_list,
    examples,
)

Array = npt.NDArray[np.float64]
GEOD = Geod(ellps="WGS84")
EARTH_RADIUS_KM = 6371.0
EARTH_ROTATION = 7.2921159e-5  # rad/s
MU = 398600.4418  # km³/s²
DEFAULT_SEED = 20260105


@dataclass
class _Batch:
    """Parameters of a batch of scenes of one sensor, as arrays."""

    index: npt.NDArray[np.int64]
    lon: Array
    lat: Array
    when: Array  # Unix seconds
    off_nadir: Array
    side: Array  # +1 right of track, -1 left
    cloud: Array
    length_km: Array
    platform: npt.NDArray[np.int64]


def _heading(lat: Array, model: SensorModel) -> Array:
    """Azimuth (deg) of a descending sun-synchronous ground track at ``lat``."""
    inc = math.radians(model.inclination_deg)
    phi = np.radians(np.clip(lat, -80.0, 80.0))
    radius = EARTH_RADIUS_KM + model.altitude_km
    speed = math.sqrt(MU / radius) * EARTH_RADIUS_KM / radius  # ground speed, km/s
    east = speed * math.cos(inc) / np.cos(phi)
    north = -np.sqrt(np.clip(speed**2 - east**2, 0.0, None))
    east = east - EARTH_ROTATION * EARTH_RADIUS_KM * np.cos(phi)
    return np.degrees(np.arctan2(east, north)) % 360.0


def sun_position(lon: Array, lat: Array, when: Array) -> tuple[Array, Array]:
    """Sun elevation and azimuth (deg) from declination, equation of time and hour angle."""
    seconds = when.astype(np.int64)
    year_start = seconds.astype("datetime64[s]").astype("datetime64[Y]").astype("datetime64[s]")
    day_of_year = (when - year_start.astype(np.int64)) / 86400.0  # from 0 at 1 January 00:00
    gamma = 2.0 * math.pi / 365.0 * (day_of_year - 0.5)
    eot = 229.18 * (
        0.000075
        + 0.001868 * np.cos(gamma)
        - 0.032077 * np.sin(gamma)
        - 0.014615 * np.cos(2 * gamma)
        - 0.040849 * np.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * np.cos(gamma)
        + 0.070257 * np.sin(gamma)
        - 0.006758 * np.cos(2 * gamma)
        + 0.000907 * np.sin(2 * gamma)
    )
    minutes = (when % 86400.0) / 60.0 + eot + 4.0 * lon
    hour_angle = np.radians(minutes / 4.0 - 180.0)
    phi = np.radians(lat)
    sin_el = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(hour_angle)
    elevation = np.degrees(np.arcsin(np.clip(sin_el, -1.0, 1.0)))
    azimuth = np.degrees(
        np.arctan2(
            -np.sin(hour_angle),
            np.tan(decl) * np.cos(phi) - np.sin(phi) * np.cos(hour_angle),
        )
    )
    return elevation, azimuth % 360.0


def _corners(b: _Batch, model: SensorModel, heading: Array) -> tuple[Array, Array]:
    """Longitudes and latitudes (n, 5) of each strip's closed ring, counter-clockwise."""
    half_len = b.length_km * 500.0
    width = model.swath_km / np.cos(np.radians(b.off_nadir))
    half_w = width * 500.0
    n = len(b.lon)
    start_lon, start_lat, _ = GEOD.fwd(b.lon, b.lat, (heading + 180.0) % 360.0, half_len)
    end_lon, end_lat, _ = GEOD.fwd(b.lon, b.lat, heading, half_len)
    ring_lon = np.empty((n, 5))
    ring_lat = np.empty((n, 5))
    for k, (lo, la, turn) in enumerate(
        ((start_lon, start_lat, 90.0), (end_lon, end_lat, 90.0), (end_lon, end_lat, -90.0))
        + ((start_lon, start_lat, -90.0),)
    ):
        x, y, _ = GEOD.fwd(lo, la, (heading + turn) % 360.0, half_w)
        ring_lon[:, k], ring_lat[:, k] = x, y
    ring_lon[:, 4], ring_lat[:, 4] = ring_lon[:, 0], ring_lat[:, 0]
    area = np.sum(ring_lon[:, :-1] * ring_lat[:, 1:] - ring_lon[:, 1:] * ring_lat[:, :-1], axis=1)
    clockwise = area < 0
    ring_lon[clockwise] = ring_lon[clockwise][:, ::-1]
    ring_lat[clockwise] = ring_lat[clockwise][:, ::-1]
    return ring_lon, ring_lat


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _scene_id(
    model: SensorModel, platform: str, moment: datetime, lon: float, lat: float, i: int
) -> str:
    if model.collection in ("phr", "pneo", "spot"):
        east_west = "E" if lon >= 0 else "W"
        north_south = "N" if lat >= 0 else "S"
        tile = f"{east_west}{abs(int(lon)):03d}{north_south}{abs(int(lat)):02d}"
        serial = f"{i // 100000 % 10000:04d}_{i % 100000:05d}"
        return f"DS_{platform}_{moment:%Y%m%d%H%M%S}0_FR1_PX_{tile}_{serial}"
    if model.collection == "sentinel-2-l2a":
        zone = int((lon + 180.0) // 6.0) + 1
        band = "CDEFGHJKLMNPQRSTUVWXX"[max(0, min(20, int((lat + 80.0) // 8.0)))]
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        square = letters[i % 24] + letters[(i // 24) % 24]
        orbit = 1 + i % 143
        tile = f"T{zone:02d}{band}{square}"
        return f"S2{platform[-1].upper()}_MSIL2A_{_stamp(moment)}_R{orbit:03d}_{tile}_{i:07d}"
    kind = {"micro-fleet-l1": "L1", "vhr30": "P1BS", "hyperspectral": "HSI"}[model.collection]
    return f"{platform}_{_stamp(moment)}_{kind}_{i:07d}"


def _assets(model: SensorModel, collection: str, item_id: str) -> dict[str, Any]:
    base = f"/stac/collections/{collection}/items/{item_id}/assets"
    cog = "image/tiff; application=geotiff; profile=cloud-optimized"
    many = len(model.bands) > MAX_ITEM_BANDS  # listed in the collection's summaries instead
    bands = {} if many else {"eo:bands": band_list(model)}
    assets: dict[str, Any] = {}
    if model.pan_gsd is not None:
        assets["pan"] = {
            "href": f"{base}/pan",
            "type": cog,
            "title": "pan.tif",
            "roles": ["data"],
            "gsd": model.pan_gsd,
            "eo:bands": [{"name": "pan", "common_name": "pan", "center_wavelength": 0.65}],
        }
        assets["ms"] = {
            "href": f"{base}/ms",
            "type": cog,
            "title": "ms.tif",
            "roles": ["data"],
            "gsd": model.gsd * 4,
            **bands,
        }
    else:
        assets["analytic"] = {
            "href": f"{base}/analytic",
            "type": cog,
            "title": "analytic.tif",
            "roles": ["data"],
            **bands,
        }
    assets["visual"] = {
        "href": f"{base}/visual",
        "type": cog,
        "title": "visual.tif",
        "roles": ["visual"],
    }
    assets["thumbnail"] = {
        "href": f"{base}/thumbnail",
        "type": "image/png",
        "title": "thumbnail.png",
        "roles": ["thumbnail"],
    }
    assets["metadata"] = {
        "href": f"{base}/metadata",
        "type": "application/json",
        "title": "metadata.json",
        "roles": ["metadata"],
    }
    return assets


def _build(
    model: SensorModel,
    b: _Batch,
    products: Mapping[str, Product],
    ids: Sequence[str | None],
    uuids: Sequence[str | None] = (),
) -> list[CatalogItem]:
    heading = _heading(b.lat, model)
    ring_lon, ring_lat = _corners(b, model, heading)
    sun_el, sun_az = sun_position(b.lon, b.lat, b.when)
    ratio = (EARTH_RADIUS_KM + model.altitude_km) / EARTH_RADIUS_KM
    incidence = np.degrees(np.arcsin(np.clip(ratio * np.sin(np.radians(b.off_nadir)), -1, 1)))
    view_az = (heading - 90.0 * b.side) % 360.0
    width = model.swath_km / np.cos(np.radians(b.off_nadir))
    product = archive_product(products, model.collection)
    rings = np.stack((np.round(ring_lon, 6), np.round(ring_lat, 6)), axis=-1).tolist()
    boxes = np.stack(
        (ring_lon.min(axis=1), ring_lat.min(axis=1), ring_lon.max(axis=1), ring_lat.max(axis=1)),
        axis=1,
    ).tolist()
    view = np.round(
        np.stack((b.cloud, b.off_nadir, incidence, view_az, sun_az, sun_el), axis=1), 2
    ).tolist()
    areas = (width * b.length_km).tolist()
    out: list[CatalogItem] = []
    for k, when in enumerate(b.when.tolist()):
        moment = datetime.fromtimestamp(when, UTC).replace(microsecond=0)
        platform = model.platforms[int(b.platform[k])]
        item_id = ids[k] or _scene_id(
            model, platform, moment, float(b.lon[k]), float(b.lat[k]), int(b.index[k])
        )
        cloud, off_nadir, incidence_k, view_az_k, sun_az_k, sun_el_k = view[k]
        props: dict[str, Any] = {
            "datetime": format_datetime(moment),
            "platform": platform,
            "constellation": model.constellation,
            "instruments": list(model.instruments),
            "gsd": model.gsd,
            "eo:cloud_cover": cloud,
            "view:off_nadir": off_nadir,
            "view:incidence_angle": incidence_k,
            "view:azimuth": view_az_k,
            "view:sun_azimuth": sun_az_k,
            "view:sun_elevation": sun_el_k,
            "skyorder:sensor": model.sensor,
        }
        if product is not None:
            props.update(list_price_properties(areas[k], product))
        out.append(
            CatalogItem(
                id=item_id,
                collection=model.collection,
                datetime=moment,
                geometry={"type": "Polygon", "coordinates": [rings[k]]},
                bbox=BBox(*boxes[k]),
                properties=props,
                assets=_assets(model, model.collection, item_id),
                stac_extensions=(EO_EXTENSION, VIEW_EXTENSION),
                uuid=uuids[k] if k < len(uuids) else None,
            )
        )
    return out


def _when(rng: np.random.Generator, model: SensorModel, lon: Array, size: int) -> Array:
    start, end = model.first_date.timestamp(), END.timestamp()
    days = np.floor(rng.uniform(start, end, size) / 86400.0) * 86400.0
    solar = 10.5 * 3600.0 + rng.normal(0.0, model.time_spread_min * 60.0, size)
    return np.round(days + solar - lon / 15.0 * 3600.0)


def _locations(rng: np.random.Generator, size: int) -> tuple[Array, Array]:
    spots = np.array([h[:3] for h in HOTSPOTS])
    weights = np.array([h[3] for h in HOTSPOTS], dtype=float)
    pick = rng.choice(len(HOTSPOTS), size, p=weights / weights.sum())
    lon = spots[pick, 0] + rng.normal(0, 1, size) * spots[pick, 2]
    lat = spots[pick, 1] + rng.normal(0, 1, size) * spots[pick, 2] * 0.7
    regions = np.array([r[:4] for r in REGIONS])
    region_w = np.array([r[4] for r in REGIONS], dtype=float)
    elsewhere = rng.random(size) < 0.35
    which = rng.choice(len(REGIONS), size, p=region_w / region_w.sum())
    lon = np.where(elsewhere, rng.uniform(regions[which, 0], regions[which, 2]), lon)
    lat = np.where(elsewhere, rng.uniform(regions[which, 1], regions[which, 3]), lat)
    return np.clip(lon, -178.0, 178.0), np.clip(lat, -70.0, 70.0)


def _random_batch(
    rng: np.random.Generator, model: SensorModel, index: npt.NDArray[np.int64]
) -> _Batch:
    size = len(index)
    lon, lat = _locations(rng, size)
    when = _when(rng, model, lon, size)
    for _ in range(4):  # no acquisitions with the sun below 10°: move to the summer half-year
        elevation, _ = sun_position(lon, lat, when)
        dark = elevation < 10.0
        if not dark.any():
            break
        when = np.where(
            dark,
            when + 182 * 86400.0 * np.where(when + 182 * 86400.0 > END.timestamp(), -1, 1),
            when,
        )
        lat = np.where(dark, lat * 0.8, lat)
    return _Batch(
        index=index,
        lon=lon,
        lat=lat,
        when=when,
        off_nadir=model.max_off_nadir * rng.beta(1.3, 2.8, size),
        side=np.where(rng.random(size) < 0.5, -1.0, 1.0),
        cloud=100.0 * rng.beta(*model.cloud_beta, size),
        length_km=rng.uniform(*model.length_km, size),
        platform=rng.integers(0, len(model.platforms), size),
    )


def generate_items(
    n: int, seed: int = DEFAULT_SEED, products: Mapping[str, Product] | None = None, start: int = 0
) -> list[CatalogItem]:
    """``n`` archive scenes: the documents' examples first, then random scenes.

    The same ``n``, ``seed`` and products always give the same items. ``start``
    numbers the scenes of a later batch so that ids stay unique across batches
    (the examples come only with the batch that starts at 0).
    """
    products = products or {}
    examples = example_items(products) if start == 0 else []
    out = examples[:n]
    remaining = n - len(out)
    if remaining <= 0:
        return out
    rng = np.random.default_rng([seed, start])
    weights = np.array([s.weight for s in SENSORS])
    which = rng.choice(len(SENSORS), remaining, p=weights / weights.sum())
    first = start + len(out)
    for k, model in enumerate(SENSORS):
        index = first + np.flatnonzero(which == k).astype(np.int64)
        if len(index):
            batch = _random_batch(rng, model, index)
            out.extend(_build(model, batch, products, [None] * len(index)))
    return out


def example_items(products: Mapping[str, Product] | None = None) -> list[CatalogItem]:
    """The scenes the documents' examples search for, always the same."""
    out: list[CatalogItem] = []
    for number, ex in enumerate(examples()):
        model = BY_COLLECTION[ex.collection]
        when = datetime.fromisoformat(ex.when.replace("Z", "+00:00"))
        batch = _Batch(
            index=np.array([9_000_000 + number], dtype=np.int64),
            lon=np.array([ex.lon]),
            lat=np.array([ex.lat]),
            when=np.array([when.timestamp()]),
            off_nadir=np.array([ex.off_nadir]),
            side=np.array([1.0 if number % 2 else -1.0]),
            cloud=np.array([ex.cloud]),
            length_km=np.array([model.length_km[0]]),
            platform=np.array([ex.platform % len(model.platforms)], dtype=np.int64),
        )
        out.extend(_build(model, batch, products or {}, [ex.item_id], [ex.uuid]))
    return out
