"""Clip to the ordered AOI and reproject to the ordered CRS.

The region delivered is the AOI ∩ the scene footprint. Its grid is aligned on
multiples of the pixel size in the target CRS (``gdalwarp -tap``), so the
image's extent is the region's bounds grown by less than a pixel; pixels whose
centre falls outside the region are "no data" (``gdalwarp -cutline``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import rasterio
import shapely
from rasterio.enums import Resampling
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from skyorder.core.errors import ValidationFailed
from skyorder.core.geometry import parse_aoi
from skyorder.processing.environment import PipelineConfig, gdal_env
from skyorder.processing.errors import InvalidProcessingOption
from skyorder.processing.formats import BandLayout, write_cog
from skyorder.processing.grids import RasterGrid, default_epsg, reproject_geometry
from skyorder.processing.options import WGS84, parse_crs_code
from skyorder.processing.warping import inside_mask, product_resolution, warp_file


@dataclass(frozen=True)
class ClippedImage:
    """Pixels warped onto a product grid, with the mask of pixels that hold data."""

    grid: RasterGrid
    pixels: npt.NDArray[Any]
    valid: npt.NDArray[np.bool_]


def clip_region(aoi: Mapping[str, Any], footprint: BaseGeometry, scene_id: str) -> BaseGeometry:
    """The part of the scene to deliver: the AOI ∩ the footprint, in EPSG:4326.

    Raises:
        InvalidProcessingOption: naming ``aoi`` when it is not a valid (Multi)Polygon
            or does not overlap the scene.
    """
    try:
        geom = parse_aoi(dict(aoi), field="aoi")
    except ValidationFailed as exc:
        raise InvalidProcessingOption(detail=exc.detail, errors=list(exc.errors)) from exc
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidProcessingOption.about(
            "aoi", f"must be a Polygon or MultiPolygon to clip an image, got a {geom.geom_type}"
        )
    region = _polygons(geom.intersection(footprint))
    if region.is_empty:
        west, south, east, north = (round(v, 6) for v in footprint.bounds)
        raise InvalidProcessingOption.about(
            "aoi",
            f"does not intersect the footprint of scene {scene_id} "
            f"(bounds {west}, {south}, {east}, {north})",
        )
    return region


def _polygons(geom: BaseGeometry) -> BaseGeometry:
    """Keep the areal parts of an intersection (edges and corners in common are dropped)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom if geom.area > 0 else shapely.MultiPolygon()
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon" and g.area > 0]
    return shapely.MultiPolygon(parts) if parts else shapely.MultiPolygon()


def product_grid(source: Path, region: BaseGeometry, epsg: int) -> RasterGrid:
    """The grid a product of ``source`` over ``region`` (EPSG:4326) has in ``epsg``."""
    xres, yres = product_resolution(source, epsg)
    local = reproject_geometry(region, WGS84, epsg)
    return RasterGrid.covering_xy(epsg, local.bounds, xres, yres)


def clip_image(
    source: Path,
    region: BaseGeometry,
    epsg: int,
    bands: Sequence[int],
    config: PipelineConfig,
) -> ClippedImage:
    """Warp ``bands`` (1-based) of ``source`` onto the product grid and blank what is outside.

    Runs inside the caller's ``gdal_env``.
    """
    grid = product_grid(source, region, epsg)
    resampling = Resampling[config.resampling]
    pixels = warp_file(source, grid, bands, resampling, config.warp_threads)
    valid = inside_mask(reproject_geometry(region, WGS84, epsg), grid)
    valid &= (pixels != 0).any(axis=0)
    pixels[:, ~valid] = 0
    return ClippedImage(grid, pixels, valid)


def raster_footprint(source: Path) -> BaseGeometry:
    """The extent of a raster file as a polygon in EPSG:4326."""
    with rasterio.open(source) as src:
        epsg = int(src.crs.to_epsg())
        t = src.transform
        extent = box(t.c, t.f + t.e * src.height, t.c + t.a * src.width, t.f)
    return reproject_geometry(extent, epsg, WGS84)


def clip_to_cog(
    source: Path,
    aoi: Mapping[str, Any],
    out_path: Path,
    *,
    crs_code: str | None = None,
    config: PipelineConfig | None = None,
) -> RasterGrid:
    """Clip a raster to an AOI, reproject it and write it as a COG, pixels unchanged.

    The single-file core of the product pipeline (what ``gdalwarp -cutline -te -tr``
    then ``gdal_translate -of COG`` do), used by the benchmark.

    Args:
        source: any raster GDAL reads, with nodata 0.
        aoi: GeoJSON (Multi)Polygon in EPSG:4326.
        out_path: the COG to write.
        crs_code: output CRS (``EPSG:4326``, ``EPSG:326xx``, ``EPSG:327xx`` or URN
            forms); default the AOI's UTM zone.
        config: pipeline tuning.

    Returns:
        The grid written.
    """
    config = config or PipelineConfig()
    epsg = None if crs_code is None else parse_crs_code(crs_code)
    with gdal_env(config):
        region = clip_region(aoi, raster_footprint(source), source.stem)
        target = epsg if epsg is not None else default_epsg(shape(dict(aoi)))
        with rasterio.open(source) as src:
            count = int(src.count)
            names = tuple(d or f"band {i + 1}" for i, d in enumerate(src.descriptions))
            scales, offsets = tuple(src.scales), tuple(src.offsets)
        image = clip_image(source, region, target, range(1, count + 1), config)
        layout = BandLayout(names=names, scales=scales, offsets=offsets)
        partial = out_path.with_name(f".{out_path.name}.partial")
        try:
            write_cog(image.pixels, image.grid, partial, layout, config)
            partial.replace(out_path)
        finally:
            partial.unlink(missing_ok=True)
    return image.grid
