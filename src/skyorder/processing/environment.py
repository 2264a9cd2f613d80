"""How the pipeline runs GDAL: one configuration object and one ``rasterio.Env``.

Library configured by arguments: the caller builds a :class:`PipelineConfig`
(the services from ``Settings``) and every function that touches a raster runs
inside :func:`gdal_env`, which scopes GDAL's configuration to that call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import rasterio


@dataclass(frozen=True)
class PipelineConfig:
    """Tuning of the raster pipeline (not what the customer ordered).

    Attributes:
        threads: GDAL worker threads for warping and compression (``0`` = all CPUs).
        cache_mb: GDAL block cache size.
        resampling: GDAL resampling used when warping to the product grid.
        cog_blocksize: tile size of the Cloud Optimized GeoTIFFs.
        cog_compress: COG compression (``DEFLATE``, ``ZSTD``, ``LZW``...).
        jp2_lossless: whether JPEG 2000 analytic files are lossless (else quality 95 %).
        preview_size: longest side of the preview PNG, in pixels.
        thumbnail_size: longest side of the thumbnail PNG, in pixels.
    """

    threads: int = 0
    cache_mb: int = 512
    resampling: str = "bilinear"
    cog_blocksize: int = 512
    cog_compress: str = "DEFLATE"
    jp2_lossless: bool = True
    preview_size: int = 1024
    thumbnail_size: int = 256

    @property
    def gdal_threads(self) -> str:
        """The thread count as GDAL spells it."""
        return "ALL_CPUS" if self.threads <= 0 else str(self.threads)

    @property
    def warp_threads(self) -> int:
        """The thread count as ``rasterio.warp.reproject`` wants it."""
        if self.threads > 0:
            return self.threads
        return max(os.cpu_count() or 1, 1)


def gdal_env(config: PipelineConfig) -> rasterio.Env:
    """A GDAL environment for one pipeline call.

    PAM side-car files (``.aux.xml``) are off so that each deliverable is exactly
    the files the pipeline lists; GDAL does not list directories to find them.
    """
    env: rasterio.Env = rasterio.Env(
        GDAL_NUM_THREADS=config.gdal_threads,
        # rasterio hands an integer to GDALSetCacheMax64: bytes, not GDAL's megabytes. Given
        # as 512 it was a 512-byte cache: every tile decoded again for each line read
        # (rasterio#2336), 13 s of a 2-megapixel product's 14.
        GDAL_CACHEMAX=config.cache_mb * 1024 * 1024,
        GDAL_PAM_ENABLED="NO",
        GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR",
    )
    return env
