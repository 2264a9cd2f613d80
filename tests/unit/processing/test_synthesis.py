"""Synthetic scenes: deterministic, in the footprint's UTM zone, clouds as requested."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from rio_cogeo.cogeo import cog_validate

from skyorder.processing import InvalidProcessingOption, Scene, synthesize_scene
from skyorder.processing.packaging import sha256_of
from skyorder.processing.synthesis import CLOUD, OUTSIDE, open_scene
from tests.unit.processing.conftest import polygon, scene_request


def read(path: Path) -> np.ndarray:
    with rasterio.Env(), rasterio.open(path) as src:
        return src.read()


def test_the_same_scene_id_gives_identical_files(tmp_path: Path) -> None:
    first = synthesize_scene(scene_request("SAME_ID"), tmp_path / "a")
    second = synthesize_scene(scene_request("SAME_ID"), tmp_path / "b")
    assert sha256_of(first.ms_path) == sha256_of(second.ms_path)
    assert sha256_of(first.cloud_mask_path) == sha256_of(second.cloud_mask_path)


def test_another_scene_id_gives_other_pixels(tmp_path: Path, ms_scene: Scene) -> None:
    other = synthesize_scene(scene_request("ANOTHER_ID"), tmp_path)
    assert not np.array_equal(read(other.ms_path), read(ms_scene.ms_path))


@pytest.mark.parametrize("cover", [0.0, 0.07, 0.35, 0.8, 1.0])
def test_the_cloud_mask_covers_the_requested_share_of_the_footprint(
    tmp_path: Path, cover: float
) -> None:
    scene = synthesize_scene(scene_request("CLOUDY", cloud_cover=cover), tmp_path)
    mask = read(scene.cloud_mask_path)[0]
    inside = mask != OUTSIDE
    assert (mask[inside] == CLOUD).mean() == pytest.approx(cover, abs=0.02)
    assert scene.cloud_cover == pytest.approx(cover, abs=0.02)


def test_the_scene_is_in_the_footprints_utm_zone(ms_scene: Scene) -> None:
    with rasterio.Env(), rasterio.open(ms_scene.ms_path) as src:
        assert src.crs.to_epsg() == 32631


def test_a_southern_footprint_gets_a_south_utm_zone(tmp_path: Path) -> None:
    footprint = polygon(-57.60, -37.96, -57.58, -37.94)
    scene = synthesize_scene(scene_request("MDQ", footprint=footprint), tmp_path)
    assert scene.epsg == 32721


def test_multispectral_bands_are_written_at_the_requested_gsd(ms_scene: Scene) -> None:
    with rasterio.Env(), rasterio.open(ms_scene.ms_path) as src:
        assert src.res == (20.0, 20.0)
        assert src.descriptions == ("blue", "green", "red", "nir")
        assert src.dtypes == ("uint16",) * 4


def test_a_pan_ms_sensor_gets_a_panchromatic_band_four_times_finer(pan_scene: Scene) -> None:
    assert pan_scene.pan_path is not None
    with rasterio.Env(), rasterio.open(pan_scene.pan_path) as pan:
        with rasterio.open(pan_scene.ms_path) as ms:
            assert pan.res == (2.5, 2.5)
            assert ms.res == (10.0, 10.0)
            assert pan.bounds == ms.bounds


def test_digital_numbers_stay_within_the_sensors_bit_depth(ms_scene: Scene) -> None:
    assert read(ms_scene.ms_path).max() <= ms_scene.sensor.max_dn


def test_band_scale_and_offset_calibrate_to_reflectance(ms_scene: Scene) -> None:
    with rasterio.Env(), rasterio.open(ms_scene.ms_path) as src:
        blue = ms_scene.sensor.bands[0]
        assert src.scales[0] == pytest.approx(1 / blue.gain)
        assert src.offsets[0] == pytest.approx(-blue.offset / blue.gain)


@pytest.mark.parametrize("layer", ["ms_path", "pan_path", "cloud_mask_path"])
def test_scene_files_are_valid_cogs(pan_scene: Scene, layer: str) -> None:
    valid, errors, _ = cog_validate(str(getattr(pan_scene, layer)), quiet=True)
    assert valid, errors


def test_the_pixel_budget_coarsens_the_gsd_and_says_so(tmp_path: Path) -> None:
    scene = synthesize_scene(scene_request("BUDGET", gsd=5.0, pixel_budget=40_000), tmp_path)
    with rasterio.Env(), rasterio.open(scene.ms_path) as src:
        assert src.width * src.height <= 40_000
        assert src.res[0] == scene.gsd
    assert scene.gsd > 5.0
    assert scene.coarsened


def test_the_pixel_budget_keeps_the_pan_to_ms_ratio(tmp_path: Path) -> None:
    request = scene_request("BUDGET_PHR", sensor="PHR", gsd=0.5, pixel_budget=250_000)
    scene = synthesize_scene(request, tmp_path)
    assert scene.sensor.pan_gsd is not None
    assert scene.sensor.gsd == pytest.approx(4 * scene.sensor.pan_gsd)
    assert scene.sensor.pan_gsd > 0.5


def test_a_scene_reads_back_from_its_directory(ms_scene: Scene) -> None:
    assert open_scene(ms_scene.ms_path.parent) == ms_scene


def test_a_cloud_cover_above_one_is_refused_naming_cloud_cover(tmp_path: Path) -> None:
    with pytest.raises(InvalidProcessingOption) as exc:
        synthesize_scene(scene_request("BAD", cloud_cover=1.5), tmp_path)
    assert exc.value.option == "cloud_cover"
    assert not any(tmp_path.iterdir())


def test_a_point_footprint_is_refused_naming_footprint(tmp_path: Path) -> None:
    point = {"type": "Point", "coordinates": [1.4, 43.6]}
    with pytest.raises(InvalidProcessingOption) as exc:
        synthesize_scene(scene_request("BAD", footprint=point), tmp_path)
    assert exc.value.option == "footprint"
