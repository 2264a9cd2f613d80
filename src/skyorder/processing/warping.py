"""Moving pixels between grids with GDAL: resampling, warping, clipping masks.

Everything here is a thin, typed call into GDAL's warper (``rasterio.warp``) or
rasterizer (``rasterio.features``); callers run it inside ``gdal_env``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import rasterio
from rasterio.enums import Resampling
from rasterio.features import geometry_mask
from rasterio.vrt import WarpedVRT
from rasterio.warp import reproject
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from skyorder.processing.grids import RasterGrid, is_geographic


def resample(
    array: npt.NDArray[np.floating[Any]],
    src: RasterGrid,
    dst: RasterGrid,
    resampling: Resampling,
    threads: int,
) -> npt.NDArray[np.float32]:
    """Resample a ``(rows, cols)`` or ``(bands, rows, cols)`` float array from one grid to another.

    Used for the synthetic textures (bilinear up-sampling) and to aggregate fine
    pixels into coarse ones (``Resampling.average``).
    """
    shape = (*array.shape[:-2], *dst.shape)
    out = np.zeros(shape, dtype=np.float32)
    reproject(
        source=np.ascontiguousarray(array, dtype=np.float32),
        destination=out,
        src_transform=src.transform,
        src_crs=src.crs,
        dst_transform=dst.transform,
        dst_crs=dst.crs,
        resampling=resampling,
        num_threads=threads,
    )
    return out


def inside_mask(geom: BaseGeometry, grid: RasterGrid) -> npt.NDArray[np.bool_]:
    """Pixels of ``grid`` whose centre lies inside ``geom`` (given in the grid's CRS).

    The same rule as ``gdalwarp -cutline``.
    """
    mask: npt.NDArray[np.bool_] = geometry_mask(
        [mapping(geom)], out_shape=grid.shape, transform=grid.transform, invert=True
    )
    return mask


def warp_file(
    path: Path,
    grid: RasterGrid,
    bands: Sequence[int],
    resampling: Resampling,
    threads: int,
    nodata: float = 0,
) -> npt.NDArray[Any]:
    """Read ``bands`` (1-based) of a raster file warped onto ``grid``.

    GDAL reads only the source blocks the grid needs; pixels that no source
    pixel covers are ``nodata``.
    """
    with rasterio.open(path) as src:
        dtype = src.dtypes[bands[0] - 1]
        out = np.full((len(bands), *grid.shape), nodata, dtype=dtype)
        reproject(
            source=rasterio.band(src, list(bands)),
            destination=out,
            dst_transform=grid.transform,
            dst_crs=grid.crs,
            src_nodata=src.nodata if src.nodata is not None else nodata,
            dst_nodata=nodata,
            resampling=resampling,
            num_threads=threads,
        )
    return out


def product_resolution(path: Path, epsg: int) -> tuple[float, float]:
    """Pixel size of a product warped from ``path`` into ``epsg``.

    A projected CRS keeps the source's ground sample distance; EPSG:4326 gets
    the square pixel size GDAL suggests (what ``gdalwarp`` picks by default).
    """
    with rasterio.open(path) as src:
        if not is_geographic(epsg):
            xres, yres = src.res
        else:
            with WarpedVRT(src, crs=f"EPSG:{epsg}") as suggested:
                xres, yres = suggested.res
    return float(xres), float(yres)
