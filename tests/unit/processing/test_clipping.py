"""The single-file clip + reproject + COG step (the benchmark's unit)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from rio_cogeo.cogeo import cog_validate

from skyorder.processing import InvalidProcessingOption, Scene, clip_to_cog
from tests.unit.processing.conftest import AOI, polygon


def test_clip_to_cog_writes_a_valid_cog_in_the_ordered_crs(tmp_path: Path, ms_scene: Scene) -> None:
    out = tmp_path / "clip.tif"
    clip_to_cog(ms_scene.ms_path, AOI, out, crs_code="EPSG:4326")
    with rasterio.Env(), rasterio.open(out) as src:
        assert src.crs.to_epsg() == 4326
    assert cog_validate(str(out), quiet=True)[0]


def test_clip_to_cog_keeps_the_pixels_in_the_same_utm_zone(tmp_path: Path, ms_scene: Scene) -> None:
    out = tmp_path / "clip.tif"
    grid = clip_to_cog(ms_scene.ms_path, AOI, out)
    assert grid.res == (20.0, 20.0)
    with rasterio.Env(), rasterio.open(out) as clipped, rasterio.open(ms_scene.ms_path) as source:
        row = round((source.transform.f - clipped.transform.f) / 20)
        col = round((clipped.transform.c - source.transform.c) / 20)
        original = source.read(window=((row, row + clipped.height), (col, col + clipped.width)))
        pixels = clipped.read()
    inside = pixels[0] != 0
    assert np.array_equal(pixels[:, inside], original[:, inside])


def test_clip_to_cog_refuses_an_aoi_off_the_raster(tmp_path: Path, ms_scene: Scene) -> None:
    with pytest.raises(InvalidProcessingOption) as exc:
        clip_to_cog(ms_scene.ms_path, polygon(5.0, 45.0, 5.1, 45.1), tmp_path / "clip.tif")
    assert exc.value.option == "aoi"
