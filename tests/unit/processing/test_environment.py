"""The pipeline's GDAL environment."""

from __future__ import annotations

from rasterio.env import get_gdal_config

from skyorder.processing.environment import PipelineConfig, gdal_env


def test_the_block_cache_is_sized_in_megabytes() -> None:
    # rasterio reads an integer GDAL_CACHEMAX as bytes: 512 would be a 512-byte cache.
    with gdal_env(PipelineConfig(cache_mb=512)):
        assert get_gdal_config("GDAL_CACHEMAX") == 512 * 1024 * 1024
