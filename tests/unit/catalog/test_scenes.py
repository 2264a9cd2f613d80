from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from shapely.geometry import box, shape

from skyorder.core.catalog import validate_item
from skyorder.core.products import Product
from skyorder.services.demo_archive import demo_collections
from skyorder.services.products import load_products
from skyorder.services.scenes import example_items, generate_items, sun_position

TOULOUSE = box(1.4089965820312502, 43.59829500262717, 1.5078735351562496, 43.63408731864001)
CHILE = box(-71.72, -27.68, -71.02, -27.06)


@pytest.fixture(scope="module")
def products() -> dict[str, Product]:
    return {p.sku: p for p in load_products()}


@pytest.fixture(scope="module")
def scenes(products: dict[str, Product]) -> list:  # type: ignore[type-arg]
    return generate_items(1500, seed=11, products=products)


def test_the_same_seed_gives_the_same_scenes(products: dict[str, Product]) -> None:
    first = generate_items(300, seed=3, products=products)
    again = generate_items(300, seed=3, products=products)
    other = generate_items(300, seed=4, products=products)
    assert [i.id for i in first] == [i.id for i in again]
    assert [i.geometry for i in first] == [i.geometry for i in again]
    assert [i.id for i in first] != [i.id for i in other]


def test_exactly_n_unique_scenes_across_batches(products: dict[str, Product]) -> None:
    first = generate_items(200, seed=1, products=products)
    second = generate_items(200, seed=1, products=products, start=200)
    assert len(first) == len(second) == 200
    assert len({(i.collection, i.id) for i in first + second}) == 400


def test_every_scene_passes_ingest_validation(scenes: list) -> None:  # type: ignore[type-arg]
    for item in scenes[:300]:
        document = {
            "type": "Feature",
            "id": item.id,
            "geometry": item.geometry,
            "properties": item.properties,
            "assets": item.assets,
        }
        assert validate_item(document, item.collection).id == item.id


def test_every_collection_is_represented_with_its_resolution(scenes: list) -> None:  # type: ignore[type-arg]
    gsd = {i.collection: i.properties["gsd"] for i in scenes}
    assert gsd == {
        "micro-fleet-l1": 1.0,
        "phr": 0.5,
        "vhr30": 0.3,
        "hyperspectral": 5.0,
        "sentinel-2-l2a": 10.0,
        "pneo": 0.3,
        "spot": 1.5,
    }
    pneo = next(i for i in scenes if i.collection == "pneo")
    assert [b["name"] for b in pneo.assets["ms"]["eo:bands"]] == [
        "coastal",
        "blue",
        "green",
        "red",
        "rededge",
        "nir",
    ]
    assert (pneo.assets["pan"]["gsd"], pneo.assets["ms"]["gsd"]) == (0.3, 1.2)
    spot = next(i for i in scenes if i.collection == "spot")
    assert (spot.assets["pan"]["gsd"], spot.assets["ms"]["gsd"]) == (1.5, 6.0)
    assert len(spot.assets["ms"]["eo:bands"]) == 4
    hyperspectral = next(i for i in scenes if i.collection == "hyperspectral")
    assert "eo:bands" not in hyperspectral.assets["analytic"]  # the collection lists them


def test_the_hyperspectral_collection_lists_the_tasking_sensor_s_bandset() -> None:
    (collection,) = [c for c in demo_collections() if c.id == "hyperspectral"]
    bands = collection.fields["summaries"]["eo:bands"]
    assert len(bands) == 250
    assert bands[0] == {"name": "B001", "center_wavelength": 0.473}
    assert bands[150] == {"name": "B151", "center_wavelength": 0.93564}


def test_strips_are_tilted_along_a_descending_sun_synchronous_track(scenes: list) -> None:  # type: ignore[type-arg]
    for item in scenes[100:400]:
        ring = np.array(item.geometry["coordinates"][0])
        first_edge = ring[1] - ring[0]  # an along-track edge
        east = first_edge[0] * np.cos(np.radians(ring[0][1]))  # metric proportions
        heading = np.degrees(np.arctan2(east, first_edge[1])) % 180
        # a descending track heads south-south-west: its edges are a few degrees off north-south
        assert 2 < heading < 25 or 155 < heading < 178, (item.id, heading)
        assert shape(item.geometry).is_valid


def test_acquisitions_are_near_half_past_ten_local_solar_time(scenes: list) -> None:  # type: ignore[type-arg]
    for item in scenes[100:600]:
        lon = shape(item.geometry).centroid.x
        when = item.datetime.astimezone(UTC)
        local = (when.hour + when.minute / 60 + lon / 15) % 24
        assert 9.5 < local < 11.5, (item.id, local)
        assert item.properties["view:sun_elevation"] >= 10


def test_view_and_cloud_values_are_plausible(scenes: list) -> None:  # type: ignore[type-arg]
    clouds = np.array([i.properties["eo:cloud_cover"] for i in scenes])
    assert 0 <= clouds.min() and clouds.max() <= 100 and 10 < np.median(clouds) < 40
    for item in scenes:
        assert 0 <= item.properties["view:off_nadir"] <= 35
        assert item.properties["view:incidence_angle"] >= item.properties["view:off_nadir"]


def test_the_sun_is_high_at_noon_in_summer_and_low_in_winter() -> None:
    noon_june = datetime(2024, 6, 21, 12, 0, tzinfo=UTC).timestamp()
    noon_dec = datetime(2024, 12, 21, 12, 0, tzinfo=UTC).timestamp()
    elevation, azimuth = sun_position(
        np.array([0.0, 0.0]), np.array([45.0, 45.0]), np.array([noon_june, noon_dec])
    )
    assert abs(elevation[0] - 68.4) < 1.0 and abs(elevation[1] - 21.6) < 1.0
    assert abs(azimuth[0] - 180) < 5


def test_the_documents_examples_are_covered(products: dict[str, Product]) -> None:
    examples = example_items(products)
    phr = [i for i in examples if i.collection == "phr"]
    doc = next(i for i in phr if i.id == "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724")
    assert shape(doc.geometry).contains(TOULOUSE)
    assert sum(shape(i.geometry).contains(TOULOUSE) for i in phr) >= 4
    s2 = [i for i in examples if i.collection == "sentinel-2-l2a"]
    low = [
        i
        for i in s2
        if shape(i.geometry).intersects(CHILE) and i.properties["eo:cloud_cover"] <= 20
    ]
    assert len(low) >= 5
    for lon, lat in ((-104.776, 39.791), (4.710, 50.8676)):
        assert any(
            shape(i.geometry).contains(box(lon - 0.005, lat - 0.002, lon + 0.005, lat + 0.002))
            for i in phr
        )
    mdp = box(-57.576, -37.937, -57.574, -37.935)
    assert (
        sum(shape(i.geometry).contains(mdp) for i in examples if i.collection == "micro-fleet-l1")
        >= 5
    )
    assert all(i.properties["opencosmos:price"] > 0 for i in examples)


def test_the_oneatlas_guides_scenes_have_its_catalogue_uuids_and_source_ids(
    products: dict[str, Product],
) -> None:
    by_uuid = {i.catalog_uuid: i for i in example_items(products)}
    leuven = box(4.705066680908203, 50.86576445831801, 4.714937210083009, 50.869271906986995)
    denver = box(-104.776331, 39.790956, -104.775823, 39.791346)
    toulouse = by_uuid["d42de348-110b-4ed6-a597-755867b3ee54"]
    assert toulouse.id == "DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724"
    assert shape(toulouse.geometry).contains(TOULOUSE)
    assert shape(by_uuid["3f33d1b8-ec54-433b-9808-107cee523637"].geometry).contains(TOULOUSE)
    ce6b = by_uuid["ce6b6688-0400-43cc-99d6-b0e6fe1cdc46"]
    assert ce6b.id == "DS_PHR1A_201705111101521_FR1_PX_E004N50_0923_01783"
    assert shape(ce6b.geometry).contains(leuven)
    for uuid, source in (
        (
            "b6777f1b-5a43-452c-bc1b-42223bac23cb",
            "DS_PHR1A_201702201754406_FR1_PX_W105N39_0319_07392",
        ),
        (
            "e1ce3f3d-931b-4274-9120-7dd23d0a517d",
            "DS_PHR1B_202012051759536_FR1_PX_W105N39_0219_00596",
        ),
    ):
        assert by_uuid[uuid].id == source
        assert shape(by_uuid[uuid].geometry).contains(denver)


def test_scenes_without_a_given_uuid_get_a_stable_one_distinct_from_their_id(
    products: dict[str, Product],
) -> None:
    first = generate_items(50, seed=5, products=products, start=100)
    again = generate_items(50, seed=5, products=products, start=100)
    assert [i.catalog_uuid for i in first] == [i.catalog_uuid for i in again]
    assert len({i.catalog_uuid for i in first}) == 50
    assert all(i.catalog_uuid != i.id for i in first)
