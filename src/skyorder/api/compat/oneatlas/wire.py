"""The OneAtlas Data wire: request bodies of ``/prices`` and ``/orders``, and the words used.

A body names a ``kind`` (the consumption mode) and ``products``: each a catalogue scene
(``id``, its catalogue UUID), the AOI it is clipped to and how it is processed. Each
product becomes an archive item of the core, its scene resolved by UUID alone.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from skyorder.core.order_requests import ArchiveItemRequest, OrderRequest

KM2 = "order.data.product"
GB = "order.data.gb.product"
KINDS = (KM2, GB, "order.product")
"""``order.product`` is the spelling of the guide's Python example; it means ``KM2``."""
PROCESSING_LEVEL = "SENSOR"
"""The level OneAtlas data products are made at (the guide's ``processingLevel``)."""

Kind = Literal["order.data.product", "order.data.gb.product", "order.product"]

# The guide's option names, by the core's.
OPTION_NAMES = {
    "product_type": "productType",
    "radiometric_processing": "radiometricProcessing",
    "image_format": "imageFormat",
    "crs_code": "crsCode",
}


class ProductIn(BaseModel):
    """One product: a catalogue scene clipped to an AOI, processed as asked."""

    model_config = ConfigDict(extra="forbid")

    productType: str = Field(max_length=40, description="bundle, pansharpened, ...")
    radiometricProcessing: str = Field(max_length=40, description="BASIC16, REFLECTANCE, DISPLAY")
    imageFormat: str = Field(max_length=40, description="image/jp2 or image/geotiff")
    crsCode: str = Field(max_length=60, description="e.g. urn:ogc:def:crs:EPSG::4326")
    id: str = Field(min_length=1, max_length=200, description="The scene's catalogue UUID")
    aoi: dict[str, Any] = Field(description="GeoJSON Polygon the scene is clipped to")

    def to_item(self, by_volume: bool) -> ArchiveItemRequest:
        """The core's archive item (the scene resolved by its UUID alone)."""
        return ArchiveItemRequest(
            collection="",
            item_id=self.id,
            processing_level=PROCESSING_LEVEL,
            aoi=self.aoi,
            by_volume=by_volume,
            options={
                "product_type": self.productType,
                "radiometric_processing": self.radiometricProcessing,
                "image_format": self.imageFormat,
                "crs_code": self.crsCode,
            },
        )


class OrderBody(BaseModel):
    """The body of ``POST /api/v1/prices`` and ``POST /api/v1/orders``."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    products: list[ProductIn] = Field(min_length=1, max_length=100)

    def to_request(self) -> OrderRequest:
        """The core's order request (GB kind: volume-priced products), named for its kind."""
        by_volume = self.kind == GB
        return OrderRequest(
            name=self.kind, items=tuple(p.to_item(by_volume) for p in self.products)
        )


_ITEM = re.compile(r"^items\[(\d+)\]")


def field_name(path: str) -> str:
    """The guide's name for a field of the core command (``items[0].options.crs_code``)."""
    named = _ITEM.sub(r"products[\1]", path)
    for core, wire in OPTION_NAMES.items():
        named = named.replace(f".options.{core}", f".{wire}")
    named = named.replace(".item_id", ".id").replace(".collection", ".id")
    named = re.sub(r"\.product$", ".id", named)  # the product is the scene's
    named = named.replace(".options.bit_depth", ".radiometricProcessing")
    return "kind" if named == "name" else named
