"""The demo archive's sensors, collections, dense places and the documents' example scenes.

Seven collections, as the product catalogue sells them: a 1 m four-band
microsatellite fleet, a Pléiades-class 0.5 m pan / 2 m multispectral pair, a
0.3 m very-high-resolution sensor, a hyperspectral sensor (the tasking sensor's 250-band
VNIR and SWIR bandsets, listed once in the collection's summaries),
Sentinel-2 L2A, and (examples only) Pléiades Neo and SPOT. ``EXAMPLES`` are the
scenes the documents search for: Sentinel-2 over Chile (DataCosmos), Pléiades over
Toulouse, Denver and Leuven (OneAtlas, with its ``DS_PHR1A_...`` source ids and its
catalogue UUIDs), Pléiades Neo and SPOT over the same places, and the micro fleet
over Mar del Plata (Aleph).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from skyorder.core.bandsets import image_type_bands
from skyorder.core.catalog import Collection, format_datetime

EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
END = datetime(2025, 12, 31, tzinfo=UTC)

# (lon, lat, spread in degrees, weight): where archives are dense
HOTSPOTS = (
    (2.35, 48.86, 2.0, 3),
    (1.44, 43.60, 1.0, 2),
    (4.70, 50.87, 1.0, 2),
    (-104.99, 39.74, 2.0, 2),
    (-57.55, -38.0, 1.5, 2),
    (-70.65, -33.45, 2.5, 2),
    (-71.3, -27.4, 1.5, 2),
    (-0.13, 51.51, 1.5, 2),
    (13.40, 52.52, 2.0, 2),
    (-3.70, 40.42, 2.5, 2),
    (12.50, 41.90, 2.0, 2),
    (-74.0, 40.7, 2.0, 2),
    (-118.24, 34.05, 2.0, 2),
    (-46.63, -23.55, 2.0, 2),
    (31.24, 30.04, 2.0, 1),
    (36.82, -1.29, 2.0, 1),
    (28.05, -26.20, 2.0, 1),
    (55.27, 25.20, 1.5, 1),
    (77.21, 28.61, 2.5, 2),
    (72.88, 19.08, 2.0, 1),
    (100.50, 13.75, 2.0, 1),
    (106.85, -6.21, 2.0, 1),
    (116.40, 39.90, 2.5, 2),
    (121.47, 31.23, 2.0, 2),
    (139.69, 35.69, 2.0, 2),
    (151.21, -33.87, 2.0, 1),
    (144.96, -37.81, 2.0, 1),
    (-99.13, 19.43, 2.0, 1),
    (-58.38, -34.60, 2.0, 2),
    (-79.38, 43.65, 2.0, 1),
)
# (west, south, east, north, weight): land-ish boxes for the scenes outside the hotspots
REGIONS = (
    (-125.0, 25.0, -70.0, 50.0, 3),
    (-80.0, -40.0, -36.0, 5.0, 2),
    (-10.0, 36.0, 30.0, 60.0, 3),
    (-17.0, -34.0, 50.0, 35.0, 3),
    (60.0, 10.0, 140.0, 50.0, 4),
    (113.0, -38.0, 153.0, -12.0, 1),
)


@dataclass(frozen=True)
class SensorModel:
    """How one collection's sensor images: orbit, swath, agility and naming."""

    collection: str
    title: str
    description: str
    platforms: tuple[str, ...]
    constellation: str
    instruments: tuple[str, ...]
    gsd: float
    swath_km: float
    length_km: tuple[float, float]
    altitude_km: float
    inclination_deg: float
    max_off_nadir: float
    first_date: datetime
    weight: float
    sensor: str
    bands: tuple[tuple[str, str, float], ...]  # name, common name, centre µm
    cloud_beta: tuple[float, float] = (0.55, 2.2)
    pan_gsd: float | None = None
    time_spread_min: float = 12.0


def _hyperspectral_bands() -> tuple[tuple[str, str, float], ...]:
    """The hyperspectral tasking sensor's bandset (``core.bandsets``): VNIR and SWIR, in µm."""
    return tuple(
        (b.name, "", round(b.wavelength_nm / 1000.0, 5)) for b in image_type_bands("VSWIR")
    )


MAX_ITEM_BANDS = 32
"""Sensors of more bands list them in their collection's summaries, not in each scene."""


def band_list(model: SensorModel) -> list[dict[str, Any]]:
    """The sensor's bands as STAC ``eo:bands`` (name, common name, centre wavelength µm)."""
    return [
        {"name": n, **({"common_name": c} if c else {}), "center_wavelength": w}
        for n, c, w in model.bands
    ]


FOUR = (
    ("blue", "blue", 0.49),
    ("green", "green", 0.56),
    ("red", "red", 0.655),
    ("nir", "nir", 0.835),
)
SENSORS: tuple[SensorModel, ...] = (
    SensorModel(
        "micro-fleet-l1",
        "Micro fleet L1 (1 m multispectral)",
        "Archive of a fleet of twelve microsatellites imaging at 1 m in four bands.",
        tuple(f"SKY-{i:02d}" for i in range(1, 13)),
        "skyorder-micro",
        ("micro-ms",),
        1.0,
        5.0,
        (5.0, 15.0),
        500.0,
        97.4,
        30.0,
        datetime(2020, 6, 1, tzinfo=UTC),
        0.40,
        "micro",
        FOUR,
    ),
    SensorModel(
        "phr",
        "Pléiades-class 0.5 m pan / 2 m multispectral",
        "Archive of a pair of agile satellites: 0.5 m panchromatic and 2 m multispectral.",
        ("PHR1A", "PHR1B"),
        "pleiades",
        ("phr",),
        0.5,
        20.0,
        (20.0, 40.0),
        694.0,
        98.2,
        30.0,
        EPOCH,
        0.22,
        "PHR",
        FOUR,
        pan_gsd=0.5,
    ),
    SensorModel(
        "vhr30",
        "Very high resolution 0.3 m",
        "Archive of a 0.3 m panchromatic / 1.2 m multispectral very-high-resolution sensor.",
        ("VHR30-1", "VHR30-2"),
        "vhr30",
        ("vhr30",),
        0.3,
        13.0,
        (13.0, 30.0),
        617.0,
        97.9,
        35.0,
        datetime(2021, 3, 1, tzinfo=UTC),
        0.14,
        "vhr30",
        FOUR,
        pan_gsd=0.3,
    ),
    SensorModel(
        "hyperspectral",
        "Hyperspectral 5 m (VNIR and SWIR bandsets)",
        "Archive of a hyperspectral constellation: 5 m, 250 bands, VNIR B001-B150 (473-920 "
        "nm) and SWIR B151-B250 (936-2484 nm); an order chooses an image type and its bands.",
        ("HYP-1", "HYP-2", "HYP-3"),
        "hyperspectral",
        ("hsi",),
        5.0,
        30.0,
        (30.0, 60.0),
        520.0,
        97.5,
        20.0,
        datetime(2022, 1, 1, tzinfo=UTC),
        0.09,
        "hyperspectral",
        _hyperspectral_bands(),
    ),
    SensorModel(
        "sentinel-2-l2a",
        "Sentinel-2 Level-2A",
        "Sentinel-2 MSI surface reflectance, 10 m, in 100 km tiles.",
        ("sentinel-2a", "sentinel-2b"),
        "sentinel-2",
        ("msi",),
        10.0,
        100.0,
        (100.0, 100.0),
        786.0,
        98.6,
        5.0,
        EPOCH,
        0.15,
        "MSI",
        FOUR,
        cloud_beta=(0.45, 1.4),
        time_spread_min=4.0,
    ),
)
# Pléiades Neo and SPOT: the OneAtlas guide's other two sensors. Their weight in the random
# draw is nought (the demo archive's random scenes stay what they were); their scenes are
# the examples below.
SIX = (
    ("coastal", "coastal", 0.425),
    ("blue", "blue", 0.49),
    ("green", "green", 0.56),
    ("red", "red", 0.655),
    ("rededge", "rededge", 0.715),
    ("nir", "nir08", 0.835),
)
SENSORS += (
    SensorModel(
        "pneo",
        "Pléiades Neo 0.3 m pan / 1.2 m six-band multispectral",
        "Archive of the Pléiades Neo pair: 0.3 m panchromatic, 1.2 m multispectral in six "
        "bands (deep blue, blue, green, red, red edge, near infrared).",
        ("PNEO3", "PNEO4"),
        "pleiades-neo",
        ("pneo",),
        0.3,
        14.0,
        (14.0, 28.0),
        620.0,
        97.9,
        30.0,
        datetime(2021, 9, 1, tzinfo=UTC),
        0.0,
        "PNEO",
        SIX,
        pan_gsd=0.3,
    ),
    SensorModel(
        "spot",
        "SPOT 6/7 1.5 m pan / 6 m multispectral",
        "Archive of the SPOT 6 and 7 pair: 1.5 m panchromatic and 6 m multispectral, 60 km swath.",
        ("SPOT6", "SPOT7"),
        "spot",
        ("naomi",),
        1.5,
        60.0,
        (60.0, 60.0),
        694.0,
        98.2,
        30.0,
        EPOCH,
        0.0,
        "SPOT",
        FOUR,
        pan_gsd=1.5,
    ),
)
BY_COLLECTION = {s.collection: s for s in SENSORS}


def demo_collections() -> list[Collection]:
    """The collections of the demo archive (extents grow as items are ingested)."""
    out = []
    for s in SENSORS:
        fields: dict[str, Any] = {
            "stac_extensions": [],
            "keywords": ["earth observation", "archive", s.constellation],
            "providers": [
                {"name": "skyorder demo archive", "roles": ["producer", "processor", "host"]}
            ],
            "extent": {
                "spatial": {"bbox": [[-180.0, -90.0, 180.0, 90.0]]},
                "temporal": {"interval": [[format_datetime(s.first_date), None]]},
            },
            "summaries": {
                "platform": list(s.platforms),
                "constellation": [s.constellation],
                "instruments": list(s.instruments),
                "gsd": [s.gsd] if s.pan_gsd is None else [s.pan_gsd, s.gsd * 4],
            },
        }
        if len(s.bands) > MAX_ITEM_BANDS:  # listed once here rather than in every scene
            fields["summaries"]["eo:bands"] = band_list(s)
        out.append(Collection(s.collection, s.title, s.description, "proprietary", fields))
    return out


@dataclass(frozen=True)
class Example:
    """One documented scene: where, when, how cloudy, at what angle, by which platform."""

    collection: str
    lon: float
    lat: float
    when: str
    cloud: float
    off_nadir: float = 8.0
    platform: int = 0
    item_id: str | None = None
    uuid: str | None = None


def examples() -> list[Example]:
    """The scenes the documents' examples search for."""
    chile = [
        Example("sentinel-2-l2a", -71.37 + dx, -27.37 + dy, f"{d}T14:4{k % 10}:21Z", c, 2.0, k % 2)
        for k, (dx, dy, d, c) in enumerate(
            [
                (0.05, 0.02, "2025-01-14", 3.2),
                (-0.10, 0.08, "2025-02-18", 12.5),
                (0.12, -0.05, "2025-03-10", 45.0),
                (-0.02, -0.12, "2024-11-03", 8.1),
                (0.20, 0.15, "2024-09-21", 71.3),
                (-0.15, 0.00, "2024-12-28", 17.9),
                (0.00, 0.10, "2025-04-02", 0.4),
                (0.08, -0.18, "2024-10-12", 33.0),
                (-0.05, 0.05, "2025-05-06", 19.6),
                (0.10, 0.10, "2024-08-30", 92.0),
            ]
        )
    ]
    toulouse = [
        Example(
            "phr",
            1.4584,
            43.6162,
            "2022-01-23T10:49:18Z",
            2.0,
            12.0,
            0,
            "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724",
            "d42de348-110b-4ed6-a597-755867b3ee54",
        ),
        Example(
            "phr",
            1.46,
            43.62,
            "2023-06-14T10:41:02Z",
            0.0,
            5.5,
            1,
            None,
            "3f33d1b8-ec54-433b-9808-107cee523637",
        ),
        Example("phr", 1.45, 43.61, "2024-04-02T10:52:40Z", 14.0, 21.0, 0),
        Example("phr", 1.47, 43.60, "2025-07-19T10:37:55Z", 6.3, 9.8, 1),
        Example("vhr30", 1.458, 43.616, "2024-05-30T10:29:12Z", 1.2, 14.0, 0),
        Example("micro-fleet-l1", 1.458, 43.616, "2025-03-03T10:33:00Z", 4.0, 11.0, 2),
    ]
    denver = [
        Example("phr", -104.776, 39.791, "2023-09-09T17:47:31Z", 0.8, 7.0, 0),
        Example("phr", -104.77, 39.80, "2024-06-22T17:36:12Z", 11.4, 18.0, 1),
        Example("phr", -104.78, 39.78, "2025-05-11T17:51:03Z", 3.6, 4.2, 0),
        Example("vhr30", -104.776, 39.791, "2025-08-02T17:33:45Z", 0.0, 22.0, 1),
    ]
    leuven = [
        Example("phr", 4.71, 50.8676, "2023-04-27T10:28:40Z", 5.1, 10.0, 1),
        Example("phr", 4.70, 50.87, "2024-07-08T10:19:22Z", 0.3, 15.5, 0),
        Example("phr", 4.72, 50.86, "2025-06-16T10:24:09Z", 9.7, 6.1, 1),
    ]
    mar_del_plata = [
        Example("micro-fleet-l1", -57.575 + 0.002 * k, -37.936 + 0.002 * (k % 3), when, c, o, k)
        for k, (when, c, o) in enumerate(
            [
                ("2025-11-10T14:21:05Z", 2.0, 6.0),
                ("2025-10-02T14:33:40Z", 15.5, 18.0),
                ("2025-08-19T14:28:12Z", 0.0, 3.5),
                ("2025-06-05T14:40:31Z", 42.0, 24.0),
                ("2024-12-22T14:25:58Z", 7.7, 12.0),
                ("2024-09-14T14:36:20Z", 22.0, 9.0),
            ]
        )
    ] + [
        Example("hyperspectral", -57.56, -37.95, "2025-01-30T14:30:00Z", 3.0, 6.0, 0),
        Example("hyperspectral", -71.35, -27.38, "2024-12-01T14:44:00Z", 1.0, 4.0, 1),
    ]
    oneatlas = [  # the scenes the OneAtlas guide orders, with its catalogue UUIDs
        Example(
            "phr",
            4.748,
            50.92,
            "2017-05-11T11:01:52Z",
            1.0,
            9.2,
            0,
            "DS_PHR1A_201705111101521_FR1_PX_E004N50_0923_01783",
            "ce6b6688-0400-43cc-99d6-b0e6fe1cdc46",
        ),
        Example(
            "phr",
            -104.768,
            39.79,
            "2017-02-20T17:54:40Z",
            0.0,
            3.1,
            0,
            "DS_PHR1A_201702201754406_FR1_PX_W105N39_0319_07392",
            "b6777f1b-5a43-452c-bc1b-42223bac23cb",
        ),
        Example(
            "phr",
            -104.857,
            39.77,
            "2020-12-05T17:59:53Z",
            0.5,
            2.19,
            1,
            "DS_PHR1B_202012051759536_FR1_PX_W105N39_0219_00596",
            "e1ce3f3d-931b-4274-9120-7dd23d0a517d",
        ),
        Example("pneo", 1.458, 43.616, "2023-08-10T10:36:20Z", 0.0, 8.5, 0),
        Example("pneo", 4.71, 50.8676, "2024-05-21T10:22:41Z", 3.4, 12.0, 1),
        Example("pneo", -104.776, 39.791, "2024-09-03T17:40:12Z", 0.2, 6.0, 0),
        Example("spot", 1.458, 43.616, "2021-09-14T10:31:05Z", 1.5, 10.0, 1),
        Example("spot", 4.71, 50.8676, "2022-06-30T10:27:48Z", 4.0, 14.0, 0),
        Example("spot", -104.776, 39.791, "2022-07-18T17:44:30Z", 0.0, 5.0, 1),
    ]
    return chile + toulouse + denver + leuven + mar_del_plata + oneatlas
