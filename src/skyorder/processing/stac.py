"""The STAC item of a deliverable, built with pystac.

One item per product: geometry and bbox of the delivered region, acquisition
datetime, ``gsd``, ``eo:cloud_cover`` and, per raster asset, ``proj:*`` (grid),
``eo:bands`` and ``file:size``/``file:checksum`` (SHA-256 multihash). Asset
hrefs are relative (``./name``) so the item stays valid wherever the files go.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pystac
from pystac.extensions.eo import Band as EOBand
from pystac.extensions.eo import EOExtension
from pystac.extensions.file import FileExtension
from pystac.extensions.projection import ProjectionExtension

from skyorder.processing.grids import RasterGrid
from skyorder.processing.metadata import ProductMetadata
from skyorder.processing.packaging import ProductFile
from skyorder.processing.sensors import SensorSpec

SHA256_MULTIHASH_PREFIX = "1220"
PAN_BAND = EOBand.create("pan", common_name="pan", center_wavelength=0.65, full_width_half_max=0.35)


def stac_item(
    metadata: ProductMetadata,
    sensor: SensorSpec,
    files: Sequence[ProductFile],
    grids: Mapping[str, RasterGrid],
    bands: Mapping[str, Sequence[str]],
) -> pystac.Item:
    """Build the item describing ``files``.

    Args:
        metadata: the product's metadata.
        sensor: the sensor, for the bands' wavelengths.
        files: the files to list as assets (every file but the item and the zip).
        grids: the grid of each raster asset, by key.
        bands: the band names of each raster asset, by key.
    """
    item = pystac.Item(
        id=metadata.product_id,
        geometry=metadata.footprint,
        bbox=list(metadata.bbox),
        datetime=metadata.acquired_at,
        properties={
            "gsd": metadata.gsd,
            "created": _timestamp(metadata),
            "instruments": [sensor.name],
            "skyorder:scene_id": metadata.scene_id,
            "skyorder:product_type": metadata.product_type,
            "skyorder:radiometric_processing": metadata.radiometric_processing,
            "skyorder:processing_level": metadata.processing_level,
            "skyorder:area_km2": round(metadata.area_km2, 6),
        },
    )
    EOExtension.ext(item, add_if_missing=True).cloud_cover = round(100 * metadata.cloud_cover, 4)
    ProjectionExtension.add_to(item)
    FileExtension.add_to(item)
    for product_file in files:
        asset = pystac.Asset(
            href=f"./{product_file.name}",
            media_type=product_file.media_type,
            roles=list(product_file.roles),
            title=product_file.title,
        )
        item.add_asset(product_file.key, asset)
        file_ext = FileExtension.ext(asset)
        file_ext.size = product_file.size
        file_ext.checksum = SHA256_MULTIHASH_PREFIX + product_file.sha256
        grid = grids.get(product_file.key)
        if grid is not None:
            _raster_fields(asset, grid, bands.get(product_file.key, ()), sensor)
    return item


def _raster_fields(
    asset: pystac.Asset, grid: RasterGrid, names: Sequence[str], sensor: SensorSpec
) -> None:
    t = grid.transform
    ProjectionExtension.ext(asset).apply(
        code=f"EPSG:{grid.epsg}",
        shape=[grid.height, grid.width],
        transform=[t.a, t.b, t.c, t.d, t.e, t.f],
    )
    by_name = {b.name: b for b in sensor.bands}
    eo_bands = []
    for name in names:
        band = by_name.get(name)
        if band is None:
            eo_bands.append(PAN_BAND if name == "pan" else EOBand.create(name))
            continue
        eo_bands.append(
            EOBand.create(
                band.name,
                common_name=band.common_name or None,  # hyperspectral bands have none
                center_wavelength=band.center_wavelength,
                full_width_half_max=band.full_width_half_max,
            )
        )
    if eo_bands:
        EOExtension.ext(asset).bands = eo_bands


def _timestamp(metadata: ProductMetadata) -> str:
    return pystac.utils.datetime_to_str(metadata.produced_at)
