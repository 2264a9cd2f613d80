"""What a product says about itself: the metadata JSON of a deliverable.

Field names follow the deliverable metadata the platform shows (Aleph's
``gsd``, ``area_km2``, ``scene_id``...) plus the processing options as ordered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skyorder.processing.grids import RasterGrid


@dataclass(frozen=True)
class ImageInfo:
    """One delivered analytic image: its bands and grid."""

    key: str
    name: str
    bands: tuple[str, ...]
    data_type: str
    grid: RasterGrid
    gsd: float

    def to_json(self) -> dict[str, Any]:
        """JSON-ready description."""
        t = self.grid.transform
        return {
            "key": self.key,
            "name": self.name,
            "bands": list(self.bands),
            "n_bands": len(self.bands),
            "data_type": self.data_type,
            "gsd": self.gsd,
            "width": self.grid.width,
            "height": self.grid.height,
            "resolution": list(self.grid.res),
            "transform": [t.a, t.b, t.c, t.d, t.e, t.f],
            "bbox": list(self.grid.bounds),
        }


@dataclass(frozen=True)
class ProductMetadata:
    """A product's metadata, written as ``<product>_metadata.json``.

    ``cloud_cover`` is the share of the delivered pixels under cloud (0..1);
    ``scene_cloud_cover`` the whole scene's. ``area_km2`` is the geodesic area of
    the delivered region (AOI ∩ footprint). ``gsd`` is the finest delivered GSD in
    metres, whatever the CRS's units.
    """

    product_id: str
    scene_id: str
    sensor: str
    product_type: str
    radiometric_processing: str
    processing_level: str
    image_format: str
    epsg: int
    gsd: float
    area_km2: float
    cloud_cover: float
    scene_cloud_cover: float
    acquired_at: datetime
    produced_at: datetime
    footprint: dict[str, Any]
    bbox: tuple[float, float, float, float]
    images: tuple[ImageInfo, ...]
    gsd_coarsened: bool = False

    @property
    def crs(self) -> str:
        """``EPSG:<code>``."""
        return f"EPSG:{self.epsg}"

    @property
    def bands(self) -> tuple[str, ...]:
        """Names of the delivered bands, image after image."""
        return tuple(b for image in self.images for b in image.bands)

    def to_json(self) -> dict[str, Any]:
        """The content of the metadata file."""
        return {
            "product_id": self.product_id,
            "scene_id": self.scene_id,
            "sensor": self.sensor,
            "product_type": self.product_type,
            "radiometric_processing": self.radiometric_processing,
            "processing_level": self.processing_level,
            "image_format": self.image_format,
            "crs": self.crs,
            "crs_code": f"urn:ogc:def:crs:EPSG::{self.epsg}",
            "gsd": self.gsd,
            "gsd_coarsened": self.gsd_coarsened,
            "bands": list(self.bands),
            "n_bands": len(self.bands),
            "data_type": self.images[0].data_type if self.images else None,
            "nodata": 0,
            "area_km2": round(self.area_km2, 6),
            "cloud_cover": round(self.cloud_cover, 6),
            "scene_cloud_cover": round(self.scene_cloud_cover, 6),
            "acquired_at": self.acquired_at.isoformat(),
            "produced_at": self.produced_at.isoformat(),
            "bbox": list(self.bbox),
            "footprint": self.footprint,
            "images": [image.to_json() for image in self.images],
        }
