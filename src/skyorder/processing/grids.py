"""Pixel grids, CRS choices and areas.

A :class:`RasterGrid` is a CRS, an affine transform and a size: everything
GDAL needs to warp into it. Grids are aligned on multiples of their resolution
(like ``gdalwarp -tap``) so that every product of a scene lines up.
Geometries move between CRSs with OGR (``rasterio.warp.transform_geom``) and
geodesic areas come from ``pyproj.Geod``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from affine import Affine
from pyproj import Geod
from rasterio.crs import CRS
from rasterio.warp import transform_geom
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from skyorder.processing.options import WGS84

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class RasterGrid:
    """A north-up pixel grid: CRS, transform and size."""

    epsg: int
    transform: Affine
    width: int
    height: int

    @classmethod
    def covering(
        cls, epsg: int, bounds: tuple[float, float, float, float], res: float
    ) -> RasterGrid:
        """The smallest grid of square ``res`` pixels, aligned on multiples of ``res``,
        that covers ``bounds`` (west, south, east, north in the grid's CRS)."""
        return cls.covering_xy(epsg, bounds, res, res)

    @classmethod
    def covering_xy(
        cls, epsg: int, bounds: tuple[float, float, float, float], xres: float, yres: float
    ) -> RasterGrid:
        """Like :meth:`covering` with distinct horizontal and vertical resolutions."""
        west, south, east, north = bounds
        col0 = math.floor(west / xres + 1e-9)
        col1 = max(math.ceil(east / xres - 1e-9), col0 + 1)
        row0 = math.floor(south / yres + 1e-9)
        row1 = max(math.ceil(north / yres - 1e-9), row0 + 1)
        transform = Affine(xres, 0.0, col0 * xres, 0.0, -yres, row1 * yres)
        return cls(epsg, transform, col1 - col0, row1 - row0)

    @property
    def crs(self) -> CRS:
        """The grid's CRS as a rasterio object."""
        crs: CRS = CRS.from_epsg(self.epsg)
        return crs

    @property
    def res(self) -> tuple[float, float]:
        """Pixel size (x, y) in CRS units."""
        return self.transform.a, -self.transform.e

    @property
    def shape(self) -> tuple[int, int]:
        """``(height, width)``, numpy order."""
        return self.height, self.width

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(west, south, east, north)`` in CRS units."""
        west, north = self.transform.c, self.transform.f
        return (
            west,
            north + self.transform.e * self.height,
            west + self.transform.a * self.width,
            north,
        )

    def scaled(self, factor: int) -> RasterGrid:
        """The grid over the same area with pixels ``factor`` times smaller."""
        t = self.transform
        transform = Affine(t.a / factor, 0.0, t.c, 0.0, t.e / factor, t.f)
        return RasterGrid(self.epsg, transform, self.width * factor, self.height * factor)


def utm_epsg_for(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 UTM zone containing a point (326xx north, 327xx south)."""
    zone = min(max(int(math.floor((lon + 180.0) / 6.0)) + 1, 1), 60)
    return (32600 if lat >= 0 else 32700) + zone


def default_epsg(geom: BaseGeometry) -> int:
    """The UTM zone of a WGS 84 geometry's centroid."""
    centroid = geom.centroid
    return utm_epsg_for(centroid.x, centroid.y)


def is_geographic(epsg: int) -> bool:
    """Whether the CRS has degrees for units."""
    return epsg == WGS84


def reproject_geometry(geom: BaseGeometry, src_epsg: int, dst_epsg: int) -> BaseGeometry:
    """Move a geometry between CRSs with OGR, densifying edges first.

    Edges are split every hundredth of the geometry's size so that straight lines
    in one CRS follow the curve they become in the other.
    """
    if src_epsg == dst_epsg:
        return geom
    west, south, east, north = geom.bounds
    step = max(east - west, north - south) / 100.0
    dense = shapely.segmentize(geom, step) if step > 0 else geom
    moved: dict[str, Any] = transform_geom(
        CRS.from_epsg(src_epsg), CRS.from_epsg(dst_epsg), mapping(dense)
    )
    return shape(moved)


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Area of a WGS 84 geometry on the ellipsoid, in km²."""
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(float(area)) / 1e6
